package de.vorzimmer.twilio;

import java.util.Map;
import java.util.Objects;

/**
 * The parameters of one validated webhook request: the form fields Twilio posted plus the query parameters of
 * the URL we gave Twilio (both are covered by the signature, so both can be trusted once the filter let the
 * request through).
 */
public final class TwilioParams {
    private final Map<String, String> form;
    private final Map<String, String> query;

    public TwilioParams(Map<String, String> form, Map<String, String> query) {
        this.form = Map.copyOf(Objects.requireNonNull(form, "form == null"));
        this.query = Map.copyOf(Objects.requireNonNull(query, "query == null"));
    }

    /** A form field that must be present and not blank, else the request is answered 400. */
    public String required(String name) {
        String v = form.get(name);
        if (v == null || v.isBlank()) throw TwilioRequestException.missing(name);
        return v;
    }

    /** A form field that must be present, but may be empty (a caller ID, an SMS body). */
    public String present(String name) {
        String v = form.get(name);
        if (v == null) throw TwilioRequestException.missing(name);
        return v;
    }

    /** A form field, or null when absent or blank. */
    public String optional(String name) {
        String v = form.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** A query parameter of our own callback URL, or null. */
    public String query(String name) {
        String v = query.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    public Map<String, String> form() {
        return form;
    }
}

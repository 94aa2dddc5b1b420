package de.vorzimmer.twilio;


import com.twilio.security.RequestValidator;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one filter in front of every {@code /twilio/*} route: checks {@code X-Twilio-Signature} with the SDK's
 * {@link RequestValidator} against the configured public URL plus the request's path and query (never the Host
 * header), and the form fields. A missing, forged or replayed-to-another-URL signature gets 403 and the route
 * behind it never runs, so nothing changes. There is deliberately no switch to turn this off.
 *
 * <p>On success the parameters are put into the context as {@link TwilioParams} under {@link #PARAMS}.
 */
public final class TwilioSignatureFilter implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioSignatureFilter.class);
    public static final String PARAMS = "twilio.params";
    public static final String HEADER = "X-Twilio-Signature";

    private final TwilioSettings settings;
    private final RequestValidator validator;

    public TwilioSignatureFilter(TwilioSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.validator = new RequestValidator(settings.authToken());
    }

    @Override
    public void handle(RoutingContext ctx) {
        var req = ctx.request();
        String signature = req.getHeader(HEADER);
        if (signature == null || signature.isBlank()) {
            refuse(ctx, "no " + HEADER);
            return;
        }
        Map<String, String> form = new HashMap<>();
        if (req.method() == HttpMethod.POST && isForm(req.getHeader(HttpHeaders.CONTENT_TYPE))) {
            MultiMap attributes = req.formAttributes();
            for (String name : attributes.names()) {
                if (attributes.getAll(name).size() != 1) {
                    // Twilio's webhooks never repeat a field; the validator's map could not represent it anyway.
                    refuse(ctx, "repeated form field " + name);
                    return;
                }
                form.put(name, attributes.get(name));
            }
        }
        String url = settings.url(req.uri());
        boolean valid;
        try {
            valid = validator.validate(url, form, signature);
        } catch (RuntimeException e) {
            // a URL the validator cannot parse cannot have been signed by Twilio either
            valid = false;
        }
        if (!valid) {
            refuse(ctx, "signature does not match " + req.path());
            return;
        }
        String account = form.get("AccountSid");
        if (settings.accountSid() != null && account != null && !settings.accountSid().equals(account)) {
            refuse(ctx, "request for another account");
            return;
        }
        Map<String, String> query = new HashMap<>();
        MultiMap qp = ctx.queryParams();
        for (String name : qp.names()) query.put(name, qp.get(name));
        ctx.put(PARAMS, new TwilioParams(form, query));
        ctx.next();
    }

    private static boolean isForm(String contentType) {
        return contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    private static void refuse(RoutingContext ctx, String why) {
        String callSid = ctx.request().formAttributes().get("CallSid");
        LOG.warn("twilio: refused {} {} from {}{}: {}", ctx.request().method(), ctx.request().path(),
                ctx.request().remoteAddress(), callSid == null ? "" : " (CallSid " + clip(callSid) + ")", why);
        ctx.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end("forbidden: invalid Twilio signature\n");
    }

    /** At most 64 characters of {@code s} for a log line, anything but {@code A-Za-z0-9._-} as {@code ?}. */
    static String clip(String s) {
        // a loop, not replaceAll: this runs on every webhook, and replaceAll compiles its pattern on every call
        int n = Math.min(s.length(), 64);
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            out[i] = keep ? c : '?';
        }
        return new String(out);
    }
}

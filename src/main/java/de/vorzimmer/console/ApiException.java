package de.vorzimmer.console;


import de.vorzimmer.http.Refusal;

/**
 * A request the API refuses, with the HTTP status, a stable error code the console translates ({@code code} in the
 * error JSON, listed in docs/console.md), the field it is about (or null), and a reason in English for other clients
 * and the log.
 */
public final class ApiException extends RuntimeException implements Refusal.Refused {
    private final int status;
    private final String code;
    private final String field;

    public ApiException(int status, String message) {
        this(status, codeFor(status), null, message);
    }

    public ApiException(int status, String code, String message) {
        this(status, code, null, message);
    }

    public ApiException(int status, String code, String field, String message) {
        super(message);
        this.status = status;
        this.code = code == null ? codeFor(status) : code;
        this.field = field;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    /** A refused field of the body or query: {@code field-missing}, {@code field-invalid}, {@code field-too-long}. */
    public static ApiException field(String code, String field, String message) {
        return new ApiException(400, code, field, message);
    }

    @Override
    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The field the refusal is about, or null. */
    public String field() {
        return field;
    }

    /** The code of a refusal that names none of its own: one per HTTP status. */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "auth-required";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 409 -> "conflict";
            case 413 -> "body-too-large";
            case 415 -> "json-required";
            case 422 -> "unprocessable";
            case 429 -> "too-many-requests";
            case 502, 503, 504 -> "unavailable";
            default -> status >= 500 ? "internal" : "request-failed";
        };
    }
}

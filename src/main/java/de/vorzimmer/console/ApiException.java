package de.vorzimmer.console;


import de.vorzimmer.http.Refusal;

/** A request the API refuses, with the HTTP status and a reason the client can act on. */
public final class ApiException extends RuntimeException implements Refusal.Refused {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    @Override
    public int status() {
        return status;
    }
}

package de.vorzimmer.http;

import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.RoutingContext;

/**
 * How a failed request is answered, worked out the same way for every front end: a refusal's own status and
 * reason ({@link Refused}), 413 for a body over the limit, 400 for a client that closed the connection before its
 * request was complete, the router's own status (404, 405, …) when nothing
 * was thrown, and 500 "internal error" for anything else. Each front end words the answer its own way (JSON,
 * plain text) and logs it.
 *
 * @param internal true for the 500 of an unexpected exception: a fault of ours to log with its stack trace
 */
public record Refusal(int status, String reason, boolean internal) {
    /** An exception that refuses a request with a status and a reason the sender can act on. */
    public interface Refused {
        int status();

        String getMessage();
    }

    /** The answer to {@code ctx}'s failure; {@code maxBody}: the body limit its router enforces, in bytes. */
    public static Refusal of(RoutingContext ctx, long maxBody) {
        Throwable t = ctx.failure();
        if (t instanceof Refused r) return new Refusal(r.status(), r.getMessage(), false);
        // the client left while its request was still arriving (a slow or bogus client): nobody to answer, not our fault
        if (t instanceof HttpClosedException) return new Refusal(400, "connection closed before the request was complete", false);
        if (ctx.statusCode() == 413) return new Refusal(413, "body larger than " + maxBody + " bytes", false);
        if (t == null) {
            int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            return new Refusal(status, status == 404 ? "not found" : "request failed", false);
        }
        return new Refusal(500, "internal error", true);
    }
}

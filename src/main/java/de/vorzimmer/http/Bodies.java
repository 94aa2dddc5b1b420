package de.vorzimmer.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Set;

/**
 * Request bodies for a group of routes, read only where a method takes one (POST, PUT, PATCH). A body sent with
 * any other method (a GET with a form, a DELETE with a multipart upload) is left unread and the request goes on to
 * the guards as if it had none: Vert.x's own body handler refuses to decode such a body with an exception, which
 * turned a stray request into a 500 and a stack trace before the authentication or signature check had run.
 */
public final class Bodies {
    private static final Set<HttpMethod> WITH_BODY = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);

    private Bodies() {
    }

    /** Reads the body (up to {@code limit} bytes, no file uploads) of a POST, PUT or PATCH; passes other methods on. */
    public static Handler<RoutingContext> upTo(long limit) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(limit);
        return ctx -> {
            if (WITH_BODY.contains(ctx.request().method())) body.handle(ctx);
            else ctx.next();
        };
    }
}

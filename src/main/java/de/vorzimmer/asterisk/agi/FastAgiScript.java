package de.vorzimmer.asterisk.agi;

import io.vertx.core.Future;

/**
 * A FastAGI script ({@code agi://host:4573/NAME}): runs one call on its connection. Called on the event loop, so
 * it must not block; blocking work goes through {@link AgiCall#offLoop}. The server closes the connection when the
 * returned future completes, either way.
 */
@FunctionalInterface
public interface FastAgiScript {
    Future<?> run(AgiCall call);
}

package de.vorzimmer.asterisk;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A callback Asterisk was asked to place: the secretary's phone is ringing. {@code result} completes with
 * the outcome of that first leg.
 *
 * @param number the caller's number in E.164
 */
public record PendingCallback(String id, String secretary, String endpoint, String number,
                              CompletableFuture<CallbackResult> result) {
    public PendingCallback {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(result, "result == null");
    }
}

package de.vorzimmer.asterisk;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reading the live call states ({@code CallUpdate} JSON) a test collected from the event bus, in arrival order. */
final class CallUpdates {
    private CallUpdates() {
    }

    /** Waits up to {@code timeout} for {@code callId} to reach {@code state}; the update that says so. */
    static JsonObject await(List<JsonObject> seen, String callId, String state, Duration timeout) {
        Sandbox.await(timeout, "call " + callId + " state " + state + " (seen: " + states(seen, callId) + ")",
                () -> find(seen, callId, state).isPresent());
        return find(seen, callId, state).orElseThrow();
    }

    /** The first update of {@code callId} in {@code state}. */
    static Optional<JsonObject> find(List<JsonObject> seen, String callId, String state) {
        return seen.stream().filter(c -> callId.equals(c.getString("callId")) && state.equals(c.getString("state")))
                .findFirst();
    }

    /** Every state {@code callId} went through, in order. */
    static List<String> states(List<JsonObject> seen, String callId) {
        return seen.stream().filter(c -> callId.equals(c.getString("callId"))).map(c -> c.getString("state")).toList();
    }
}

package de.vorzimmer.calls;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One transition of an inbound call, as published on {@link #ADDRESS} by the PBX adapters (Asterisk from AMI
 * events, Twilio from its webhooks) and consumed by the console's screen-pop. Both adapters send the same fields
 * with the same meaning; only the id and the endpoint spellings are the PBX's own.
 *
 * @param callId     Asterisk unique id of the inbound channel (also the recording's {@code vz-ID.wav}), or the
 *                   Twilio CallSid
 * @param client     client id, or null (unknown line, or the server was unreachable)
 * @param caller     the caller's number (empty when anonymous)
 * @param line       the forwarded-from number, else the dialed number
 * @param display    what the secretaries' phones show ({@code short: caller})
 * @param targets    endpoints being rung in the current stage, as the book spells secretaries ({@code PJSIP/anna},
 *                   {@code client:anna}, {@code sip:ben@...}); a put-through rings the client's reach
 * @param answeredBy endpoint that answered ({@code PJSIP/anna}, {@code client:anna},
 *                   {@code Local/+49...@vorzimmer-reach}, the reach {@code +49...} on Twilio), or null
 * @param recording  the recording (Asterisk: its path once recording starts; Twilio: its URL once stored), or null
 * @param stage      put-through, screen, message, reject, fallback (null before one began)
 * @param messageId  store id of the missed-call message ({@code missed} only, once committed), else 0
 * @param decision   what the routing core decided for the call, carried from the moment it was made (caller class,
 *                   contact, greeting, reasons, book version); null while the adapter has not got it (the console
 *                   then reads it from the call log)
 */
public record CallUpdate(String callId, CallState state, String client, String caller, String callerName,
                         String line, String display, List<String> targets, String answeredBy, String recording,
                         boolean urgent, String stage, long messageId, Instant at, CallDecision decision) {
    /** Event-bus address of live call state (publish, JSON object). */
    public static final String ADDRESS = "vorzimmer.calls";

    public CallUpdate {
        Objects.requireNonNull(callId, "callId == null");
        Objects.requireNonNull(state, "state == null");
        targets = List.copyOf(targets);
        Objects.requireNonNull(at, "at == null");
    }

    public CallUpdate withMessageId(long id) {
        return new CallUpdate(callId, state, client, caller, callerName, line, display, targets, answeredBy,
                recording, urgent, stage, id, at, decision);
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject()
                .put("callId", callId)
                .put("state", state.word())
                .put("client", client)
                .put("caller", caller)
                .put("callerName", callerName)
                .put("line", line)
                .put("display", display)
                .put("targets", new JsonArray(targets))
                .put("answeredBy", answeredBy)
                .put("urgent", urgent)
                .put("stage", stage)
                .put("at", at.toString());
        if (recording != null) o.put("recording", recording);
        if (messageId > 0) o.put("messageId", messageId);
        if (decision != null) o.put("decision", decision.toJson());
        return o;
    }
}

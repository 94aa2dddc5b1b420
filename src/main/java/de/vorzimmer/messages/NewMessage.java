package de.vorzimmer.messages;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A message as a source hands it in: a recording (Asterisk, Twilio), a missed call, or typed by a secretary.
 *
 * @param clientId       the client it is for, or null for a call to no known line
 * @param intake         the client's intake fields by name, as filled in (typed messages); empty for none
 * @param callId         the Asterisk unique id or Twilio CallSid, or null
 */
public record NewMessage(String clientId, String line, String callerNumber, String callerName, MessageKind kind,
                         String text, String recordingPath, boolean urgent, boolean callbackWanted,
                         Map<String, String> intake, String callId) {
    public NewMessage {
        Objects.requireNonNull(kind, "kind == null");
        intake = intake == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(intake));
    }
}

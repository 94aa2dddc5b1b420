package de.vorzimmer.messages;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * A message left for a client, as stored. Numbers are E.164 where they could be read.
 *
 * @param id             store id, 0 when not yet stored
 * @param clientId       the client it is for, or null for a call to no known line
 * @param line           the line the caller dialed, or null for a typed message without one
 * @param callerNumber   the caller's number, empty or null when anonymous
 * @param callerName     the caller's name as given or as the book knows it, or null
 * @param text           typed text or a transcript, or null
 * @param recordingPath  where the recording lies (PBX path or URL), or null
 * @param stateChangedBy who last changed the state (secretary id, {@code sms}, {@code client}), null while new
 * @param callId         the Asterisk unique id or Twilio CallSid of the call, or null
 * @param callbackWanted the caller asked to be called back
 * @param intakeJson     the client's intake fields as a JSON object ({@code {"Patient seit":"2019"}}), or null
 */
public record Message(long id, Instant createdAt, String clientId, String line, String callerNumber,
                      String callerName, MessageKind kind, String text, String recordingPath, boolean urgent,
                      MessageState state, Instant stateChangedAt, String stateChangedBy, String callId,
                      boolean callbackWanted, String intakeJson) {
    public Message {
        Objects.requireNonNull(createdAt, "createdAt == null");
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(state, "state == null");
        stateChangedAt = stateChangedAt == null ? createdAt : stateChangedAt;
        if (stateChangedAt.isBefore(createdAt)) {
            throw new IllegalArgumentException("state changed at " + stateChangedAt + ", before creation at " + createdAt);
        }
    }

    /** A message without callback wish and intake fields. */
    public Message(long id, Instant createdAt, String clientId, String line, String callerNumber, String callerName,
                   MessageKind kind, String text, String recordingPath, boolean urgent, MessageState state,
                   Instant stateChangedAt, String stateChangedBy, String callId) {
        this(id, createdAt, clientId, line, callerNumber, callerName, kind, text, recordingPath, urgent, state,
                stateChangedAt, stateChangedBy, callId, false, null);
    }

    /** A new message, not yet stored. */
    public static Message received(Instant at, String clientId, String line, String callerNumber, String callerName,
                                   MessageKind kind, String text, String recordingPath, boolean urgent,
                                   String callId) {
        return new Message(0, at, clientId, line, callerNumber, callerName, kind, text, recordingPath, urgent,
                MessageState.NEW, at, null, callId);
    }

    /** A new message with the caller's callback wish and the intake fields (JSON object text, or null). */
    public static Message received(Instant at, String clientId, String line, String callerNumber, String callerName,
                                   MessageKind kind, String text, String recordingPath, boolean urgent,
                                   String callId, boolean callbackWanted, String intakeJson) {
        return new Message(0, at, clientId, line, callerNumber, callerName, kind, text, recordingPath, urgent,
                MessageState.NEW, at, null, callId, callbackWanted, intakeJson);
    }

    public Message withId(long newId) {
        return new Message(newId, createdAt, clientId, line, callerNumber, callerName, kind, text, recordingPath,
                urgent, state, stateChangedAt, stateChangedBy, callId, callbackWanted, intakeJson);
    }

    public Message withState(MessageState newState, String by, Instant at) {
        return new Message(id, createdAt, clientId, line, callerNumber, callerName, kind, text, recordingPath,
                urgent, newState, at, by, callId, callbackWanted, intakeJson);
    }

    /**
     * The message as the API and the command line show it: one JSON object whose field names are the store's
     * column names; {@code callback_wanted} and {@code intake} appear only when set, {@code unconfirmed} only for an
     * urgent message nobody has read yet.
     */
    public JsonObject toJson() {
        JsonObject o = new JsonObject().put("id", id).put("created_at", text(createdAt)).put("client", clientId)
                .put("line", line).put("caller_number", callerNumber).put("caller_name", callerName)
                .put("kind", kind.word()).put("text", text).put("recording", recordingPath).put("urgent", urgent);
        // an urgent message is unconfirmed until someone read it (SMS reply, key 1 on a call-out, the console)
        if (urgent && state.ordinal() < MessageState.READ.ordinal()) o.put("unconfirmed", true);
        o.put("state", state.word()).put("state_changed_at", text(stateChangedAt))
                .put("state_changed_by", stateChangedBy).put("call_id", callId);
        if (callbackWanted) o.put("callback_wanted", true);
        // intakeJson is a JSON object written by MessageDesk
        if (intakeJson != null) o.put("intake", new JsonObject(intakeJson));
        return o;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}

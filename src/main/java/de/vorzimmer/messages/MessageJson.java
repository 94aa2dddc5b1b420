package de.vorzimmer.messages;

import de.vorzimmer.routing.DecisionJson;
import java.time.Instant;

/**
 * Writes a {@link Message} as one JSON object; field names are the store's column names. {@code callback_wanted}
 * and {@code intake} appear only when set, so older consumers see the same objects as before.
 */
public final class MessageJson {
    private MessageJson() {
    }

    public static String write(Message m) {
        StringBuilder sb = new StringBuilder(320);
        sb.append("{\"id\":").append(m.id());
        field(sb, "created_at", instant(m.createdAt()));
        field(sb, "client", m.clientId());
        field(sb, "line", m.line());
        field(sb, "caller_number", m.callerNumber());
        field(sb, "caller_name", m.callerName());
        field(sb, "kind", m.kind().word());
        field(sb, "text", m.text());
        field(sb, "recording", m.recordingPath());
        sb.append(",\"urgent\":").append(m.urgent());
        // an urgent message is unconfirmed until someone read it (SMS reply, key 1 on a call-out, the console)
        if (m.urgent() && m.state().ordinal() < MessageState.READ.ordinal()) sb.append(",\"unconfirmed\":true");
        field(sb, "state", m.state().word());
        field(sb, "state_changed_at", instant(m.stateChangedAt()));
        field(sb, "state_changed_by", m.stateChangedBy());
        field(sb, "call_id", m.callId());
        if (m.callbackWanted()) sb.append(",\"callback_wanted\":true");
        // intakeJson is a JSON object written by us (MessageDesk), embedded as it is.
        if (m.intakeJson() != null) sb.append(",\"intake\":").append(m.intakeJson());
        return sb.append('}').toString();
    }

    private static String instant(Instant t) {
        return t == null ? null : t.toString();
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append(",\"").append(name).append("\":");
        DecisionJson.string(sb, value);
    }
}

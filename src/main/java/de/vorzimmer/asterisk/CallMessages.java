package de.vorzimmer.asterisk;

import de.vorzimmer.calls.CallTag;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.calls.CallState;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.messages.MessageDesk;
import de.vorzimmer.messages.MessageStore;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Stores the messages the PBX produces: missed calls and recordings. Idempotent by the call's Asterisk unique
 * id and the kind: the UserEvent, the sidecar file and the folder scan may all report the same recording,
 * and AMI may replay; only the first one is stored (check and insert in one transaction). Blocking (JDBC).
 */
public final class CallMessages {
    private static final Logger LOG = LoggerFactory.getLogger(CallMessages.class);

    private final MessageStore store;
    private final LiveRouting routing;
    private final MessageDesk desk;

    /** @param desk says what an urgent message queues (the SMS to the client), in the same transaction */
    public CallMessages(MessageStore store, LiveRouting routing, MessageDesk desk) {
        this.store = Objects.requireNonNull(store, "store == null");
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.desk = Objects.requireNonNull(desk, "desk == null");
    }

    /** Stores a missed call; returns its id, or empty if this call's missed message was stored before. */
    public OptionalLong missed(CallUpdate u) {
        if (u.state() != CallState.MISSED) throw new IllegalArgumentException("call " + u.callId() + " is " + u.state().word() + ", not missed");
        // the dialplan ran the call with the decision (VZ_CLIENT, or none for an unknown line); only a call the
        // fallback took while the server was unreachable has none, and is decided now as it would have been then
        boolean decided = !"fallback".equals(u.stage());
        String client = decided ? u.client() : clientFor(u.line(), u.caller(), null, u.at());
        Message m = Message.received(u.at(), client, number(u.line()), number(u.caller()), u.callerName(), MessageKind.MISSED,
                null, null, u.urgent(), u.callId());
        return storeOnce(m);
    }

    /** Stores a recorded message; returns its id, or empty if this recording was stored before. */
    public OptionalLong recording(Sidecar s) {
        String client = s.client() != null ? s.client() : clientFor(s.dialed(), s.caller(), s.forwardedFrom(), s.time());
        Message m = Message.received(s.time(), client, number(s.line()), number(s.caller()), s.callerName(), MessageKind.RECORDING,
                null, s.recording(), s.urgent(), s.uniqueId());
        return storeOnce(m);
    }

    /** E.164 where it can be read with the book's region, else as the PBX sent it. */
    private String number(String raw) {
        if (raw == null || raw.isEmpty()) return raw;
        return PhoneNumbers.normalizeIncoming(raw, routing.snapshot().book().book().defaults().region());
    }

    /** Whether a message of this kind for this call is stored already. */
    public boolean has(String callId, MessageKind kind) {
        return store.has(callId, kind);
    }

    private OptionalLong storeOnce(Message m) {
        MDC.put(CallTag.MDC_KEY, m.callId());
        try {
            OptionalLong id = store.addOnce(m, newId -> desk.notificationsFor(m, newId));
            if (id.isPresent()) {
                if (m.urgent()) desk.notificationsQueued();
                LOG.info("message {} stored: {} for client {} from '{}' line {}{}", id.getAsLong(), m.kind().word(),
                        m.clientId(), m.callerNumber(), m.line(), m.urgent() ? " (urgent)" : "");
            } else {
                LOG.debug("{} message already stored", m.kind().word());
            }
            return id;
        } finally {
            MDC.remove(CallTag.MDC_KEY);
        }
    }

    /**
     * The client of a call the dialplan handled without a decision (the server was unreachable): the routing core
     * applied to the numbers the PBX recorded, at the time of the call, with the book in force.
     */
    private String clientFor(String dialed, String caller, String forwardedFrom, Instant at) {
        if (dialed == null || dialed.isEmpty()) return null;
        try {
            return routing.decide(new Call(dialed, caller == null ? "" : caller, forwardedFrom, false, null), at).client();
        } catch (IllegalArgumentException e) {
            LOG.warn("message without a decision: line '{}' cannot be read ({}); stored without a client",
                    AgiCalls.clip(dialed), e.getMessage());
            return null;
        }
    }
}

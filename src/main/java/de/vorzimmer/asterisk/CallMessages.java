package de.vorzimmer.asterisk;

import de.vorzimmer.book.BookStore;
import de.vorzimmer.book.Contact;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.calls.CallTag;
import de.vorzimmer.calls.CallState;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.messages.MessageDesk;
import de.vorzimmer.messages.MessageStore;
import de.vorzimmer.status.OverrideStore;
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
 *
 * <p>A call the server decided keeps that decision's client and urgency. A call the dialplan handled alone (the
 * server was unreachable: {@code fallback=1}, no client) gets the decision a live call would have had, from the
 * routing core at the call's instant ({@link CallTimeRouting}): its client, its urgency (an urgent message queues its
 * SMS in the same transaction, so it goes out once) and the caller as routing sees it.
 *
 * <p>Names: the caller's name on a message is the book's contact name for the number, never the name the caller's
 * own phone sent (a SIP display name is the caller's to choose); an anonymous caller has no number.
 */
public final class CallMessages {
    private static final Logger LOG = LoggerFactory.getLogger(CallMessages.class);

    private final MessageStore store;
    private final LiveRouting routing;
    private final MessageDesk desk;
    private final CallTimeRouting callTime;

    /**
     * @param books and {@code overrides}: what routing knew at a call's instant, for calls the dialplan handled alone
     * @param desk says what an urgent message queues (the SMS to the client), in the same transaction
     */
    public CallMessages(MessageStore store, BookStore books, OverrideStore overrides, LiveRouting routing,
                        MessageDesk desk) {
        this.store = Objects.requireNonNull(store, "store == null");
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.desk = Objects.requireNonNull(desk, "desk == null");
        this.callTime = new CallTimeRouting(books, overrides, routing);
    }

    /** Stores a missed call; returns its id, or empty if this call's missed message was stored before. */
    public OptionalLong missed(CallUpdate u) {
        if (u.state() != CallState.MISSED) throw new IllegalArgumentException("call " + u.callId() + " is " + u.state().word() + ", not missed");
        // the fallback stage is the dialplan's own: the server did not decide that call
        Message m = u.client() == null && "fallback".equals(u.stage())
                ? undecided(u.at(), u.line(), null, u.caller(), MessageKind.MISSED, null, u.callId())
                : decided(u.at(), u.client(), u.line(), u.caller(), u.urgent(), MessageKind.MISSED, null, u.callId());
        return storeOnce(m);
    }

    /** Stores a recorded message; returns its id, or empty if this recording was stored before. */
    public OptionalLong recording(Sidecar s) {
        Message m = s.client() != null || !s.fallback()
                ? decided(s.time(), s.client(), s.line(), s.caller(), s.urgent(), MessageKind.RECORDING, s.recording(),
                        s.uniqueId())
                : undecided(s.time(), s.dialed(), s.forwardedFrom(), s.caller(), MessageKind.RECORDING, s.recording(),
                        s.uniqueId());
        return storeOnce(m);
    }

    /** A message of a call the server decided: client and urgency as decided, the name from the book. */
    private Message decided(Instant at, String client, String line, String caller, boolean urgent, MessageKind kind,
                            String recording, String callId) {
        String number = PhoneNumbers.looksAnonymous(caller) ? "" : number(caller);
        return Message.received(at, client, number(line), number, contactName(client, number), kind, null, recording,
                urgent, callId);
    }

    /** A message of a call the dialplan handled alone: what routing would have decided at the call's instant. */
    private Message undecided(Instant at, String dialed, String forwardedFrom, String caller, MessageKind kind,
                              String recording, String callId) {
        Decision d = null;
        if (dialed != null && !dialed.isEmpty()) {
            try {
                d = callTime.decide(new Call(dialed, caller, forwardedFrom, false, null), at);
            } catch (RuntimeException e) {
                LOG.warn("{} message: no decision for line '{}' at {}: {}", kind.word(), AgiCalls.clip(dialed), at,
                        e.getMessage());
            }
        }
        if (d == null) {
            String number = PhoneNumbers.looksAnonymous(caller) ? "" : number(caller);
            return Message.received(at, null, number(dialed), number, null, kind, null, recording, false, callId);
        }
        LOG.debug("{} message decided as at {}: client {} {}{}", kind.word(), at, d.client(), d.action().word(),
                d.urgent() ? " (urgent)" : "");
        return Message.received(at, d.client(), d.line(), d.caller().number(), d.caller().contact(), kind, null,
                recording, d.urgent(), callId);
    }

    /** The book's name for {@code e164} among {@code client}'s contacts, or null. */
    private String contactName(String client, String e164) {
        if (client == null || e164 == null || e164.isEmpty()) return null;
        BookIndex.ClientEntry entry = routing.snapshot().book().client(client);
        Contact c = entry == null ? null : entry.contactFor(e164);
        return c == null ? null : c.name();
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
}

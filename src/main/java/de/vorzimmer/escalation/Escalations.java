package de.vorzimmer.escalation;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.Client;
import de.vorzimmer.book.OnCall;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageState;
import de.vorzimmer.messages.MessageStore;
import de.vorzimmer.notify.Channel;
import de.vorzimmer.notify.Delivery;
import de.vorzimmer.notify.NewNotification;
import de.vorzimmer.notify.Notification;
import de.vorzimmer.notify.NotificationKind;
import de.vorzimmer.notify.OutboxStore;
import de.vorzimmer.notify.SendFailure;
import de.vorzimmer.store.Database;
import de.vorzimmer.store.Sql;
import de.vorzimmer.store.StateConflictException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The escalation chains of urgent messages (tables {@code escalations}, {@code escalation_steps}): the shell around
 * the pure {@link Chain}. Every event is recorded and its effects carried out in one transaction, with a conditional
 * update on the chain's row, so a report that arrives twice, late, or on another node moves nothing twice. Every
 * step is a row in the outbox: the urgent SMS (queued with the message) and each call-out, which the outbox worker
 * claims and hands to {@link #delivery} when it falls due.
 *
 * <ul>
 *   <li>A chain starts in the transaction that stores its urgent message ({@link #hooks}) and ends there too when
 *       the message is read: in the console, by an SMS reply ({@link #confirmBySms}) or with key 1 on a call-out
 *       ({@link #confirmByCall}). An urgent message is "unconfirmed" until it is read.</li>
 *   <li>A call-out keeps its number's line from the moment it is handed to the PBX ({@code placed_at}, committed
 *       before the request) until its end is recorded: a person is never called for two messages at once, and after
 *       a stop mid-request the PBX can be asked which call was ours ({@link CallOut#find}).</li>
 *   <li>An end that is never reported (the PBX's report was lost with a stopped process) is recorded as
 *       {@code unknown} by {@link #runOnce} once the call could not possibly still run.</li>
 * </ul>
 * Blocking (JDBC): call it off the event loop.
 */
public final class Escalations {
    private static final Logger LOG = LoggerFactory.getLogger(Escalations.class);
    /** The longest a call-out can ring: {@code EscalationPolicy.MAX_RING}. */
    private static final Duration MAX_RING = Duration.ofSeconds(120);
    /** How soon a call-out whose person is on another call-out tries again. */
    static final Duration LINE_BUSY_RETRY = Duration.ofSeconds(1);

    private final Database db;
    private final MessageStore messages;
    private final Supplier<Book> book;
    private final Clock clock;
    private final Duration giveUpAfter;
    private final Duration callMax;
    private volatile Runnable wake = () -> { };
    private volatile CallOut callOut;

    /**
     * @param giveUpAfter how long the outbox keeps trying to place one call-out
     * @param callMax     how long an answered call-out may last before its end counts as lost
     */
    public Escalations(Database db, MessageStore messages, Supplier<Book> book, Clock clock, Duration giveUpAfter,
                       Duration callMax) {
        this.db = Objects.requireNonNull(db, "db == null");
        this.messages = Objects.requireNonNull(messages, "messages == null");
        this.book = Objects.requireNonNull(book, "book == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.giveUpAfter = Objects.requireNonNull(giveUpAfter, "giveUpAfter == null");
        this.callMax = Objects.requireNonNull(callMax, "callMax == null");
    }

    /** Where call-outs are placed; without one they wait in the outbox (and fail at their give-up time). */
    public void callOut(CallOut c) {
        this.callOut = c;
    }

    /** Called after something was queued that may be due now (wakes the outbox worker). */
    public void onQueued(Runnable r) {
        this.wake = Objects.requireNonNull(r, "wake == null");
    }

    // ---- starting and confirming, inside the message's own transactions --------------------------------------

    /** The hooks to install on the message store: a chain per urgent message, confirmed when it is read. */
    public MessageStore.Hooks hooks() {
        return new MessageStore.Hooks() {
            @Override
            public void added(Connection c, Message m, long id) throws SQLException {
                start(c, m, id);
            }

            @Override
            public void stateChanged(Connection c, Message before, MessageState to, String by, Instant at)
                    throws SQLException {
                if (before.urgent() && before.state().ordinal() < MessageState.READ.ordinal()
                        && to.ordinal() >= MessageState.READ.ordinal()) {
                    confirmed(c, before.id(), by, at);
                }
            }
        };
    }

    private void start(Connection c, Message m, long id) throws SQLException {
        if (!m.urgent() || m.clientId() == null) return;
        Client client = client(m.clientId());
        if (client == null) return;
        Instant at = m.createdAt();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO escalations (message_id, client_id, state, round, "
                + "position, steps, awaiting, started_at, updated_at) VALUES (?, ?, ?, 1, -1, 1, -1, ?, ?) "
                + "ON CONFLICT (message_id) DO NOTHING")) {
            p.setLong(1, id);
            p.setString(2, client.id());
            p.setString(3, Chain.Status.RUNNING.word());
            Sql.setInstant(p, 4, at);
            Sql.setInstant(p, 5, at);
            if (p.executeUpdate() == 0) return;
        }
        // step 0: the urgent SMS the message desk queued in this transaction
        String smsTo = client.urgentSmsTo(at);
        if (smsTo != null) {
            List<OnCall> now = client.onCallAt(at);
            String person = now.stream().filter(o -> o.number().equals(smsTo)).map(OnCall::name).findFirst()
                    .orElse(client.shortName());
            insertStep(c, id, 0, Channel.SMS, person, smsTo, outboxId(c, NewNotification.urgentKey(id)), at);
        }
        Chain.State s = new Chain.State(Chain.Status.RUNNING, 1, -1, 1, -1);
        apply(c, id, client, s, Chain.start(at, roster(client)), at);
    }

    private void confirmed(Connection c, long messageId, String by, Instant at) throws SQLException {
        Chain.State s = state(c, messageId);
        if (s == null) return;
        Client client = client(clientOf(c, messageId));
        apply(c, messageId, client, s, Chain.next(s, new Chain.Confirmed(at), roster(client)), at);
        try (PreparedStatement p = c.prepareStatement("UPDATE escalations SET confirmed_at = ?, confirmed_by = ?, "
                + "confirmed_via = ? WHERE message_id = ? AND confirmed_at IS NULL")) {
            Sql.setInstant(p, 1, at);
            Sql.setString(p, 2, by);
            p.setString(3, via(by));
            p.setLong(4, messageId);
            p.executeUpdate();
        }
        LOG.info("escalation of message {}: confirmed by {}", messageId, by);
    }

    private static String via(String by) {
        if (by == null) return "console";
        if (by.equals("phone-in")) return "phone-in"; // the client heard it on the phone-in line
        int colon = by.indexOf(':');
        String prefix = colon > 0 ? by.substring(0, colon) : "";
        return switch (prefix) {
            case "sms", "call", "email" -> prefix;
            default -> "console";
        };
    }

    // ---- reports from the PBX adapters -----------------------------------------------------------------------

    /**
     * The call-out of outbox row {@code step} ended with {@code outcome}; the chain moves on (the next person, the
     * next round) unless it was confirmed. A second report for the same step changes nothing. Returns whether this
     * report was recorded.
     */
    public boolean callEnded(long step, CallOutcome outcome, Instant at) {
        Objects.requireNonNull(outcome, "outcome == null");
        boolean recorded = db.write(c -> {
            StepRow st = stepByOutbox(c, step);
            if (st == null || st.outcome() != null) return false;
            setOutcome(c, st, outcome, at);
            Chain.State s = state(c, st.messageId());
            if (s == null) return true;
            Client client = client(clientOf(c, st.messageId()));
            apply(c, st.messageId(), client, s, Chain.next(s, new Chain.CallEnded(st.step(), outcome, at), roster(client)), at);
            return true;
        });
        if (recorded) {
            LOG.info("escalation call-out {}: {}", step, outcome.word());
            wake.run();
        }
        return recorded;
    }

    /**
     * The person on call-out {@code step} pressed 1: the message is read (by {@code call:NUMBER}), the chain
     * confirmed. True if the message is confirmed now or was before.
     */
    public boolean confirmByCall(long step, Instant at) {
        return db.write(c -> {
            StepRow st = stepByOutbox(c, step);
            if (st == null) return false;
            messages.moveForward(c, st.messageId(), MessageState.READ, "call:" + st.number(), at);
            if (st.outcome() == null) setOutcome(c, st, CallOutcome.CONFIRMED, at);
            Message m = MessageStore.get(c, st.messageId()).orElse(null);
            return m != null && m.state().ordinal() >= MessageState.READ.ordinal();
        });
    }

    /**
     * An SMS reply {@code OK [REF]} from {@code from} (E.164). Confirms the open urgent message {@code reference}
     * (or the only open one) of a client this number is on call for; anything that confirms nothing (an unknown
     * number, a wrong reference, several open and none named) changes nothing. Returns the short answer to send.
     *
     * @param reference the message's reference as the SMS showed it, or null
     */
    public String confirmBySms(String from, String reference, Instant at) {
        Objects.requireNonNull(from, "from == null");
        List<Client> clients = clientsReachedAt(from);
        if (clients.isEmpty()) return Texts.unknownNumber();
        Set<String> ids = new LinkedHashSet<>();
        for (Client c : clients) ids.add(c.id());
        Texts fallback = new Texts(clients.get(0).language());
        return db.write(c -> {
            List<Long> open = openFor(c, ids);
            long id;
            if (reference != null) {
                long ref;
                try {
                    ref = Long.parseLong(reference);
                } catch (NumberFormatException e) {
                    return fallback.smsNoSuchReference(reference);
                }
                if (!open.contains(ref)) {
                    String owner = clientOf(c, ref);
                    if (owner != null && ids.contains(owner) && state(c, ref).status() == Chain.Status.CONFIRMED) {
                        return new Texts(client(owner) == null ? "en" : client(owner).language()).smsAlreadyConfirmed(ref);
                    }
                    return fallback.smsNoSuchReference(reference);
                }
                id = ref;
            } else if (open.isEmpty()) {
                return fallback.smsNothingOpen();
            } else if (open.size() > 1) {
                return fallback.smsWhich(open);
            } else {
                id = open.get(0);
            }
            messages.moveForward(c, id, MessageState.READ, "sms:" + from, at);
            Client owner = client(clientOf(c, id));
            return new Texts(owner == null ? "en" : owner.language()).smsConfirmed(id,
                    owner == null ? "" : owner.shortName());
        });
    }

    /** Unconfirmed chains (running, stopped or exhausted) of {@code clients}, oldest first. */
    private static List<Long> openFor(Connection c, Set<String> clients) throws SQLException {
        String marks = String.join(", ", clients.stream().map(x -> "?").toList());
        try (PreparedStatement p = c.prepareStatement("SELECT e.message_id FROM escalations e JOIN messages m "
                + "ON m.id = e.message_id WHERE e.client_id IN (" + marks + ") AND e.state <> ? AND m.state IN (?, ?) "
                + "ORDER BY e.message_id")) {
            int i = 1;
            for (String id : clients) p.setString(i++, id);
            p.setString(i++, Chain.Status.CONFIRMED.word());
            p.setString(i++, MessageState.NEW.word());
            p.setString(i, MessageState.NOTIFIED.word());
            try (ResultSet rs = p.executeQuery()) {
                List<Long> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getLong(1));
                return out;
            }
        }
    }

    /** The clients for which {@code number} is the sms or reach number or on the on-call list. */
    private List<Client> clientsReachedAt(String number) {
        List<Client> out = new ArrayList<>();
        for (Client c : book.get().clients()) {
            if (number.equals(c.sms()) || number.equals(c.reach())
                    || c.oncall().stream().anyMatch(o -> o.number().equals(number))) {
                out.add(c);
            }
        }
        return out;
    }

    /** What call-out {@code step} says, or empty if there is no such step. */
    public Optional<CallScript> script(long step) {
        return db.read(c -> {
            StepRow st = stepByOutbox(c, step);
            if (st == null) return Optional.empty();
            Message m = MessageStore.get(c, st.messageId()).orElse(null);
            Client client = m == null ? null : client(m.clientId());
            if (m == null || client == null) return Optional.empty();
            Texts t = new Texts(client.language());
            String text = m.text() == null || m.text().isBlank() ? null : m.text().strip();
            return Optional.of(new CallScript(step, m.id(), client.language(), t.intro(client, m), m.recordingPath(),
                    text, t.choice(), t.confirmed(), t.goodbye()));
        });
    }

    // ---- the secretary's controls ----------------------------------------------------------------------------

    /** Stops the chain of message {@code messageId}: nothing further is placed. Empty if there is no chain. */
    public Optional<EscalationView> stop(long messageId, String by) {
        Instant at = clock.instant();
        boolean found = db.write(c -> {
            Chain.State s = state(c, messageId);
            if (s == null) return false;
            Client client = client(clientOf(c, messageId));
            Chain.Transition t = Chain.next(s, new Chain.Stopped(at), roster(client));
            if (t.state().status() == Chain.Status.STOPPED && s.status() != Chain.Status.STOPPED) {
                apply(c, messageId, client, s, t, at);
                try (PreparedStatement p = c.prepareStatement(
                        "UPDATE escalations SET stopped_at = ?, stopped_by = ? WHERE message_id = ?")) {
                    Sql.setInstant(p, 1, at);
                    Sql.setString(p, 2, by);
                    p.setLong(3, messageId);
                    p.executeUpdate();
                }
            }
            return true;
        });
        if (found) LOG.info("escalation of message {}: stopped by {}", messageId, by);
        return found ? get(messageId) : Optional.empty();
    }

    /**
     * Starts the chain of message {@code messageId} over: the first person on call is called at once.
     *
     * @throws StateConflictException if the message was confirmed already
     */
    public Optional<EscalationView> restart(long messageId, String by) {
        Instant at = clock.instant();
        boolean found = db.write(c -> {
            Chain.State s = state(c, messageId);
            if (s == null) return false;
            if (s.status() == Chain.Status.CONFIRMED) {
                throw new StateConflictException("message " + messageId + " is confirmed; its chain cannot be restarted");
            }
            Client client = client(clientOf(c, messageId));
            apply(c, messageId, client, s, Chain.next(s, new Chain.Restarted(at), roster(client)), at);
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE escalations SET stopped_at = NULL, stopped_by = NULL WHERE message_id = ?")) {
                p.setLong(1, messageId);
                p.executeUpdate();
            }
            return true;
        });
        if (found) {
            LOG.info("escalation of message {}: restarted by {}", messageId, by);
            wake.run();
        }
        return found ? get(messageId) : Optional.empty();
    }

    public Optional<EscalationView> get(long messageId) {
        return db.read(c -> view(c, messageId));
    }

    /** Chains newest first: all, or only the unconfirmed ones. */
    public List<EscalationView> list(boolean unconfirmedOnly, int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit " + limit + " < 1");
        return db.read(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT message_id FROM escalations "
                    + (unconfirmedOnly ? "WHERE state <> ? " : "") + "ORDER BY started_at DESC, message_id DESC LIMIT ?")) {
                int i = 1;
                if (unconfirmedOnly) p.setString(i++, Chain.Status.CONFIRMED.word());
                p.setInt(i, limit);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) ids.add(rs.getLong(1));
                }
            }
            List<EscalationView> out = new ArrayList<>();
            for (long id : ids) view(c, id).ifPresent(out::add);
            return out;
        });
    }

    // ---- the outbox: call-outs -------------------------------------------------------------------------------

    /**
     * The outbox's delivery for every channel: call-outs here, SMS and e-mail through the given ones (null: that
     * channel is not configured; its rows are retried until their give-up time).
     */
    public Delivery delivery(Delivery sms, Delivery email) {
        return new Delivery() {
            @Override
            public String deliver(Notification n) throws SendFailure {
                return switch (n.channel()) {
                    case CALL -> placeCall(n);
                    case SMS -> notConfigured(sms, "SMS (twilio.account-sid, twilio.auth-token, twilio.from)").deliver(n);
                    case EMAIL -> notConfigured(email, "e-mail (mail.host, mail.from)").deliver(n);
                };
            }

            @Override
            public Optional<String> find(Notification n) {
                return switch (n.channel()) {
                    case CALL -> findCall(n);
                    case SMS -> sms == null ? Optional.empty() : sms.find(n);
                    case EMAIL -> email == null ? Optional.empty() : email.find(n);
                };
            }

            @Override
            public List<String> candidates(Notification abandoned) throws SendFailure {
                if (abandoned.channel() == Channel.SMS && sms != null) return sms.candidates(abandoned);
                return Delivery.super.candidates(abandoned);
            }
        };
    }

    private static Delivery notConfigured(Delivery d, String what) {
        if (d != null) return d;
        return n -> {
            throw new SendFailure(false, what + " is not configured", null);
        };
    }

    private record Placing(CallOut.Order order, boolean busy, String why, Instant placedBefore) {
    }

    private String placeCall(Notification n) throws SendFailure {
        CallOut out = callOut;
        if (out == null) throw new SendFailure(false, "no PBX for call-outs (set ami.host or the twilio keys)", null);
        Instant now = clock.instant();
        Placing p = db.write(c -> {
            StepRow st = stepByOutbox(c, n.id());
            if (st == null) return new Placing(null, false, "no escalation step for outbox " + n.id(), null);
            Chain.State s = state(c, st.messageId());
            Message m = MessageStore.get(c, st.messageId()).orElse(null);
            if (s == null || m == null || s.status() != Chain.Status.RUNNING || s.awaiting() != st.step()
                    || m.state().ordinal() >= MessageState.READ.ordinal()) {
                if (st.outcome() == null) setOutcome(c, st, CallOutcome.CANCELLED, now);
                return new Placing(null, false, "the chain is " + (s == null ? "gone" : s.status().word())
                        + (m != null && m.state().ordinal() >= MessageState.READ.ordinal() ? " (message read)" : ""), null);
            }
            if (st.placedAt() == null && !reserveLine(c, st, now)) {
                return new Placing(null, true, "line busy: another call-out to " + st.number() + " is in progress", null);
            }
            Client client = client(m.clientId());
            int ring = client == null ? 30 : (int) client.escalation().ring().getSeconds();
            return new Placing(new CallOut.Order(n.id(), m.id(), m.clientId(), st.number(), ring,
                    client == null ? "en" : client.language()), false, null, st.placedAt());
        });
        if (p.order() == null) {
            if (p.busy()) throw SendFailure.notNow(p.why(), LINE_BUSY_RETRY);
            throw SendFailure.cancelled(p.why());
        }
        if (p.placedBefore() != null) {
            // an earlier attempt of this step may have reached the PBX (a time-out, a stop mid-request)
            Optional<String> earlier = unrecorded(out, p.order(), p.placedBefore());
            if (earlier.isPresent()) {
                LOG.info("escalation call-out {}: the PBX placed it already as {}; not placed again", n.id(), earlier.get());
                return earlier.get();
            }
        }
        try {
            return out.place(p.order());
        } catch (SendFailure f) {
            if (f.permanent()) callEnded(n.id(), CallOutcome.FAILED, clock.instant());
            throw f;
        }
    }

    /** Takes {@code st.number()}'s line for this step unless another step holds it; in the caller's transaction. */
    private static boolean reserveLine(Connection c, StepRow st, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE escalation_steps SET placed_at = ? WHERE message_id = ? "
                + "AND step = ? AND placed_at IS NULL AND NOT EXISTS (SELECT 1 FROM escalation_steps o WHERE "
                + "o.number = ? AND o.placed_at IS NOT NULL AND o.outcome IS NULL AND NOT (o.message_id = ? AND o.step = ?))")) {
            Sql.setInstant(p, 1, now);
            p.setLong(2, st.messageId());
            p.setInt(3, st.step());
            p.setString(4, st.number());
            p.setLong(5, st.messageId());
            p.setInt(6, st.step());
            return p.executeUpdate() == 1;
        }
    }

    private Optional<String> findCall(Notification n) {
        CallOut out = callOut;
        if (out == null) return Optional.empty();
        StepRow st = db.read(c -> stepByOutbox(c, n.id()));
        if (st == null || st.placedAt() == null) return Optional.empty(); // never handed to the PBX
        Message m = messages.get(st.messageId()).orElse(null);
        Client client = m == null ? null : client(m.clientId());
        CallOut.Order order = new CallOut.Order(n.id(), st.messageId(), m == null ? null : m.clientId(), st.number(),
                client == null ? 30 : (int) client.escalation().ring().getSeconds(),
                client == null ? "en" : client.language());
        return unrecorded(out, order, st.placedAt());
    }

    /**
     * The step held the number's line from {@code placedAt} on, so a call to it since then that no other step
     * recorded as its own is this step's.
     */
    private Optional<String> unrecorded(CallOut out, CallOut.Order order, Instant placedAt) {
        List<String> found;
        try {
            found = out.find(order, placedAt);
        } catch (RuntimeException e) {
            LOG.warn("escalation call-out {}: cannot ask the PBX for its calls: {}", order.step(), e.getMessage());
            return Optional.empty();
        }
        for (String sid : found) {
            boolean known = db.read(c -> !ids(c, "SELECT id FROM outbox WHERE provider_id = ?", sid).isEmpty());
            if (!known) return Optional.of(sid);
        }
        return Optional.empty();
    }

    /**
     * Records the ends nobody reported: a call-out placed longer ago than it could ring and last, and a call-out
     * whose outbox row failed (gave up) or was cancelled. Returns how many it recorded. Call it every few seconds.
     */
    public int runOnce() {
        Instant now = clock.instant();
        List<Long> lost = db.read(c -> ids(c, "SELECT outbox_id FROM escalation_steps WHERE outcome IS NULL AND "
                + "channel = ? AND placed_at IS NOT NULL AND placed_at < ? AND outbox_id IS NOT NULL",
                Channel.CALL.word(), now.minus(MAX_RING).minus(callMax).toEpochMilli()));
        List<Long> failed = db.read(c -> ids(c, "SELECT s.outbox_id FROM escalation_steps s JOIN outbox o ON o.id = "
                + "s.outbox_id WHERE s.outcome IS NULL AND s.channel = ? AND o.state IN (?, ?)", Channel.CALL.word(),
                "failed", "cancelled"));
        int n = 0;
        for (long id : lost) {
            if (callEnded(id, CallOutcome.UNKNOWN, now)) {
                LOG.warn("escalation call-out {}: its end was never reported; recorded as unknown", id);
                n++;
            }
        }
        for (long id : failed) if (callEnded(id, CallOutcome.FAILED, now)) n++;
        return n;
    }

    // ---- applying transitions --------------------------------------------------------------------------------

    private void apply(Connection c, long messageId, Client client, Chain.State before, Chain.Transition t, Instant at)
            throws SQLException {
        if (!t.changed(before)) return;
        Chain.State s = t.state();
        try (PreparedStatement p = c.prepareStatement("UPDATE escalations SET state = ?, round = ?, position = ?, "
                + "steps = ?, awaiting = ?, updated_at = ? WHERE message_id = ? AND state = ? AND steps = ? AND awaiting = ?")) {
            p.setString(1, s.status().word());
            p.setInt(2, s.round());
            p.setInt(3, s.position());
            p.setInt(4, s.steps());
            p.setInt(5, s.awaiting());
            Sql.setInstant(p, 6, at);
            p.setLong(7, messageId);
            p.setString(8, before.status().word());
            p.setInt(9, before.steps());
            p.setInt(10, before.awaiting());
            if (p.executeUpdate() != 1) {
                throw new StateConflictException("escalation of message " + messageId + " changed meanwhile");
            }
        }
        for (Chain.Effect e : t.effects()) {
            if (e instanceof Chain.Call call) {
                String key = "call:" + messageId + ":" + call.step();
                NewNotification n = new NewNotification(key, NotificationKind.CALLOUT, Channel.CALL, client.id(),
                        call.person().number(), call.person().name(), call.at(), call.at().plus(giveUpAfter));
                Long outbox = OutboxStore.enqueue(c, n, List.of(messageId)).orElse(null);
                insertStep(c, messageId, call.step(), Channel.CALL, call.person().name(), call.person().number(), outbox,
                        call.at());
                LOG.info("escalation of message {}: step {} calls {} ({}) at {}", messageId, call.step(),
                        call.person().name(), call.person().number(), call.at());
            } else if (e instanceof Chain.CancelQueued) {
                for (StepRow st : steps(c, messageId)) {
                    if (st.outcome() != null || st.outboxId() == null || st.channel() != Channel.CALL) continue;
                    if (OutboxStore.cancelPending(c, st.outboxId(), "escalation " + s.status().word())) {
                        setOutcome(c, st, CallOutcome.CANCELLED, at);
                    }
                }
            }
        }
        if (s.status() == Chain.Status.EXHAUSTED) {
            LOG.warn("escalation of message {}: nobody confirmed it; every person on call was tried", messageId);
        }
    }

    private Chain.Roster roster(Client client) {
        if (client == null) return new Chain.Roster(t -> List.of(), de.vorzimmer.book.EscalationPolicy.STANDARD);
        return new Chain.Roster(client::onCallAt, client.escalation());
    }

    private Client client(String id) {
        if (id == null) return null;
        for (Client c : book.get().clients()) if (c.id().equals(id)) return c;
        return null;
    }

    // ---- rows --------------------------------------------------------------------------------------------------

    private record StepRow(long messageId, int step, Channel channel, String person, String number, Long outboxId,
                           Instant dueAt, Instant placedAt, String outcome, Instant endedAt) {
    }

    private static final String STEP_COLUMNS = "message_id, step, channel, person, number, outbox_id, due_at, placed_at, "
            + "outcome, ended_at";

    private static void insertStep(Connection c, long messageId, int step, Channel channel, String person, String number,
                                   Long outboxId, Instant due) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO escalation_steps (message_id, step, channel, person, "
                + "number, outbox_id, due_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id, step) DO NOTHING")) {
            p.setLong(1, messageId);
            p.setInt(2, step);
            p.setString(3, channel.word());
            p.setString(4, person);
            p.setString(5, number);
            if (outboxId == null) p.setNull(6, java.sql.Types.BIGINT);
            else p.setLong(6, outboxId);
            Sql.setInstant(p, 7, due);
            p.executeUpdate();
        }
    }

    private static void setOutcome(Connection c, StepRow st, CallOutcome outcome, Instant at) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE escalation_steps SET outcome = ?, ended_at = ? "
                + "WHERE message_id = ? AND step = ? AND outcome IS NULL")) {
            p.setString(1, outcome.word());
            Sql.setInstant(p, 2, at);
            p.setLong(3, st.messageId());
            p.setInt(4, st.step());
            p.executeUpdate();
        }
    }

    private static StepRow stepByOutbox(Connection c, long outboxId) throws SQLException {
        List<StepRow> l = stepRows(c, "SELECT " + STEP_COLUMNS + " FROM escalation_steps WHERE outbox_id = ?", outboxId);
        return l.isEmpty() ? null : l.get(0);
    }

    private static List<StepRow> steps(Connection c, long messageId) throws SQLException {
        return stepRows(c, "SELECT " + STEP_COLUMNS + " FROM escalation_steps WHERE message_id = ? ORDER BY step", messageId);
    }

    private static List<StepRow> stepRows(Connection c, String sql, long key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setLong(1, key);
            try (ResultSet rs = p.executeQuery()) {
                List<StepRow> out = new ArrayList<>();
                while (rs.next()) {
                    long outbox = rs.getLong("outbox_id");
                    out.add(new StepRow(rs.getLong("message_id"), rs.getInt("step"), Channel.parse(rs.getString("channel")),
                            rs.getString("person"), rs.getString("number"), rs.wasNull() ? null : outbox,
                            Sql.instant(rs, "due_at"), Sql.instant(rs, "placed_at"), rs.getString("outcome"),
                            Sql.instant(rs, "ended_at")));
                }
                return out;
            }
        }
    }

    private static Chain.State state(Connection c, long messageId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT state, round, position, steps, awaiting FROM escalations WHERE message_id = ?")) {
            p.setLong(1, messageId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) return null;
                return new Chain.State(Chain.Status.parse(rs.getString("state")), rs.getInt("round"),
                        rs.getInt("position"), rs.getInt("steps"), rs.getInt("awaiting"));
            }
        }
    }

    private static String clientOf(Connection c, long messageId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT client_id FROM escalations WHERE message_id = ?")) {
            p.setLong(1, messageId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static Long outboxId(Connection c, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM outbox WHERE dedupe_key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static List<Long> ids(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) p.setObject(i + 1, params[i]);
            try (ResultSet rs = p.executeQuery()) {
                List<Long> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getLong(1));
                return out;
            }
        }
    }

    private static Optional<EscalationView> view(Connection c, long messageId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT message_id, client_id, state, round, started_at, updated_at, "
                + "confirmed_at, confirmed_by, confirmed_via, stopped_at, stopped_by FROM escalations WHERE message_id = ?")) {
            p.setLong(1, messageId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                List<EscalationView.Step> steps = new ArrayList<>();
                for (StepRow st : steps(c, messageId)) {
                    String state = null;
                    int attempts = 0;
                    String error = null;
                    if (st.outboxId() != null) {
                        try (PreparedStatement q = c.prepareStatement(
                                "SELECT state, attempts, last_error FROM outbox WHERE id = ?")) {
                            q.setLong(1, st.outboxId());
                            try (ResultSet o = q.executeQuery()) {
                                if (o.next()) {
                                    state = o.getString(1);
                                    attempts = o.getInt(2);
                                    error = o.getString(3);
                                }
                            }
                        }
                    }
                    steps.add(new EscalationView.Step(st.step(), st.channel().word(), st.person(), st.number(), st.dueAt(),
                            st.placedAt(), st.outcome(), st.endedAt(), st.outboxId(), state, attempts, error));
                }
                return Optional.of(new EscalationView(rs.getLong("message_id"), rs.getString("client_id"),
                        Chain.Status.parse(rs.getString("state")), rs.getInt("round"), Sql.instant(rs, "started_at"),
                        Sql.instant(rs, "updated_at"), Sql.instant(rs, "confirmed_at"), rs.getString("confirmed_by"),
                        rs.getString("confirmed_via"), Sql.instant(rs, "stopped_at"), rs.getString("stopped_by"), steps));
            }
        }
    }
}

package de.vorzimmer.messages;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.Client;
import de.vorzimmer.book.IntakeField;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.text.Printable;
import de.vorzimmer.notify.NewNotification;
import de.vorzimmer.notify.NotificationKind;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every message comes in (console API, Asterisk and Twilio recordings, missed calls): checks it against the
 * book in force, stores it, and for an urgent one queues the SMS to the client's {@code sms} number in the same
 * transaction. {@link #take} returns only after the commit (group commit through {@link MessageWriter}), so a
 * returned message is durable and its SMS will be sent. Blocking: call it off the event loop.
 */
public final class MessageDesk {
    private static final Logger LOG = LoggerFactory.getLogger(MessageDesk.class);
    public static final int MAX_TEXT = 4000;
    public static final int MAX_INTAKE_VALUE = 500;
    private static final java.util.regex.Pattern LETTERS = java.util.regex.Pattern.compile("\\p{L}");

    private final MessageWriter writer;
    private final MessageStore store;
    private final Supplier<Book> book;
    private final Clock clock;
    private final Duration giveUpAfter;
    private final Runnable urgentQueued;
    /** Told of every message {@link #take} stored, after its commit; must not block (see {@link #afterStore}). */
    private volatile Consumer<Message> stored = m -> { };

    /**
     * @param giveUpAfter  how long the outbox keeps trying an urgent SMS
     * @param urgentQueued called after an urgent SMS was committed to the outbox (wakes the worker)
     */
    public MessageDesk(MessageWriter writer, Supplier<Book> book, Clock clock, Duration giveUpAfter,
                       Runnable urgentQueued) {
        this.writer = Objects.requireNonNull(writer, "writer == null");
        this.store = writer.store();
        this.book = Objects.requireNonNull(book, "book == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.giveUpAfter = Objects.requireNonNull(giveUpAfter, "giveUpAfter == null");
        this.urgentQueued = Objects.requireNonNull(urgentQueued, "urgentQueued == null");
    }

    /**
     * Stores {@code in} and returns it as stored (with its id), after the commit.
     *
     * @throws MessageRejected naming the field, for an unknown client, an unknown or missing required intake field
     *                         or an overlong value; nothing is stored then
     */
    public Message take(NewMessage in) {
        Message m = checked(in);
        long id = writer.add(m, newId -> notificationsFor(m, newId));
        if (queuesAny(m)) urgentQueued.run();
        return stored(m.withId(id));
    }

    /**
     * As {@link #take}, but written with the store directly, inside the caller's open transaction: for an adapter
     * that stores a message together with its own change (a Twilio call settled with its recording), so both commit
     * or neither. The caller calls {@link #notificationsQueued()} after its commit; the after-store listener is not
     * told (it is for typed messages, which come through {@link #take}).
     */
    public Message takeWithin(NewMessage in) {
        Message m = checked(in);
        return m.withId(store.add(m, newId -> notificationsFor(m, newId)));
    }

    /** {@code in} checked against the book in force, as a message to store. */
    private Message checked(NewMessage in) {
        Objects.requireNonNull(in, "message == null");
        Client client = null;
        if (in.clientId() != null) {
            client = book.get().clients().stream().filter(c -> c.id().equals(in.clientId())).findFirst()
                    .orElseThrow(() -> new MessageRejected("client", "unknown client '" + in.clientId() + "'"));
        }
        if (in.text() != null && in.text().length() > MAX_TEXT) {
            throw new MessageRejected("text", "text is longer than " + MAX_TEXT + " characters");
        }
        String intakeJson = intake(client, in);
        String callerNumber = in.kind() == MessageKind.TYPED ? typedNumber(client, in.callerNumber()) : in.callerNumber();
        Instant now = clock.instant();
        return Message.received(now, in.clientId(), in.line(), callerNumber, in.callerName(), in.kind(),
                in.text(), in.recordingPath(), in.urgent(), in.callId(), in.callbackWanted(), intakeJson);
    }

    /**
     * A number a secretary typed, read as every other number is (libphonenumber, the client's region, else the book's):
     * stored in E.164, so the screen-pop, the SMS and the call-back find it. Blank stays blank (the caller gave none).
     *
     * @throws MessageRejected naming the field for anything that is not a phone number
     */
    private String typedNumber(Client client, String number) {
        if (number == null || number.isBlank()) return null;
        String region = client != null ? client.region() : book.get().defaults().region();
        // libphonenumber reads letters as a keypad's (0800 FLOWERS); a secretary types digits
        if (LETTERS.matcher(number).find()) {
            throw new MessageRejected("caller_number", "caller_number '" + Printable.clip(number, 40)
                    + "' is not a phone number (letters in it)");
        }
        try {
            return PhoneNumbers.toE164(number, region);
        } catch (IllegalArgumentException e) {
            throw new MessageRejected("caller_number", "caller_number '" + Printable.clip(number, 40) + "' is not a phone number ("
                    + e.getMessage() + ")");
        }
    }

    private Message stored(Message out) {
        try {
            stored.accept(out);
        } catch (RuntimeException e) {
            LOG.warn("message {}: after-store listener failed: {}", out.id(), e.getMessage());
        }
        return out;
    }

    /**
     * Sets who is told of each message {@link #take} stored, after its commit (e.g. to prepare the typed text's
     * speech for the phone-in line). It runs on the caller's thread and must hand longer work off; a failure is
     * logged and does not undo the message.
     */
    public void afterStore(Consumer<Message> listener) {
        this.stored = Objects.requireNonNull(listener, "listener == null");
    }

    /**
     * What storing {@code m} (with the id {@code id}) queues in the same transaction: for an urgent message of a
     * client with an {@code sms} number, the SMS. For stores that write messages themselves (the PBX's recordings
     * and missed calls); call {@link #notificationsQueued()} after their commit.
     */
    public List<NewNotification> notificationsFor(Message m, long id) {
        Client c = m.clientId() == null ? null : client(m.clientId()).orElse(null);
        Instant now = clock.instant();
        List<NewNotification> out = new java.util.ArrayList<>(2);
        if (m.urgent()) {
            String to = c == null ? null : c.urgentSmsTo(now);
            if (to == null) {
                LOG.warn("urgent message for {} cannot be sent by SMS: {}", m.clientId() == null ? "no client" : m.clientId(),
                        c == null ? "no such client" : "client has no sms number and nobody on call");
            } else {
                out.add(new NewNotification(NewNotification.urgentKey(id), NotificationKind.URGENT, c.id(), to,
                        SmsText.urgent(c, m.withId(id)), now, now.plus(giveUpAfter)));
            }
        }
        if (c != null && c.email() != null && c.emailFor().mailsAtOnce(m.urgent())) {
            // the e-mail is written when it is sent (recording attached); the body column keeps its subject
            out.add(new NewNotification(NewNotification.emailKey(id), m.urgent() ? NotificationKind.URGENT
                    : NotificationKind.MESSAGE, de.vorzimmer.notify.Channel.EMAIL, c.id(), c.email(),
                    MailSubject.of(c, m.withId(id)), now, now.plus(giveUpAfter)));
        }
        return out;
    }

    /** Wakes the outbox worker after an urgent SMS was committed outside {@link #take}. */
    public void notificationsQueued() {
        urgentQueued.run();
    }

    private boolean queuesAny(Message m) {
        if (m.clientId() == null) return false;
        return client(m.clientId()).map(c -> m.urgent() && c.urgentSmsTo(m.createdAt()) != null
                || c.email() != null && c.emailFor().mailsAtOnce(m.urgent())).orElse(false);
    }

    /** The intake as a JSON object in book order, or null when there is none. */
    private static String intake(Client client, NewMessage in) {
        Map<String, String> given = in.intake();
        if (client == null) {
            if (!given.isEmpty()) throw new MessageRejected("intake", "intake fields need a client");
            return null;
        }
        Map<String, IntakeField> known = new HashMap<>();
        for (IntakeField f : client.intake()) known.put(f.name(), f);
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (!known.containsKey(e.getKey())) {
                throw new MessageRejected("intake." + e.getKey(), "client '" + client.id() + "' has no intake field '"
                        + e.getKey() + "'; its fields: " + client.intake().stream().map(IntakeField::name).toList());
            }
            if (e.getValue() != null && e.getValue().length() > MAX_INTAKE_VALUE) {
                throw new MessageRejected("intake." + e.getKey(), "intake field '" + e.getKey() + "' is longer than "
                        + MAX_INTAKE_VALUE + " characters");
            }
        }
        // Required fields are the secretary's to fill in; recordings and missed calls arrive without them.
        if (in.kind() == MessageKind.TYPED) {
            for (IntakeField f : client.intake()) {
                String v = given.get(f.name());
                if (f.required() && (v == null || v.isBlank())) {
                    throw new MessageRejected("intake." + f.name(), "intake field '" + f.name() + "' is required for client '"
                            + client.id() + "'");
                }
            }
        }
        if (given.isEmpty()) return null;
        JsonObject o = new JsonObject();
        for (IntakeField f : client.intake()) {
            String v = given.get(f.name());
            if (v != null) o.put(f.name(), v);
        }
        return o.encode();
    }

    /** The client {@code id} in the book in force. */
    public Optional<Client> client(String id) {
        return book.get().clients().stream().filter(c -> c.id().equals(id)).findFirst();
    }
}

package de.vorzimmer.phonein;

import de.vorzimmer.book.Client;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageFilter;
import de.vorzimmer.messages.MessageState;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.status.Override;
import de.vorzimmer.messages.MessageStore;
import de.vorzimmer.status.StatusService;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link PhoneInDialog} against the real world for both adapters: answers its {@link PhoneInFacts} from the
 * routing snapshot and the store, and carries out its effects (overrides through the {@link StatusService}, messages marked read, PIN attempts, locks with an alert on {@link #ALERTS}). Blocking (JDBC,
 * PBKDF2): call off the event loop.
 */
public final class PhoneInLine {
    private static final Logger LOG = LoggerFactory.getLogger(PhoneInLine.class);
    /** Event-bus address for alerts to the secretaries (JSON objects with a {@code type}). */
    public static final String ALERTS = "vorzimmer.alerts";
    static final int MESSAGE_LIMIT = 50;

    /** Where alerts go: an event-bus publish in the server. */
    @FunctionalInterface
    public interface Alerts {
        void publish(String address, JsonObject alert);
    }

    /** Which call a step belongs to, for the records and the log. */
    public record CallRef(String channel, String callId) {
        public CallRef {
            Objects.requireNonNull(channel, "channel == null");
            callId = callId == null ? "-" : callId;
        }
    }

    private final LiveRouting routing;
    private final StatusService status;
    private final MessageStore messages;
    private final PhoneInStore pins;
    private final PinHasher hasher;
    private final Alerts alerts;

    /**
     * @param status where the dialog's status changes go (live for routing at once); blocking
     */
    public PhoneInLine(LiveRouting routing, StatusService status, MessageStore messages, PhoneInStore pins,
                       PinHasher hasher, Alerts alerts) {
        this.routing = Objects.requireNonNull(routing, "routing == null");
        this.status = Objects.requireNonNull(status, "status == null");
        this.messages = Objects.requireNonNull(messages, "messages == null");
        this.pins = Objects.requireNonNull(pins, "pins == null");
        this.hasher = Objects.requireNonNull(hasher, "hasher == null");
        this.alerts = Objects.requireNonNull(alerts, "alerts == null");
    }

    public Instant now() {
        return routing.now();
    }

    /** The first step of a call; {@code callerId} as the network gave it (normalised here, anonymous is empty). */
    public Step start(CallRef call, String callerId, Instant now) {
        String region = routing.snapshot().book().book().defaults().region();
        String caller = PhoneNumbers.looksAnonymous(callerId) ? "" : PhoneNumbers.normalizeIncoming(callerId, region);
        Step step = PhoneInDialog.start(caller, now, new Facts());
        apply(call, step, now);
        LOG.info("phone-in [{} {}]: call from {} -> {} client={}", call.channel(), call.callId(),
                caller.isEmpty() ? "anonymous" : caller, step.state().phase(), step.state().clientId());
        return step;
    }

    public Step next(CallRef call, DialogState state, Input input, Instant now) {
        Step step = PhoneInDialog.next(state, input, now, new Facts());
        apply(call, step, now);
        LOG.info("phone-in [{} {}]: {} {} -> {} client={}{}", call.channel(), call.callId(), state.phase(),
                describe(state.phase(), input), step.state().phase(), step.state().clientId(),
                step.effects().isEmpty() ? "" : " " + effects(step.effects()));
        return step;
    }

    private void apply(CallRef call, Step step, Instant now) {
        String caller = step.state().caller();
        for (Effect e : step.effects()) {
            if (e instanceof Effect.SetOverride s) {
                status.set(s.override());
            } else if (e instanceof Effect.MarkRead r) {
                Optional<Message> m = messages.get(r.messageId());
                // only forward: a message a secretary already closed stays done
                if (m.isPresent() && m.get().state().canMoveTo(MessageState.READ)) {
                    messages.setState(r.messageId(), MessageState.READ, PhoneInDialog.SOURCE, now);
                }
            } else if (e instanceof Effect.PinAttempt a) {
                pins.recordAttempt(a.clientId(), a.ok(), now, call.channel(), call.callId(), caller);
            } else if (e instanceof Effect.Lock l) {
                pins.lock(l.clientId(), now, l.until(), l.failures(), call.channel(), call.callId(), caller);
                JsonObject alert = new JsonObject().put("type", "phonein-locked").put("client", l.clientId())
                        .put("failures", l.failures()).put("at", now.toString()).put("until", l.until().toString())
                        .put("channel", call.channel()).put("callId", call.callId())
                        .put("caller", caller.isEmpty() ? null : caller)
                        .put("text", "Phone-in locked for client " + l.clientId() + " until " + l.until() + " after "
                                + l.failures() + " wrong PINs within an hour");
                LOG.warn("phone-in [{} {}]: {} wrong PINs for client {} within an hour (last from {}): phone-in locked until {}",
                        call.channel(), call.callId(), l.failures(), l.clientId(), caller.isEmpty() ? "anonymous" : caller,
                        l.until());
                alerts.publish(ALERTS, alert);
            }
        }
    }

    private static String describe(DialogState.Phase phase, Input in) {
        if (in instanceof Input.Keys k) {
            // never log a PIN
            return phase == DialogState.Phase.ASK_PIN ? "keys(" + k.digits().length() + ")" : "keys " + k.digits();
        }
        return in instanceof Input.Timeout ? "timeout" : "hangup";
    }

    private static String effects(List<Effect> effects) {
        List<String> out = new ArrayList<>();
        for (Effect e : effects) {
            if (e instanceof Effect.SetOverride s) {
                Override o = s.override();
                out.add("override " + o.kind().word() + (o.number() == null ? "" : " " + o.number())
                        + (o.until() == null ? "" : " until " + o.until()));
            } else if (e instanceof Effect.MarkRead r) {
                out.add("read " + r.messageId());
            } else if (e instanceof Effect.PinAttempt a) {
                out.add(a.ok() ? "pin ok" : "pin wrong");
            } else if (e instanceof Effect.Lock l) {
                out.add("locked until " + l.until());
            }
        }
        return String.join(", ", out);
    }

    /** The facts as of now: the routing snapshot (book, overrides) and the store (PINs, messages). */
    private final class Facts implements PhoneInFacts {
        private final BookIndex book = routing.snapshot().book();

        @java.lang.Override
        public String defaultLanguage() {
            return book.book().defaults().language();
        }

        @java.lang.Override
        public Client clientByCaller(String callerE164) {
            for (Client c : book.book().clients()) {
                if (callerE164.equals(c.reach()) || callerE164.equals(c.sms())) return c;
            }
            return null;
        }

        @java.lang.Override
        public Client clientByCode(String digits) {
            Map<String, String> byRegion = new HashMap<>();
            for (Client c : book.book().clients()) {
                String e164 = byRegion.computeIfAbsent(c.region(), r -> asLine(digits, r));
                if (e164 != null && c.lines().contains(e164)) return c;
            }
            return null;
        }

        /** A code as a number: {@code 49301234567} is international, {@code 0301234567} national in the region. */
        private static String asLine(String digits, String region) {
            try {
                if (!digits.startsWith("0")) return PhoneNumbers.toE164("+" + digits, region);
                return PhoneNumbers.toE164(digits, region);
            } catch (IllegalArgumentException e) {
                return "";
            }
        }

        @java.lang.Override
        public Client client(String id) {
            BookIndex.ClientEntry e = book.client(id);
            return e == null ? null : e.client();
        }

        @java.lang.Override
        public boolean pinMatches(Client client, String pin) {
            return client.pinHash() != null && hasher.verify(pin, client.pinHash());
        }

        @java.lang.Override
        public PinLockout.PinState pinState(String clientId, Instant now) {
            return pins.pinState(clientId, now);
        }

        @java.lang.Override
        public List<Override> overrides(String clientId) {
            return routing.snapshot().live().of(clientId);
        }

        @java.lang.Override
        public de.vorzimmer.status.CalendarView calendar(String clientId) {
            return routing.snapshot().calendar(clientId);
        }

        @java.lang.Override
        public List<Message> unreadMessages(String clientId) {
            List<Message> out = new ArrayList<>();
            for (MessageState s : List.of(MessageState.NEW, MessageState.NOTIFIED)) {
                out.addAll(messages.list(new MessageFilter(clientId, s, null, null, MESSAGE_LIMIT)));
            }
            out.sort(Comparator.comparing(Message::createdAt).thenComparingLong(Message::id));
            return out.size() > MESSAGE_LIMIT ? out.subList(0, MESSAGE_LIMIT) : out;
        }

        @java.lang.Override
        public Message message(long id) {
            return messages.get(id).orElse(null);
        }
    }
}

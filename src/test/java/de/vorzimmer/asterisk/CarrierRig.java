package de.vorzimmer.asterisk;

import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.calls.CallUpdate;
import de.vorzimmer.config.Config;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageFilter;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.notify.FakeTwilio;
import de.vorzimmer.phonein.PhoneInLine;
import de.vorzimmer.server.VorzimmerServer;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * What the carrier-call tests run against: the sandbox Asterisk with its sample trunk, SIPp as the carrier, the
 * softphone {@code anna}, the server in-process on a temporary SQLite file with {@code asterisk/carrier-book.yaml},
 * Twilio's REST API faked on loopback for the SMS, and everything the server says: the live call state and alerts on
 * the event bus, and its log lines (a Logback appender on the root logger).
 */
final class CarrierRig implements AutoCloseable {
    static final String BOOK = "/asterisk/carrier-book.yaml";
    private static final Duration WAIT = Duration.ofSeconds(60);

    final Sandbox sandbox;
    final Sipp sipp;
    final FakeTwilio twilio;
    final Path dir;
    final Path db;
    final Config config;
    final List<JsonObject> events = new CopyOnWriteArrayList<>();
    final List<JsonObject> alerts = new CopyOnWriteArrayList<>();
    private final List<ILoggingEvent> log = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender;
    /** The root level before the rig: a command-line test in the same JVM may have turned it down to WARN. */
    private final Level savedLevel;
    private final String savedAgiHost = "127.0.0.1:4573";
    VorzimmerServer server;

    private CarrierRig(Sandbox sandbox, Path dir, FakeTwilio twilio) throws Exception {
        this.sandbox = sandbox;
        this.dir = dir;
        this.twilio = twilio;
        this.sipp = Sipp.of(sandbox, dir);
        this.db = dir.resolve("vz.db");
        try (Stores store = Stores.open(db, Durability.FULL, new PinHasher());
             InputStream in = CarrierRig.class.getResourceAsStream(BOOK)) {
            Book book = BookLoader.load(new String(in.readAllBytes(), StandardCharsets.UTF_8), new PinHasher());
            store.books().save(book, "carrier test", Instant.now().minusSeconds(3600));
        }
        Map<String, String> o = sandbox.serverSettings(db, Sandbox.freePort());
        o.putAll(twilio.smsSettings("carrier-test-token"));
        config = Config.load(null, Map.of(), o);
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                e.prepareForDeferredProcessing();
                log.add(e);
            }
        };
        appender.setName("carrier-test");
        appender.start();
        savedLevel = root().getLevel();
        root().setLevel(Level.INFO);
        root().addAppender(appender);
    }

    static CarrierRig start(Path dir) throws Exception {
        Sandbox sandbox = Sandbox.ensureUp();
        CarrierRig rig = new CarrierRig(sandbox, dir, new FakeTwilio());
        try {
            sandbox.startSoftphone("anna");
            rig.startServer();
            return rig;
        } catch (Exception | Error e) {
            rig.close();
            throw e;
        }
    }

    private static ch.qos.logback.classic.Logger root() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    void startServer() throws Exception {
        server = VorzimmerServer.start(config, false, Clock.systemUTC());
        server.vertx().eventBus().<JsonObject>consumer(CallUpdate.ADDRESS, m -> events.add(m.body()));
        server.vertx().eventBus().<JsonObject>consumer(PhoneInLine.ALERTS, m -> alerts.add(m.body()));
        sandbox.setGlobal("VZ_AGI_HOST", "127.0.0.1:" + server.agiPort());
        Sandbox.await(Duration.ofSeconds(15), "AMI logged in", () -> server.asterisk().amiConnected());
        Sandbox.await(Duration.ofSeconds(20), "anna on duty", () -> !server.routing().snapshot().offDuty().contains("anna"));
    }

    void stopServer() {
        if (server != null) server.close();
        server = null;
    }

    /** Dialplan globals set for a while; closing puts the sandbox's values back. */
    final class Globals implements AutoCloseable {
        private final Map<String, String> saved = new LinkedHashMap<>();

        private Globals(Map<String, String> values) {
            for (Map.Entry<String, String> e : values.entrySet()) {
                saved.put(e.getKey(), global(e.getKey()));
                sandbox.setGlobal(e.getKey(), e.getValue());
            }
        }

        @Override
        public void close() {
            saved.forEach((k, v) -> sandbox.setGlobal(k, v));
        }
    }

    Globals globals(Map<String, String> values) {
        return new Globals(values);
    }

    private String global(String name) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + "=(.*)$")
                .matcher(readConfig("extensions_vorzimmer_globals.conf"));
        return m.find() ? m.group(1).strip() : "";
    }

    private String readConfig(String name) {
        try {
            return Files.readString(Path.of(sandbox.status.get("config")).resolve(name));
        } catch (IOException e) {
            return fail("cannot read the sandbox's " + name + ": " + e.getMessage());
        }
    }

    String phoneInNumber() {
        String n = sandbox.status.get("phonein_numbers");
        if (n == null || n.isBlank()) fail("the sandbox has no phone-in number on its trunk (phonein_numbers=)");
        return n.split("&")[0];
    }

    // ------------------------------------------------------------ what the server said

    /** The first live call state {@code state} published after event number {@code from}. */
    JsonObject awaitEvent(int from, String state) {
        Sandbox.await(WAIT, "a call in state " + state + " (seen: " + statesSince(from) + ")",
                () -> eventSince(from, state) != null);
        return eventSince(from, state);
    }

    private JsonObject eventSince(int from, String state) {
        for (int i = from; i < events.size(); i++) {
            if (state.equals(events.get(i).getString("state"))) return events.get(i);
        }
        return null;
    }

    private List<String> statesSince(int from) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < events.size(); i++) out.add(events.get(i).getString("state"));
        return out;
    }

    /** The decision logged for the call (its JSON from the call log). */
    JsonObject decisionOf(String callId) {
        Sandbox.await(Duration.ofSeconds(10), "call log row for " + callId,
                () -> !Stores.on(server.database()).calls().find(null, callId, null, 1).isEmpty());
        return new JsonObject(Stores.on(server.database()).calls().find(null, callId, null, 1).get(0).decisionJson());
    }

    List<Message> messages(String callId) {
        return Stores.on(server.database()).messages().list(MessageFilter.all().limit(1000)).stream()
                .filter(m -> callId.equals(m.callId())).toList();
    }

    Message awaitMessage(String callId, MessageKind kind) {
        Sandbox.await(WAIT, kind.word() + " message for call " + callId,
                () -> messages(callId).stream().anyMatch(m -> m.kind() == kind));
        return messages(callId).stream().filter(m -> m.kind() == kind).findFirst().orElseThrow();
    }

    /**
     * The SMS the message queued (in its transaction): exactly one, which Twilio accepted exactly once, and no repeat
     * follows while the outbox would have sent one. Returns its text. (An urgent message's escalation also queues its
     * first call-out, a notification on the call channel, due later.)
     */
    String awaitTheOneSms(Message m) {
        List<de.vorzimmer.notify.Notification> queued = Stores.on(server.database()).outbox().forMessage(m.id())
                .stream().filter(n -> n.channel() == de.vorzimmer.notify.Channel.SMS).toList();
        if (queued.size() != 1) fail("message " + m.id() + " queued " + queued.size() + " SMS, expected one: " + queued);
        de.vorzimmer.notify.Notification n = queued.get(0);
        Sandbox.await(WAIT, "the SMS of message " + m.id() + " accepted by Twilio (accepted: " + twilio.acceptedAll()
                + ")", () -> twilio.accepted(n.to(), n.body()) >= 1);
        // the outbox would send a repeat within its first retry (1 s): watch the count for 3 s, fail on a second
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        Sandbox.await(Duration.ofSeconds(5), "the SMS of message " + m.id() + " staying sent once", () -> {
            int sent = twilio.accepted(n.to(), n.body());
            if (sent != 1) fail("Twilio accepted the SMS of message " + m.id() + " " + sent + " times");
            return System.nanoTime() > until;
        });
        return n.body();
    }

    /** Every SMS body Twilio accepted, to whomever (a body once per time accepted). */
    List<String> allSms() {
        List<String> out = new ArrayList<>();
        twilio.acceptedAll().forEach((k, n) -> {
            for (int i = 0; i < n; i++) out.add(k.substring(k.indexOf('\u0000') + 1));
        });
        return out;
    }

    /** The unique id of the call whose sidecar the hangup handler wrote after the Asterisk log mark. */
    String sidecarSince(long mark) {
        Pattern p = Pattern.compile("VZ_META=\\S*/vz-([0-9A-Za-z._-]+)\\.txt");
        Sandbox.await(Duration.ofSeconds(20), "a sidecar written", () -> p.matcher(sandbox.logSince(mark)).find());
        Matcher m = p.matcher(sandbox.logSince(mark));
        m.find();
        return m.group(1);
    }

    List<ILoggingEvent> logEvents() {
        return log;
    }

    List<ILoggingEvent> logEventsSince(int from) {
        return List.copyOf(log.subList(from, log.size()));
    }

    /** The server's log lines (message, and the call id it was logged for), INFO and above. */
    List<String> logLines() {
        return logLinesSince(0);
    }

    List<String> logLinesSince(int from) {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : logEventsSince(from)) {
            if (!e.getLevel().isGreaterOrEqual(Level.INFO)) continue;
            String call = e.getMDCPropertyMap().get("callId");
            out.add(e.getLevel() + " " + e.getLoggerName() + (call == null ? "" : " [" + call + "]") + ": "
                    + e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()));
        }
        return out;
    }

    // ------------------------------------------------------------ the secretary's phone

    long phoneMark() {
        try {
            return Files.size(sandbox.softphoneLog("anna"));
        } catch (IOException e) {
            return 0;
        }
    }

    /** What anna's softphone logged (its SIP trace) after {@code mark}. */
    String phoneSince(long mark) {
        try {
            byte[] all = Files.readAllBytes(sandbox.softphoneLog("anna"));
            int from = (int) Math.min(mark, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return fail("cannot read anna's softphone log: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        root().detachAppender(appender);
        appender.stop();
        root().setLevel(savedLevel);
        sandbox.stopSoftphone("anna");
        stopServer();
        sandbox.setGlobal("VZ_AGI_HOST", savedAgiHost);
        twilio.close();
    }
}

package de.vorzimmer.asterisk;

import de.vorzimmer.store.Stores;
import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.PinHasher;
import de.vorzimmer.cli.Main;
import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * A caller who withholds their number ({@code Privacy: id}, the number only in {@code P-Asserted-Identity}) stays
 * withheld: after such calls with the server up (screened and answered; an urgent message with its SMS) and down (the
 * static fallback rings the secretary; a message recorded, its sidecar imported once the server is back), the number
 * is looked for everywhere it could have gone, and found nowhere: the secretary's phone, the messages, the SMS, the
 * live call feed, the call log and its decision JSON, the database file itself, {@code export}, {@code messages},
 * {@code calls}, the server's log, the sidecars, Twilio's requests and the Asterisk log.
 */
@Tag("asterisk")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WithheldNumberPrivacyTest {
    /** The withheld number, +49 30 5557 4242; looked for by its subscriber digits, in any format. */
    private static final String WITHHELD = "+493055574242";
    private static final String DIGITS = "55574242";
    private static final String SERVICE_DID = "+49309990000";

    private CarrierRig rig;

    @BeforeAll
    void start() throws Exception {
        rig = CarrierRig.start(Files.createTempDirectory("vz-privacy-"));
    }

    @AfterAll
    void stop() {
        if (rig != null) rig.close();
    }

    private static Sipp.Invite withheld(String forwardedFrom) {
        return Sipp.Invite.from("anonymous", SERVICE_DID)
                .withFrom("\"Anonymous\" <sip:anonymous@anonymous.invalid>")
                .asserted("\"Max Mustermann\" <sip:" + WITHHELD + "@carrier.invalid;user=phone>").privacy("id")
                .diversion("<sip:" + forwardedFrom + "@carrier.invalid>;reason=unconditional");
    }

    private static RtpPcap speech() {
        return new RtpPcap().silence(9_000).tone(3_000, 440).silence(6_000);
    }

    @Test
    void aWithheldNumberIsFoundNowhereAfterCallsWithTheServerUpAndDown() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        long asteriskMark = rig.sandbox.logMark();
        long phoneMark = rig.phoneMark();
        int events = rig.events.size();

        // server up: screened to anna, who answers; then a message for Meier, whose rule makes it urgent (an SMS)
        rig.sipp.call(withheld("+49301234567").hold(Duration.ofSeconds(3))).await(Duration.ofSeconds(60));
        JsonObject screened = rig.awaitEvent(events, "answered");
        int second = rig.events.size();
        rig.sipp.call(withheld("+49303333333").media(speech()).hold(Duration.ofSeconds(40))).await(Duration.ofSeconds(60));
        Message urgent = rig.awaitMessage(rig.awaitEvent(second, "message").getString("callId"), MessageKind.RECORDING);
        String sms = rig.awaitTheOneSms(urgent);

        // server down: the fallback rings anna (she answers), then a message the fallback records
        String imported;
        rig.stopServer();
        try {
            rig.sipp.call(withheld("+49301234567").hold(Duration.ofSeconds(3))).await(Duration.ofSeconds(60));
            try (CarrierRig.Globals g = rig.globals(Map.of("VZ_FALLBACK_SECRETARIES", "Local/100@vorzimmer-test-noanswer",
                    "VZ_FALLBACK_RING", "2"))) {
                long mark = rig.sandbox.logMark();
                rig.sipp.call(withheld("+49301234567").media(speech()).hold(Duration.ofSeconds(40)))
                        .await(Duration.ofSeconds(60));
                imported = rig.sidecarSince(mark);
            }
        } finally {
            rig.startServer();
        }
        Message fromSidecar = rig.awaitMessage(imported, MessageKind.RECORDING);

        // the calls took place as meant, without the number
        assertThat(screened.getString("display")).isEqualTo("Müller: anonym");
        assertThat(urgent.clientId()).isEqualTo("meier");
        assertThat(urgent.urgent()).isTrue();
        assertThat(urgent.callerNumber()).isEmpty();
        assertThat(sms).startsWith("URGENT Meier: Unknown caller, ");
        assertThat(fromSidecar.clientId()).isEqualTo("mueller");
        assertThat(fromSidecar.callerNumber()).isEmpty();
        String phone = rig.phoneSince(phoneMark);
        assertThat(phone).contains("From: \"Müller: anonym\" <sip:anonymous@")
                .contains("From: \"+49301234567: anonymous\" <sip:anonymous@");

        Map<String, String> places = new LinkedHashMap<>();
        places.put("the secretary's phone (SIP trace)", phone);
        places.put("messages table", table("messages") + table("message_history"));
        places.put("SMS outbox", table("outbox") + table("outbox_messages"));
        places.put("call log with its decision JSON", table("call_log"));
        places.put("database files", databaseFiles());
        places.put("live call feed and alerts", rig.events + "\n" + rig.alerts);
        places.put("export", cli("export"));
        places.put("messages --json", cli("messages", "--json", "--limit", "1000"));
        places.put("calls --json", cli("calls", "--json", "--limit", "1000"));
        places.put("server log (INFO and above)", String.join("\n", rig.logLines()));
        places.put("sidecars", sidecarsSince(start));
        places.put("Twilio requests", rig.twilio.received().toString());
        places.put("SMS sent", String.join("\n", rig.allSms()));
        places.put("Asterisk log", rig.sandbox.logSince(asteriskMark));
        for (Map.Entry<String, String> place : places.entrySet()) {
            assertThat(place.getValue()).as(place.getKey()).isNotBlank().doesNotContain(DIGITS);
        }
    }

    /** Every row of {@code table}, every column, as text. */
    private String table(String table) {
        return Stores.on(rig.server.database()).database().read(c -> {
            StringBuilder sb = new StringBuilder();
            try (PreparedStatement p = c.prepareStatement("SELECT * FROM " + table);
                 ResultSet rs = p.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        sb.append(v instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : v).append('|');
                    }
                    sb.append('\n');
                }
            }
            return sb.toString();
        });
    }

    /** The SQLite file and its write-ahead log, byte for byte (whatever a table query would not show). */
    private String databaseFiles() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String suffix : List.of("", "-wal")) {
            Path f = Path.of(rig.db + suffix);
            if (Files.exists(f)) sb.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    private String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new Main(Clock.systemUTC(), PinHasher.fast()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = Stream.concat(Stream.of(args), Stream.of("--db", rig.db.toString())).toArray(String[]::new);
        // a command other than serve turns the log down to WARN for the whole process: put it back for the server
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Level level = root.getLevel();
        int exit;
        try {
            exit = cl.execute(all);
        } finally {
            root.setLevel(level);
        }
        assertThat(exit).as("vorzimmer %s: %s", String.join(" ", args), err).isZero();
        return out + "\n" + err;
    }

    private String sidecarsSince(Instant start) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(rig.sandbox.recordings())) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".txt")).toList()) {
                if (Files.getLastModifiedTime(f).toInstant().isAfter(start)) sb.append(Files.readString(f)).append('\n');
            }
        }
        return sb.toString();
    }
}

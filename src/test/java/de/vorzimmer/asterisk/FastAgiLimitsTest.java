package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import de.vorzimmer.asterisk.agi.AgiLimits;
import de.vorzimmer.asterisk.agi.FastAgiScript;
import de.vorzimmer.asterisk.agi.FastAgiServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The FastAGI server against raw sockets: oversized lines, endless environments and binary garbage are cut off
 * without buffering them, a well-formed request still reaches the script, a malformed environment is answered
 * with no decision (the dialplan falls back), and idle or half-sent connections are closed after the request
 * time-out, each kind of bogus connection logged once at most, never as an error.
 */
class FastAgiLimitsTest {
    /** Short, so the time-out tests end quickly; long enough for a loaded machine to send an environment. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1500);

    private Vertx vertx;
    private FastAgiServer agi;
    private final List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger agiLogger = (Logger) LoggerFactory.getLogger("de.vorzimmer.asterisk");

    @BeforeEach
    void start() throws IOException {
        log.start();
        agiLogger.addAppender(log);
        vertx = Vertx.vertx();
        FastAgiScript script = call -> {
            seen.add(call.environment());
            try {
                AgiCalls.toCall(call.environment(), call.arguments());
                return call.send(new SetVariableCommand("VZ_ACTION", "screen"));
            } catch (AgiInputException e) {
                return Future.succeededFuture(); // as RouteScript: no decision; the dialplan takes its fallback
            }
        };
        agi = FastAgiServer.start(vertx, "127.0.0.1", 0, Map.of("route", script),
                AgiLimits.defaults().withTimeouts(REQUEST_TIMEOUT, Duration.ofSeconds(10)), 2);
    }

    @AfterEach
    void stop() throws Exception {
        agi.close();
        vertx.close().await(10, TimeUnit.SECONDS);
        agiLogger.detachAppender(log);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), agi.port());
        s.setSoTimeout(10_000);
        return s;
    }

    static String env(String extension) {
        return "agi_network: yes\nagi_network_script: route\nagi_request: agi://127.0.0.1/route\n"
                + "agi_channel: PJSIP/trunk-00000001\nagi_uniqueid: 1732741234.1\nagi_callerid: +49305550000\n"
                + "agi_calleridname: unknown\nagi_callingpres: 0\nagi_context: vorzimmer-in\n"
                + "agi_extension: " + extension + "\nagi_priority: 3\nagi_arg_1: +49301234567\n\n";
    }

    /** Reads until the server closes the connection or {@code limit} bytes came; answers each command with 200. */
    private static String converse(Socket s, int limit) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int b;
        try {
            while (got.size() < limit && (b = in.read()) >= 0) {
                got.write(b);
                if (b == '\n') {
                    out.write("200 result=1\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
        } catch (SocketException e) {
            // reset by the server: the connection is over
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /** Waits (bounded by the socket's read time-out) until the server closes; true if it did without sending a byte. */
    private static boolean closedWithoutAWord(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketException e) {
            return true; // reset by the server
        }
    }

    private List<ILoggingEvent> warnings() {
        return events().stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
    }

    private void assertNoErrorNorStackTrace() {
        assertThat(events()).noneMatch(e -> e.getLevel() == Level.ERROR || e.getThrowableProxy() != null);
    }

    /** What was logged so far (appenders append under their own lock). */
    private List<ILoggingEvent> events() {
        synchronized (log) {
            return new java.util.ArrayList<>(log.list);
        }
    }

    @Test
    void wellFormedRequestGetsItsDecision() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(env("+49309990000").getBytes(StandardCharsets.UTF_8));
            String commands = converse(s, 10_000);
            assertThat(commands).contains("SET VARIABLE \"VZ_ACTION\" \"screen\"");
        }
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0)).containsEntry("extension", "+49309990000");
        assertThat(warnings()).isEmpty();
    }

    @Test
    void environmentWrittenALineAtATimeIsReadWhole() throws Exception {
        try (Socket s = connect()) {
            s.setTcpNoDelay(true); // each line its own segment, as res_agi's one write per line sends it
            OutputStream out = s.getOutputStream();
            for (String line : env("+49309990000").split("(?<=\n)")) {
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            assertThat(converse(s, 10_000)).contains("SET VARIABLE \"VZ_ACTION\" \"screen\"");
        }
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0)).containsEntry("extension", "+49309990000").containsEntry("arg_1", "+49301234567");
    }

    @Test
    void multiMegabyteLineIsCutOffWithoutAScript() throws IOException {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write("agi_network: yes\nagi_extension: ".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) '7');
            long sent = 0;
            try {
                for (int i = 0; i < 64; i++) { // 4 MiB without a newline
                    out.write(chunk);
                    sent += chunk.length;
                }
            } catch (SocketException e) {
                // the server closed the connection while we were still sending: exactly what we want
            }
            assertThat(converse(s, 10_000)).doesNotContain("VZ_ACTION");
            assertThat(sent).isLessThanOrEqualTo(64L * chunk.length);
        }
        assertThat(seen).isEmpty();
        assertNoErrorNorStackTrace();
    }

    @Test
    void endlessEnvironmentIsCutOff() throws IOException {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            try {
                for (int i = 0; i < 20_000; i++) out.write(("agi_x" + i + ": padding padding padding\n").getBytes(StandardCharsets.US_ASCII));
            } catch (SocketException e) {
                // closed by the server
            }
            assertThat(converse(s, 10_000)).doesNotContain("VZ_ACTION");
        }
        assertThat(seen).isEmpty();
        assertNoErrorNorStackTrace();
    }

    @Test
    void binaryGarbageGetsNoDecision() throws IOException {
        byte[] garbage = new byte[8 * 1024];
        new Random(42).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) if (garbage[i] == '\n') garbage[i] = 0;
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            try {
                out.write(garbage);
                out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
            } catch (SocketException e) {
                // closed by the server
            }
            assertThat(converse(s, 10_000)).doesNotContain("VZ_ACTION");
        }
        assertNoErrorNorStackTrace();
    }

    @Test
    void malformedEnvironmentReachesTheScriptButGetsNoDecision() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(env("not-a-number; rm -rf /").getBytes(StandardCharsets.UTF_8));
            assertThat(converse(s, 10_000)).doesNotContain("VZ_ACTION");
        }
        assertThat(seen).hasSize(1);
    }

    @Test
    void connectionThatSendsNothingIsClosedAfterTheRequestTimeOut() throws IOException {
        long t0 = System.nanoTime();
        try (Socket s = connect()) {
            assertThat(closedWithoutAWord(s)).isTrue();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(REQUEST_TIMEOUT.minusMillis(100));
        assertThat(seen).isEmpty();
        assertThat(warnings()).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .contains("sent nothing within 1500 ms; connection closed"));
        assertNoErrorNorStackTrace();
    }

    @Test
    void halfSentRequestIsClosedAfterTheRequestTimeOut() throws IOException {
        try (Socket s = connect()) {
            String half = env("+49309990000");
            s.getOutputStream().write(half.substring(0, half.length() / 2).getBytes(StandardCharsets.UTF_8));
            assertThat(closedWithoutAWord(s)).isTrue();
        }
        assertThat(seen).isEmpty();
        assertThat(warnings()).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .contains("sent no complete AGI request"));
    }

    @Test
    void aLoneNewlineIsNoRequestAndIsClosedAtOnce() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write("\n".getBytes(StandardCharsets.US_ASCII));
            long t0 = System.nanoTime();
            assertThat(closedWithoutAWord(s)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(REQUEST_TIMEOUT);
        }
        assertThat(seen).isEmpty();
        assertNoErrorNorStackTrace();
    }

    @Test
    void unknownScriptGetsNoCommand() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(env("+49309990000").replace("route", "nosuch").getBytes(StandardCharsets.UTF_8));
            assertThat(closedWithoutAWord(s)).isTrue();
        }
        assertThat(seen).isEmpty();
        assertThat(warnings()).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .contains("asked for script 'nosuch'"));
    }

    @Test
    void commandLeftUnansweredClosesTheConnection() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(env("+49309990000").getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            for (int b; (b = in.read()) >= 0; ) got.write(b); // never answered: the server gives up
            assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo("SET VARIABLE \"VZ_ACTION\" \"screen\"\n");
        }
        assertThat(warnings()).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .contains("no answer to 'SET VARIABLE \"VZ_ACTION\" \"screen\"' within 1500 ms"));
        assertNoErrorNorStackTrace();
    }

    @Test
    void aFloodOfBogusConnectionsLogsOneLinePerKind() throws IOException {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) idle.add(connect());
            for (int i = 0; i < 50; i++) {
                try (Socket s = connect()) {
                    s.getOutputStream().write(("agi_x: " + "y".repeat(AgiLimits.MAX_LINE + 10) + "\n").getBytes(StandardCharsets.US_ASCII));
                    assertThat(closedWithoutAWord(s)).isTrue();
                } catch (SocketException e) {
                    // closed while we were still writing
                }
            }
            for (Socket s : idle) assertThat(closedWithoutAWord(s)).isTrue();
        } finally {
            for (Socket s : idle) s.close();
        }
        // one line for the 50 lines over the limit, one for the 50 that sent nothing (and a count with the next)
        assertThat(warnings()).hasSize(2);
        assertNoErrorNorStackTrace();
        // the server still routes
        try (Socket s = connect()) {
            s.getOutputStream().write(env("+49309990000").getBytes(StandardCharsets.UTF_8));
            assertThat(converse(s, 10_000)).contains("VZ_ACTION");
        }
    }
}

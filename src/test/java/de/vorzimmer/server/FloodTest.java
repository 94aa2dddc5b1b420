package de.vorzimmer.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import de.vorzimmer.config.Config;
import de.vorzimmer.routing.Call;
import de.vorzimmer.routing.Decision;
import de.vorzimmer.twilio.TwilioSigner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The running server (demo book, Twilio webhooks on) under a flood of bogus connections, all on 127.0.0.1: 2,000
 * idle or half-sent FastAGI connections and 5,000 idle or half-sent HTTP connections held open at once, while real
 * FastAGI {@code route} calls and signed {@code /twilio/voice} webhooks keep getting the right answers. Afterwards the
 * server is healthy and the log holds no error and no stack trace. The time-outs are set long here so that the flood
 * stays open for the whole test (the defaults close it within seconds; FastAgiLimitsTest and RequestDeadlinesTest
 * show that).
 */
@Tag("flood")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FloodTest {
    private static final int AGI_FLOOD = 2_000;
    private static final int HTTP_FLOOD = 5_000;
    private static final int REAL_CALLS = 200;
    private static final String TOKEN = "flood-test-token-0123456789abcdef";
    private static final String PUBLIC = "https://vz.example.com";

    @TempDir
    Path dir;

    private VorzimmerServer server;
    private final List<Socket> flood = new ArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void start() throws Exception {
        long needed = 2L * (AGI_FLOOD + HTTP_FLOOD) + 1_000; // both ends of every connection live in this JVM
        long limit = ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        assertThat(limit).as("open-file limit of the test JVM (scripts/test raises it with ulimit -n)")
                .isGreaterThanOrEqualTo(needed);
        log.start();
        root.addAppender(log);
        Map<String, String> o = new HashMap<>();
        o.put(Config.DB, dir.resolve("vz.db").toString());
        o.put(Config.HTTP_PORT, "0");
        o.put(Config.AGI_PORT, "0");
        o.put(Config.TWILIO_AUTH_TOKEN, TOKEN);
        o.put(Config.TWILIO_PUBLIC_URL, PUBLIC);
        o.put(Config.AGI_REQUEST_TIMEOUT, "120s");
        o.put(Config.HTTP_REQUEST_TIMEOUT, "120s");
        o.put(Config.HTTP_IDLE_TIMEOUT, "120s");
        server = VorzimmerServer.start(Config.load(null, Map.of(), o), true, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        for (Socket s : flood) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        if (server != null) server.close();
        root.detachAppender(log);
    }

    @Test
    void realCallsAreAnsweredWhileThousandsOfBogusConnectionsAreHeldOpen() throws Exception {
        // the flood: every connect must succeed (0 refused); half of each kind send part of a request and stop
        byte[] halfAgi = "agi_network: yes\nagi_network_script: route\nagi_chan".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < AGI_FLOOD; i++) {
            Socket s = open(server.agiPort());
            if (i % 2 == 0) s.getOutputStream().write(halfAgi);
        }
        byte[] halfHead = "POST /twilio/voice HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty".getBytes(StandardCharsets.US_ASCII);
        byte[] halfBody = ("POST /twilio/voice HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded"
                + "\r\nX-Twilio-Signature: x\r\nContent-Length: 400\r\n\r\nCallSid=CA00").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < HTTP_FLOOD; i++) {
            Socket s = open(server.httpPort());
            if (i % 3 == 1) s.getOutputStream().write(halfHead);
            if (i % 3 == 2) s.getOutputStream().write(halfBody);
        }

        // real traffic meanwhile, from 8 threads: FastAGI route calls and signed voice webhooks
        Instant at = Instant.now();
        List<String[]> callers = List.of(new String[] {"+49309876543", "+49301234567"},
                new String[] {"+49301112222", "+49301234567"}, new String[] {"+4990012345", "+49301234567"},
                new String[] {"+49405551234", "+49405551230"});
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int i = 0; i < REAL_CALLS; i++) {
                String[] c = callers.get(i % callers.size());
                int n = i;
                done.add(pool.submit(() -> {
                    routeCall(c[0], c[1], n);
                    return null;
                }));
                done.add(pool.submit(() -> {
                    voiceWebhook(http, c[0], c[1], n);
                    return null;
                }));
            }
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        // the flood is still held: the server closed none of it (sampled; a read that times out = still open)
        for (int i = 0; i < flood.size(); i += 50) assertThat(stillOpen(flood.get(i))).as("flood connection %d", i).isTrue();
        for (Socket s : flood) s.close();
        flood.clear();

        // afterwards: healthy, still routing, and nothing in the log but ordinary lines
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                + "/health")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        routeCall("+49309876543", "+49301234567", REAL_CALLS);
        assertThat(Duration.between(at, Instant.now())).isLessThan(Duration.ofSeconds(150));
        List<ILoggingEvent> events;
        synchronized (log) { // appenders append under their own lock
            events = new ArrayList<>(log.list);
        }
        List<ILoggingEvent> bad = events.stream()
                .filter(e -> e.getLevel() == Level.ERROR || e.getThrowableProxy() != null).toList();
        assertThat(bad).as(bad.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.joining("\n"))).isEmpty();
    }

    private Socket open(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        flood.add(s);
        return s;
    }

    private static boolean stillOpen(Socket s) throws IOException {
        s.setSoTimeout(1);
        try {
            return s.getInputStream().read() >= 0; // nothing is ever sent to a flood connection
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One call as res_agi places it; asserts the decision handed over is the routing core's. */
    private void routeCall(String from, String to, int n) throws IOException {
        Decision expected = server.routing().decide(new Call(to, from, null, false, null), server.routing().now());
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.agiPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("agi_network: yes\nagi_network_script: route\nagi_request: agi://127.0.0.1/route\n"
                    + "agi_channel: PJSIP/trunk-" + n + "\nagi_uniqueid: 1795830343." + n + "\nagi_callerid: " + from
                    + "\nagi_calleridname: unknown\nagi_callingpres: 0\nagi_context: vorzimmer-in\nagi_extension: " + to
                    + "\nagi_priority: 3\nagi_arg_1: \n\n").getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream command = new ByteArrayOutputStream();
            for (int b; (b = in.read()) >= 0 && b != '\n'; ) command.write(b);
            out.write("200 result=0\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.read()).as("the server closes after the decision").isEqualTo(-1);
            assertThat(command.toString(StandardCharsets.UTF_8)).startsWith("EXEC \"MSet\" \"")
                    .endsWith(",VZ_ACTION=" + expected.action().word() + "\"");
        }
    }

    /** A signed voice webhook as Twilio sends it; asserts the TwiML fits the routing core's decision. */
    private void voiceWebhook(HttpClient http, String from, String to, int n) throws Exception {
        Decision expected = server.routing().decide(new Call(to, from, null, false, null), server.routing().now());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("CallSid", String.format("CA%032x", n));
        form.put("AccountSid", "AC00000000000000000000000000000042");
        form.put("From", from);
        form.put("To", to);
        form.put("CallStatus", "ringing");
        form.put("Direction", "inbound");
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/twilio/voice"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("X-Twilio-Signature", new TwilioSigner(TOKEN).sign(PUBLIC + "/twilio/voice", form))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> answer = http.send(r, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("<Response>");
        switch (expected.action()) {
            case REJECT -> assertThat(answer.body()).contains("<Reject");
            case PUT_THROUGH -> assertThat(answer.body()).contains("<Dial");
            default -> assertThat(answer.body()).containsAnyOf("<Record", "<Dial");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

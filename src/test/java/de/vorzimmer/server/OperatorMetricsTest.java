package de.vorzimmer.server;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.config.Config;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's numbers on a running server: {@code GET /metrics} in Prometheus's text format (checked by
 * Prometheus's own {@code promtool}), behind its token, moved by routed calls; off by default; {@code GET /ready}
 * naming the store and AMI.
 */
class OperatorMetricsTest {
    static final String TOKEN = "scrape-me-7f3a";
    @TempDir
    Path dir;
    private VorzimmerServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private VorzimmerServer start(Map<String, String> extra) throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(Config.DB, dir.resolve("metrics.db").toString());
        keys.put(Config.HTTP_PORT, "0");
        keys.put(Config.AGI_PORT, "0");
        keys.putAll(extra);
        server = VorzimmerServer.start(Config.load(null, Map.of(), keys), true, Clock.systemUTC());
        return server;
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) b.header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = get("/metrics", "Bearer " + TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        return r.body();
    }

    /** The value of one sample ({@code name{labels}}), 0 when the text has none. */
    static double sample(String text, String name, String labels) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "\\{" + Pattern.quote(labels) + "\\} (\\S+)$",
                Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** One call as Asterisk's res_agi sends it; returns the {@code VZ_ACTION} the server answered with. */
    static String routeOneCall(int port, String uniqueId, String from, String to) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            String env = "agi_network: yes\nagi_network_script: route\nagi_request: agi://127.0.0.1/route\n"
                    + "agi_channel: PJSIP/trunk-00000001\nagi_uniqueid: " + uniqueId + "\nagi_callerid: " + from + "\n"
                    + "agi_calleridname: unknown\nagi_callingpres: 0\nagi_context: vorzimmer-in\n"
                    + "agi_extension: " + to + "\nagi_priority: 3\nagi_arg_1: \n\n";
            OutputStream out = s.getOutputStream();
            out.write(env.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int b;
            try {
                while ((b = in.read()) >= 0) {
                    got.write(b);
                    if (b == '\n') {
                        out.write("200 result=0\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                }
            } catch (SocketException e) {
                // the server closed first: the call is done
            }
            Matcher m = Pattern.compile("VZ_ACTION=([a-z-]+)").matcher(got.toString(StandardCharsets.UTF_8));
            assertThat(m.find()).as("a decision in %s", got).isTrue();
            return m.group(1);
        }
    }

    @Test
    void decidedCallsMoveTheCountersAndTheHistogram() throws Exception {
        start(Map.of(Config.METRICS_ENABLED, "true", Config.METRICS_TOKEN, TOKEN));
        String before = scrape();
        Map<String, Integer> actions = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            String action = routeOneCall(server.agiPort(), "1760000000." + i, "+49309876543", "+49301234567");
            actions.merge(action, 1, Integer::sum);
        }
        String action = routeOneCall(server.agiPort(), "1760000000.9", "+499001234567", "+49301234567");
        actions.merge(action, 1, Integer::sum);

        String after = scrape();
        for (Map.Entry<String, Integer> e : actions.entrySet()) {
            String labels = "action=\"" + e.getKey() + "\",pbx=\"asterisk\"";
            assertThat(sample(after, "vorzimmer_calls_decided_total", labels)
                    - sample(before, "vorzimmer_calls_decided_total", labels)).as(labels).isEqualTo(e.getValue().doubleValue());
        }
        assertThat(actions).containsKey("reject"); // the blocked premium-rate caller
        assertThat(sample(after, "vorzimmer_decision_seconds_count", "pbx=\"asterisk\"")
                - sample(before, "vorzimmer_decision_seconds_count", "pbx=\"asterisk\"")).isEqualTo(4.0);
        assertThat(after).contains("vorzimmer_decision_seconds_bucket{pbx=\"asterisk\",le=\"0.001\"}");
        assertThat(sample(after, "vorzimmer_decision_seconds_bucket", "pbx=\"asterisk\",le=\"+Inf\"")).isEqualTo(4.0);
        // the call log drains, and every connection was closed again
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(sample(scrape(), "vorzimmer_call_log_queue_depth", "")).isZero());
        assertThat(Pattern.compile("^vorzimmer_fastagi_connections_open 0\\.0$", Pattern.MULTILINE).matcher(after).find()).isTrue();
    }

    /** The FastAGI connections gauge reads the event-loop server's own count: up while a peer is connected, down after. */
    @Test
    void aFastAgiConnectionHeldOpenShowsInTheGaugeUntilItCloses() throws Exception {
        start(Map.of(Config.METRICS_ENABLED, "true", Config.METRICS_TOKEN, TOKEN, Config.AGI_REQUEST_TIMEOUT, "60s"));
        Pattern open = Pattern.compile("^vorzimmer_fastagi_connections_open (\\S+)$", Pattern.MULTILINE);
        java.util.function.Supplier<Double> gauge = () -> {
            try {
                Matcher m = open.matcher(scrape());
                assertThat(m.find()).isTrue();
                return Double.parseDouble(m.group(1));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        assertThat(gauge.get()).isZero();
        try (Socket a = new Socket(InetAddress.getLoopbackAddress(), server.agiPort());
             Socket b = new Socket(InetAddress.getLoopbackAddress(), server.agiPort())) {
            // half an AGI environment: the server holds the connection, waiting for the rest
            a.getOutputStream().write("agi_network: yes\n".getBytes(StandardCharsets.US_ASCII));
            a.getOutputStream().flush();
            Awaitility.await("two FastAGI connections counted").atMost(Duration.ofSeconds(10))
                    .until(gauge::get, v -> v == 2.0);
            b.close();
            Awaitility.await("one FastAGI connection left").atMost(Duration.ofSeconds(10))
                    .until(gauge::get, v -> v == 1.0);
        }
        Awaitility.await("no FastAGI connection left").atMost(Duration.ofSeconds(10)).until(gauge::get, v -> v == 0.0);
    }

    @Test
    void everyMetricTheOperatorNeedsIsThereAndPromtoolAcceptsTheText() throws Exception {
        start(Map.of(Config.METRICS_ENABLED, "true", Config.METRICS_TOKEN, TOKEN));
        routeOneCall(server.agiPort(), "1760000001.1", "+49309876543", "+49301234567");
        String text = scrape();
        assertThat(text).contains(
                "vorzimmer_calls_decided_total{", "vorzimmer_decision_seconds_bucket{",
                "vorzimmer_fastagi_connections_open ", "vertx_http_server_active_connections",
                "vorzimmer_call_log_queue_depth ", "vorzimmer_messages_stored ",
                "vorzimmer_outbox_notifications{channel=\"sms\",kind=\"urgent\",state=\"pending\"}",
                "vorzimmer_outbox_notifications{channel=\"sms\",kind=\"urgent\",state=\"sent\"}",
                "vorzimmer_outbox_notifications{channel=\"sms\",kind=\"urgent\",state=\"failed\"}",
                "vorzimmer_book_version ", "jvm_memory_used_bytes{", "jvm_threads_live_threads ",
                "process_files_open_files ", "vertx_pool_");
                assertThat(Pattern.compile("^vorzimmer_book_version [1-9]", Pattern.MULTILINE).matcher(text).find()).isTrue();
        assertThat(text).doesNotContain("vorzimmer_ami_connected"); // no AMI configured

        Path file = dir.resolve("metrics.txt");
        Files.writeString(file, text);
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.exitValue()).as("promtool check metrics said: %s", said).isZero();
    }

    @Test
    void theMetricsAskForTheirToken() throws Exception {
        start(Map.of(Config.METRICS_ENABLED, "true", Config.METRICS_TOKEN, TOKEN));
        assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("/metrics", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get("/metrics", "Basic " + TOKEN).statusCode()).isEqualTo(401);
        HttpResponse<String> refused = get("/metrics", "Bearer " + TOKEN + "x");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).doesNotContain("vorzimmer_");
        assertThat(get("/metrics", "bearer " + TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void metricsAreOffByDefaultAndReadinessIsAlwaysThere() throws Exception {
        start(Map.of());
        assertThat(get("/metrics", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
        HttpResponse<String> ready = get("/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"store\":\"up\",\"ready\":true}");
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void notReadyWhileTheConfiguredAmiIsDown() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        start(Map.of(Config.AMI_HOST, "127.0.0.1", Config.AMI_PORT, String.valueOf(closedPort), Config.AMI_USER, "vorzimmer",
                Config.AMI_SECRET, "secret", Config.METRICS_ENABLED, "true"));
        HttpResponse<String> ready = get("/ready", null);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("{\"store\":\"up\",\"ami\":\"down\",\"ready\":false}");
        assertThat(get("/metrics", null).body()).contains("vorzimmer_ami_connected 0.0");
    }
}

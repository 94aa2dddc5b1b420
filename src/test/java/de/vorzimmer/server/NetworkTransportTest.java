package de.vorzimmer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import de.vorzimmer.config.Config;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code net.native-transport}: the server's sockets on epoll by default where Netty's native transport loads, on Java
 * NIO when the operator turns it off; FastAGI calls are decided and HTTP answers on either.
 */
class NetworkTransportTest {
    @TempDir
    Path dir;
    private VorzimmerServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private void start(Map<String, String> extra) throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(Config.DB, dir.resolve("transport.db").toString());
        keys.put(Config.HTTP_PORT, "0");
        keys.put(Config.AGI_PORT, "0");
        keys.putAll(extra);
        server = VorzimmerServer.start(Config.load(null, Map.of(), keys), true, Clock.systemUTC());
    }

    /** Both doors of the server work: a FastAGI call is decided (the demo book blocks premium-rate callers), HTTP answers. */
    private void callsAndHttp() throws IOException, InterruptedException {
        assertThat(OperatorMetricsTest.routeOneCall(server.agiPort(), "1760000100.1", "+499001234567", "+49301234567"))
                .isEqualTo("reject");
        HttpResponse<String> page = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/ready"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("\"ready\":true");
    }

    @Test
    void byDefaultTheSocketsRunOnEpollWhereItLoads() throws Exception {
        assumeTrue(Transport.EPOLL.available(), "Netty's epoll transport does not load on this system");
        start(Map.of());
        assertThat(server.vertx().isNativeTransportEnabled()).isTrue();
        callsAndHttp();
    }

    @Test
    void withMetricsOnTheVertxStillRunsOnEpoll() throws Exception {
        assumeTrue(Transport.EPOLL.available(), "Netty's epoll transport does not load on this system");
        start(Map.of(Config.METRICS_ENABLED, "true"));
        assertThat(server.vertx().isNativeTransportEnabled()).isTrue();
        callsAndHttp();
    }

    @Test
    void theOperatorCanTurnItOff() throws Exception {
        start(Map.of(Config.NET_NATIVE_TRANSPORT, "false"));
        assertThat(server.vertx().isNativeTransportEnabled()).isFalse();
        callsAndHttp();
    }
}

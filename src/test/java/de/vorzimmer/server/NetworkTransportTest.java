package de.vorzimmer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import de.vorzimmer.config.Config;
import de.vorzimmer.console.ConsoleServer;
import io.vertx.core.transport.Transport;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
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
    private ConsoleServer app;

    @AfterEach
    void stop() {
        if (app != null) app.close();
    }

    private void start(Map<String, String> settings) throws Exception {
        app = new ConsoleServer(dir, Clock.systemUTC(), settings);
    }

    /** Both doors of the server work: a FastAGI call is decided (the demo book blocks premium-rate callers), HTTP answers. */
    private void callsAndHttp() throws Exception {
        assertThat(OperatorMetricsTest.routeOneCall(app.server.agiPort(), "1760000100.1", "+499001234567", "+49301234567"))
                .isEqualTo("reject");
        HttpResponse<String> page = app.send("GET", "/ready", Map.of(), null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("\"ready\":true");
    }

    @Test
    void byDefaultTheSocketsRunOnEpollWhereItLoads() throws Exception {
        assumeTrue(Transport.EPOLL.available(), "Netty's epoll transport does not load on this system");
        start(Map.of());
        assertThat(app.server.vertx().isNativeTransportEnabled()).isTrue();
        callsAndHttp();
    }

    @Test
    void withMetricsOnTheVertxStillRunsOnEpoll() throws Exception {
        assumeTrue(Transport.EPOLL.available(), "Netty's epoll transport does not load on this system");
        start(Map.of(Config.METRICS_ENABLED, "true"));
        assertThat(app.server.vertx().isNativeTransportEnabled()).isTrue();
        callsAndHttp();
    }

    @Test
    void theOperatorCanTurnItOff() throws Exception {
        start(Map.of(Config.NET_NATIVE_TRANSPORT, "false"));
        assertThat(app.server.vertx().isNativeTransportEnabled()).isFalse();
        callsAndHttp();
    }
}

package de.vorzimmer.asterisk.agi;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Listening: several event loops per server, several servers per Vert.x, each with its own port and scripts. */
class FastAgiServerTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static FastAgiScript says(String value) {
        return call -> call.send(new SetVariableCommand("WHO", value));
    }

    /** One call for script {@code route}; the commands the server sent. */
    private static List<String> call(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("agi_network: yes\nagi_network_script: route\nagi_uniqueid: 1.1\n\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            List<String> commands = new ArrayList<>();
            for (String line; commands.size() < 10 && (line = in.readLine()) != null; ) {
                commands.add(line);
                out.write("200 result=1\n".getBytes(StandardCharsets.US_ASCII));
            }
            return commands;
        }
    }

    @Test
    void serversOnFreePortsEachRunTheirOwnScriptOnEveryEventLoop() throws IOException {
        try (FastAgiServer a = FastAgiServer.start(vertx, "127.0.0.1", 0, Map.of("route", says("a")), AgiLimits.defaults(), 2);
             FastAgiServer b = FastAgiServer.start(vertx, "127.0.0.1", 0, Map.of("route", says("b")), AgiLimits.defaults(), 2)) {
            assertThat(a.port()).isNotEqualTo(b.port()).isPositive();
            for (int i = 0; i < 6; i++) { // connections go round the event loops; each must run the server's own script
                assertThat(call(a.port())).containsExactly("SET VARIABLE \"WHO\" \"a\"");
                assertThat(call(b.port())).containsExactly("SET VARIABLE \"WHO\" \"b\"");
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(a.openConnections()).isZero());
        }
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        Vertx other = Vertx.vertx(); // another process, as far as the port is concerned
        try (FastAgiServer a = FastAgiServer.start(vertx, "127.0.0.1", 0, Map.of("route", says("a")), AgiLimits.defaults(), 1)) {
            IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> FastAgiServer.start(
                    other, "127.0.0.1", a.port(), Map.of("route", says("b")), AgiLimits.defaults(), 1));
            assertThat(e).hasMessageStartingWith("FastAGI cannot listen on 127.0.0.1:" + a.port());
        } finally {
            other.close().await(10, TimeUnit.SECONDS);
        }
    }
}

package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.asteriskjava.fastagi.AgiScript;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The FastAGI server against raw sockets: oversized lines, endless environments and binary garbage are cut off
 * without buffering them, a well-formed request still reaches the script, and a malformed environment is answered
 * with no decision (the dialplan falls back).
 */
class FastAgiLimitsTest {
    private FastAgiService agi;
    private final List<Map<String, String>> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        AgiScript script = (request, channel) -> {
            seen.add(request.getRequest());
            try {
                AgiCalls.toCall(request.getRequest(), request.getArguments());
                channel.setVariable("VZ_ACTION", "screen");
            } catch (AgiInputException e) {
                // as RouteScript: no decision; the dialplan takes its fallback
            }
        };
        agi = FastAgiService.start("127.0.0.1", 0, Map.of("route", script), 2);
    }

    @AfterEach
    void stop() {
        agi.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), agi.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static String env(String extension) {
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

    @Test
    void wellFormedRequestGetsItsDecision() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(env("+49309990000").getBytes(StandardCharsets.UTF_8));
            String commands = converse(s, 10_000);
            assertThat(commands).contains("SET VARIABLE \"VZ_ACTION\" \"screen\"");
        }
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0)).containsEntry("extension", "+49309990000");
    }

    @Test
    void environmentWrittenALineAtATimeIsReadWhole() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            String[] lines = env("+49309990000").split("(?<=\n)");
            for (int i = 0; i < lines.length; i++) { // as res_agi writes it: one write per line
                out.write(lines[i].getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (i % 4 == 1) Thread.sleep(2); // some lines arrive after the reader gave up waiting for them
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
    }

    @Test
    void malformedEnvironmentReachesTheScriptButGetsNoDecision() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(env("not-a-number; rm -rf /").getBytes(StandardCharsets.UTF_8));
            assertThat(converse(s, 10_000)).doesNotContain("VZ_ACTION");
        }
        assertThat(seen).hasSize(1);
    }
}

package de.vorzimmer.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.routing.BookIndex;
import de.vorzimmer.routing.DecisionLog;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.routing.RoutingSnapshot;
import de.vorzimmer.status.LiveStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import de.vorzimmer.asterisk.agi.AgiLimits;
import de.vorzimmer.asterisk.agi.FastAgiScript;
import de.vorzimmer.asterisk.agi.FastAgiServer;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Asterisk-Java's status variable folded into the {@code route} script's one {@code MSet}: the commands a PBX
 * receives from the FastAGI server, spoken to over a real socket the way res_agi speaks (environment, one reply
 * per command).
 */
class AgiStatusTest {
    private static final String SUCCESS_PAIR = "AJ_AGISTATUS=SUCCESS";

    @Test
    void statusGoesBeforeTheLastVariable() {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("VZ_CLIENT", "c1");
        vars.put("VZ_DISPLAY", "x");
        vars.put("VZ_ACTION", "screen");
        assertThat(AgiStatus.withSuccess(vars).keySet())
                .containsExactly("VZ_CLIENT", "VZ_DISPLAY", "AJ_AGISTATUS", "VZ_ACTION");
        assertThat(AgiStatus.withSuccess(Map.of("VZ_ACTION", "reject")).keySet())
                .containsExactly("AJ_AGISTATUS", "VZ_ACTION");
        assertThat(AgiStatus.withSuccess(Map.of())).containsExactly(Map.entry("AJ_AGISTATUS", "SUCCESS"));
        assertThat(vars).hasSize(3); // the argument is not changed
    }

    @Test
    void routeScriptSendsOneCommandForTheWholeCall() throws Exception {
        List<String> commands = call(routeScript(), "0");
        assertThat(commands).hasSize(1);
        String mset = commands.get(0);
        assertThat(mset).startsWith("EXEC \"MSet\" \"");
        assertThat(mset).contains("VZ_CLIENT=", SUCCESS_PAIR + ",VZ_ACTION=");
        assertThat(mset.indexOf("VZ_ACTION=")).isGreaterThan(mset.indexOf(SUCCESS_PAIR));
    }

    @Test
    void theDecisionCarriesTheClientsLanguageForThePrompts() throws Exception {
        String mset = call(routeScript(), "0").get(0);
        // the demo book's Dr. Müller speaks German: the dialplan sets CHANNEL(language) from it
        assertThat(mset).contains("VZ_CLIENT=mueller").contains("VZ_LANGUAGE=de,");
    }

    @Test
    void withoutMSetEveryVariableAndTheStatusAreSetOneByOneTheActionLast() throws Exception {
        List<String> commands = call(routeScript(), "-2");
        assertThat(commands.get(0)).startsWith("EXEC \"MSet\"");
        List<String> rest = commands.subList(1, commands.size());
        assertThat(rest).allMatch(c -> c.startsWith("SET VARIABLE "));
        assertThat(rest).contains("SET VARIABLE \"AJ_AGISTATUS\" \"SUCCESS\"");
        assertThat(rest.get(rest.size() - 1)).startsWith("SET VARIABLE \"VZ_ACTION\"");
    }

    private static FastAgiScript routeScript() throws Exception {
        String yaml;
        try (InputStream in = AgiStatusTest.class.getResourceAsStream("/demo/book.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Book book = BookLoader.load(yaml, PinHasher.fast());
        RoutingSnapshot snapshot = new RoutingSnapshot(BookIndex.of(book), LiveStatus.empty(), Set.of());
        LiveRouting routing = new LiveRouting(snapshot,
                Clock.fixed(Instant.parse("2026-11-30T09:30:00Z"), ZoneOffset.UTC));
        return new RouteScript(routing, DecisionLog.NONE, new DialStrings("Local/{number}@vorzimmer-reach"), d -> { });
    }

    /**
     * One call to a FastAGI server running {@code script}: sends the environment, answers {@code EXEC} with
     * {@code execResult} and anything else with {@code 1}, returns the commands until the server hangs up.
     */
    private static List<String> call(FastAgiScript script, String execResult) throws Exception {
        Vertx vertx = Vertx.vertx();
        try (FastAgiServer agi = FastAgiServer.start(vertx, "127.0.0.1", 0, Map.of("route", script), AgiLimits.defaults(), 1)) {
            return call(agi.port(), "", execResult);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    /** One call to the server on {@code port}; {@code extraEnv}: more environment lines, each ending in a newline. */
    private static List<String> call(int port, String extraEnv, String execResult) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("agi_network: yes\nagi_network_script: route\nagi_request: agi://127.0.0.1/route\n"
                    + "agi_channel: PJSIP/trunk-00000001\nagi_uniqueid: 1732741234.1\nagi_callerid: +49309876543\n"
                    + "agi_calleridname: unknown\nagi_callingpres: 0\nagi_context: vorzimmer-in\n"
                    + "agi_extension: +49301234567\nagi_priority: 3\n" + extraEnv + "agi_arg_1: \n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            List<String> commands = new ArrayList<>();
            for (String line; commands.size() < 50 && (line = in.readLine()) != null; ) {
                commands.add(line);
                String result = line.startsWith("EXEC ") ? execResult : "1";
                out.write(("200 result=" + result + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            return commands;
        }
    }
}

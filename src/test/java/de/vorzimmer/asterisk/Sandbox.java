package de.vorzimmer.asterisk;

import static org.junit.jupiter.api.Assertions.fail;

import de.vorzimmer.config.Config;
import org.asteriskjava.manager.action.OriginateAction;
import org.awaitility.Awaitility;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The real Asterisk of {@code scripts/asterisk-sandbox} and the baresip softphones of {@code scripts/softphone},
 * as the integration tests use them. Never skips: if Asterisk cannot be started the test fails with the reason.
 */
final class Sandbox {
    static final Path REPO = findRepo();
    private static final Path SCRIPT = REPO.resolve("scripts/asterisk-sandbox");
    private static final Path SOFTPHONE = REPO.resolve("scripts/softphone");

    record Result(int exit, String output) {
    }

    final Map<String, String> status;

    private Sandbox(Map<String, String> status) {
        this.status = status;
    }

    /** The running sandbox; starts it ({@code up}) if {@code status} says it is not answering. */
    static Sandbox ensureUp() {
        Result r = run(Duration.ofSeconds(20), SCRIPT.toString(), "status");
        if (r.exit() != 0) {
            Result up = run(Duration.ofSeconds(300), SCRIPT.toString(), "up");
            if (up.exit() != 0) fail("scripts/asterisk-sandbox up failed (exit " + up.exit() + "):\n" + up.output());
            r = run(Duration.ofSeconds(20), SCRIPT.toString(), "status");
            if (r.exit() != 0) fail("Asterisk sandbox not answering after up:\n" + r.output());
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : r.output().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        for (String key : List.of("ami", "sip", "agi", "ami_user", "ami_secret", "recordings", "log")) {
            if (!m.containsKey(key)) fail("scripts/asterisk-sandbox status printed no " + key + "=:\n" + r.output());
        }
        return new Sandbox(m);
    }

    int amiPort() {
        String ami = status.get("ami");
        return Integer.parseInt(ami.substring(ami.lastIndexOf(':') + 1));
    }

    String amiUser() {
        return status.get("ami_user");
    }

    String amiSecret() {
        return status.get("ami_secret");
    }

    Path recordings() {
        return Path.of(status.get("recordings"));
    }

    /**
     * The settings of a server that works with this sandbox: its SQLite file {@code db}, HTTP on a free port, FastAGI
     * on {@code agiPort} (for the dialplan's {@code VZ_AGI_HOST}), AMI as the sandbox's manager user and the sandbox's
     * recordings folder. A map to add to.
     */
    Map<String, String> serverSettings(Path db, int agiPort) {
        Map<String, String> o = new HashMap<>();
        o.put(Config.DB, db.toString());
        o.put(Config.HTTP_PORT, "0");
        o.put(Config.AGI_PORT, Integer.toString(agiPort));
        o.put(Config.AMI_HOST, "127.0.0.1");
        o.put(Config.AMI_PORT, Integer.toString(amiPort()));
        o.put(Config.AMI_USER, amiUser());
        o.put(Config.AMI_SECRET, amiSecret());
        o.put(Config.RECORDINGS, recordings().toString());
        return o;
    }

    /**
     * The AMI Originate of a test caller into {@code vorzimmer-test-forward}: {@code from} calls {@code to} (forwarded
     * from {@code forwardedFrom}, empty if not); the caller side ({@code vorzimmer-test-caller}) waits {@code delay} s
     * after the answer, says hello-world, waits {@code hold} s and hangs up, and gives up after {@code ringSeconds} if
     * nobody answered. Its channels are named {@code base}a and {@code base}b; {@code base}b runs {@code vorzimmer-in}
     * and is the call id the server sees.
     */
    static OriginateAction testCall(String base, String to, String from, String forwardedFrom, int delay, int hold,
                                    int ringSeconds) {
        OriginateAction a = new OriginateAction();
        a.setChannel("Local/s@vorzimmer-test-forward");
        a.setChannelId(base + "a");
        a.setOtherChannelId(base + "b");
        a.setContext("vorzimmer-test-caller");
        a.setExten("s");
        a.setPriority(1);
        a.setTimeout(ringSeconds * 1000L);
        a.setCallerId(from + " <" + from + ">");
        a.setAsync(true);
        a.setVariables(Map.of("VZ_TEST_TO", to, "VZ_TEST_FROM", from, "VZ_TEST_FWD", forwardedFrom,
                "VZ_TEST_DELAY", Integer.toString(delay), "VZ_TEST_HOLD", Integer.toString(hold)));
        return a;
    }

    /** Sends {@code a} (async) and fails the test unless Asterisk accepts it. */
    static void originate(org.asteriskjava.manager.ManagerConnection ami, OriginateAction a) {
        try {
            org.asteriskjava.manager.response.ManagerResponse r = ami.sendAction(a, 10_000);
            if (!"Success".equalsIgnoreCase(r.getResponse())) {
                org.junit.jupiter.api.Assertions.fail("Originate refused: " + r.getMessage());
            }
        } catch (Exception e) {
            org.junit.jupiter.api.Assertions.fail("Originate failed: " + e);
        }
    }

    /** A loopback port free right now (for a server that must know its port before it starts). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    Path log() {
        return Path.of(status.get("log"));
    }

    /** {@code asterisk -rx CMD}; fails the test if it does not work. */
    String cli(String command) {
        Result r = run(Duration.ofSeconds(20), SCRIPT.toString(), "cli", command);
        if (r.exit() != 0) fail("asterisk -rx '" + command + "' failed: " + r.output());
        return r.output();
    }

    void setGlobal(String name, String value) {
        cli("dialplan set global " + name + " " + value);
    }

    /** Stops and starts Asterisk (config rendered again: globals back to their defaults). */
    void restart() {
        Result down = run(Duration.ofSeconds(60), SCRIPT.toString(), "down");
        if (down.exit() != 0) fail("sandbox down failed: " + down.output());
        Result up = run(Duration.ofSeconds(120), SCRIPT.toString(), "up");
        if (up.exit() != 0) fail("sandbox up failed: " + up.output());
    }

    void startSoftphone(String name) {
        Result r = run(Duration.ofSeconds(40), SOFTPHONE.toString(), "start", name);
        if (r.exit() != 0) fail("scripts/softphone start " + name + " failed: " + r.output());
    }

    /** A softphone that lets calls ring and never answers them. */
    void startRingingSoftphone(String name) {
        Result r = run(Duration.ofSeconds(40), SOFTPHONE.toString(), "start", name, "", "manual");
        if (r.exit() != 0) fail("scripts/softphone start " + name + " (manual) failed: " + r.output());
    }

    /** Sends {@code digits} as DTMF on the softphone's call in progress; false if it could not. */
    boolean softphoneDtmf(String name, String digits) {
        return run(Duration.ofSeconds(20), SOFTPHONE.toString(), "dtmf", name, digits).exit() == 0;
    }

    void stopSoftphone(String name) {
        run(Duration.ofSeconds(20), SOFTPHONE.toString(), "stop", name);
    }

    Path softphoneLog(String name) {
        return REPO.resolve(".sandbox/softphone-" + name + "/baresip.log");
    }

    /** Size of the Asterisk log now, so a test reads only what came after. */
    long logMark() {
        try {
            return Files.size(log());
        } catch (IOException e) {
            return 0;
        }
    }

    /** What Asterisk logged after {@code mark}, at most the last 64 MiB of it (the log of a long-lived sandbox is large). */
    String logSince(long mark) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(log())) {
            long size = ch.size();
            long from = Math.max(Math.min(mark, size), size - 64L * 1024 * 1024);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) (size - from));
            while (buf.hasRemaining() && ch.read(buf, from + buf.position()) > 0) {
                // read until the size seen at the start
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static Result run(Duration timeout, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true).start();
            byte[] out;
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " timed out after " + timeout);
            }
            out = p.getInputStream().readAllBytes();
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; fails with {@code what}. */
    static void await(Duration timeout, String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(100)).until(condition::getAsBoolean);
    }

    private static Path findRepo() {
        Path p = Path.of("").toAbsolutePath();
        List<Path> tried = new ArrayList<>();
        while (p != null) {
            if (Files.isExecutable(p.resolve("scripts/asterisk-sandbox"))) return p;
            tried.add(p);
            p = p.getParent();
        }
        throw new IllegalStateException("no scripts/asterisk-sandbox above " + tried);
    }
}

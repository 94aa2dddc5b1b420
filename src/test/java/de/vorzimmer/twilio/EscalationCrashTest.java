package de.vorzimmer.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.vorzimmer.book.BookLoader;
import de.vorzimmer.book.BookStore;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.book.TestClients;
import de.vorzimmer.console.ConsoleServer;
import de.vorzimmer.escalation.ServerFixture;
import de.vorzimmer.notify.FakeTwilio;
import de.vorzimmer.store.Database;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Escalation chains on a real server process ({@code vorzimmer serve}) that is killed with SIGKILL at random
 * points while four chains run at once, and started again, several times. Twilio is the local stand-in for its
 * REST API plus this test answering as Twilio's network: every call-out rings unanswered and its end
 * ({@code no-answer}) is reported to the status callback, again until the server takes it (as Twilio's
 * connection-override retries do). Afterwards every chain went through every step exactly once, in order: one SMS,
 * then the three people on call, twice; no call placed twice, none left out. (The kills start once the urgent SMS
 * are out: an SMS's own window, a kill between Twilio's acceptance and our commit, is {@code MessageCrashTest}'s.)
 */
class EscalationCrashTest {
    static final String TOKEN = "crash-test-token";
    static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
    static final String PUBLIC = "https://vz.example.com";
    static final List<String> PEOPLE = List.of("+491701111111", "+491712222222", "+491713333333");
    static final String BOOK = """
            version: 1
            clients:
            """ + TestClients.MUELLER + """
                oncall:
                  - { name: A, number: "+49 170 1111111" }
                  - { name: B, number: "+49 171 2222222" }
                  - { name: C, number: "+49 171 3333333" }
                escalation: { after: 1s, ring: 5s, rounds: 2 }
            """;
    static final int CHAINS = 4;
    static final Pattern STEP = Pattern.compile("[?&]step=(\\d+)");

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final TwilioSigner signer = new TwilioSigner(TOKEN);
    /** Status callbacks the server has taken, by CallSid. */
    final Set<String> reported = ConcurrentHashMap.newKeySet();

    @Test
    void everyChainContinuesAfterEachKillWithNoStepTwiceAndNoneLeftOut() throws Exception {
        Path db = dir.resolve("vz.db");
        try (Database d = Database.open(db)) {
            new BookStore(d, new PinHasher()).save(BookLoader.load(BOOK, new PinHasher()), "test", Instant.now());
        }
        int port = ServerFixture.freePort();
        String base = "http://127.0.0.1:" + port;
        Random random = new Random(19);
        ScheduledExecutorService network = Executors.newSingleThreadScheduledExecutor();
        try (FakeTwilio fake = new FakeTwilio()) {
            Path config = dir.resolve("vorzimmer.yaml");
            Files.writeString(config, String.join("\n", "db: " + db, "http: { host: 127.0.0.1, port: " + port + " }",
                    "agi: { port: 0 }", "notify: { timeout: 1s }", "console: { admin-password: crash-test-admin }",
                    "twilio: { account-sid: " + ACCOUNT + ", auth-token: " + TOKEN + ", public-url: \"" + PUBLIC + "\","
                            + " from: \"+4930555000\", api-url: \"" + fake.url() + "\" }", ""));
            // Twilio's network: each call rings 300 ms unanswered, then its end is reported until the server takes it
            network.scheduleWithFixedDelay(() -> report(fake, base), 100, 100, TimeUnit.MILLISECONDS);

            List<Long> messages = new ArrayList<>();
            for (int round = 1; round <= 6; round++) {
                Process child = start(config);
                try {
                    awaitHealthy(base, child);
                    if (round == 1) {
                        ConsoleServer.Session session = ConsoleServer.login(http, base, "admin", "crash-test-admin");
                        for (int i = 0; i < CHAINS; i++) messages.add(urgent(base, session, "Notfall " + i));
                        // the urgent SMS (step 0) out first: its own crash window is MessageCrashTest's subject
                        await().atMost(Duration.ofSeconds(20)).until(() -> fake.received().stream()
                                .filter(r -> r.path().endsWith("/Messages.json")).count() >= CHAINS);
                    }
                    // SIGKILL at a random point of the chains' run
                    child.waitFor(300 + random.nextInt(3500), TimeUnit.MILLISECONDS);
                } finally {
                    child.destroyForcibly();
                    child.waitFor(10, TimeUnit.SECONDS);
                }
            }
            Process last = start(config);
            try {
                awaitHealthy(base, last);
                await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> states(db, messages).values().stream().allMatch("exhausted"::equals));
            } finally {
                last.destroyForcibly();
                last.waitFor(10, TimeUnit.SECONDS);
            }

            Map<Long, List<String>> placed = new HashMap<>(); // outbox id -> CallSids Twilio created for it
            for (FakeTwilio.CreatedCall c : fake.calls()) {
                Matcher m = STEP.matcher(c.form().get("Url"));
                assertThat(m.find()).isTrue();
                placed.computeIfAbsent(Long.parseLong(m.group(1)), k -> new ArrayList<>()).add(c.sid());
            }
            try (Database d = Database.open(db)) {
                for (long id : messages) {
                    List<long[]> steps = steps(d, id); // {step, outbox id}
                    assertThat(steps).as("steps of message " + id).hasSize(7);
                    List<String> called = new ArrayList<>();
                    for (long[] s : steps.subList(1, 7)) {
                        List<String> sids = placed.getOrDefault(s[1], List.of());
                        assertThat(sids).as("calls for step " + s[0] + " of message " + id).hasSize(1);
                        called.add(fake.calls().stream().filter(c -> c.sid().equals(sids.get(0))).findFirst().orElseThrow().to());
                    }
                    assertThat(called).as("who message " + id + " called, in order")
                            .containsExactly(PEOPLE.get(0), PEOPLE.get(1), PEOPLE.get(2), PEOPLE.get(0), PEOPLE.get(1),
                                    PEOPLE.get(2));
                    long sms = fake.received().stream().filter(r -> r.path().endsWith("/Messages.json")
                            && r.form().get("Body").endsWith("OK " + id)).count();
                    assertThat(sms).as("urgent SMS of message " + id).isEqualTo(1);
                }
            }
            assertThat(fake.calls()).hasSize(CHAINS * 6);
        } finally {
            network.shutdownNow();
        }
    }

    private Process start(Path config) throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dvorzimmer.log.level=WARN", "de.vorzimmer.cli.Main", "serve", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
                .start();
    }

    private void awaitHealthy(String base, Process child) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!child.isAlive()) throw new AssertionError("server died: " + Files.readString(dir.resolve("server.log")));
            try {
                return http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    /** Reports {@code no-answer} for every call that rang 300 ms, until the server took the report. */
    private void report(FakeTwilio fake, String base) {
        for (FakeTwilio.CreatedCall c : fake.calls()) {
            if (reported.contains(c.sid()) || c.at().isAfter(Instant.now().minusMillis(300))) continue;
            String path = c.form().get("StatusCallback").substring(PUBLIC.length());
            Map<String, String> form = Map.of("CallSid", c.sid(), "AccountSid", ACCOUNT, "CallStatus", "no-answer",
                    "To", c.to(), "From", "+4930555000");
            try {
                HttpResponse<String> r = TwilioHttp.send(http, base, path, form, signer.sign(PUBLIC + path, form));
                if (r.statusCode() == 200) reported.add(c.sid());
            } catch (Exception e) {
                // the server is down: Twilio tries again
            }
        }
    }


    private long urgent(String base, ConsoleServer.Session session, String text) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/messages"))
                .header("Content-Type", "application/json")
                .header("Cookie", session.cookie()).header("X-CSRF-Token", session.csrf())
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("client", "mueller")
                        .put("caller_name", "Labor Schmidt").put("caller_number", "+49309876543").put("text", text)
                        .put("urgent", true).encode())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new JsonObject(r.body()).getLong("id");
    }

    private static Map<Long, String> states(Path db, List<Long> messages) {
        Map<Long, String> out = new HashMap<>();
        try (Database d = Database.open(db)) {
            d.read(c -> {
                for (long id : messages) {
                    try (PreparedStatement p = c.prepareStatement("SELECT state FROM escalations WHERE message_id = ?")) {
                        p.setLong(1, id);
                        try (ResultSet rs = p.executeQuery()) {
                            out.put(id, rs.next() ? rs.getString(1) : "none");
                        }
                    }
                }
                return null;
            });
        }
        return out;
    }

    private static List<long[]> steps(Database d, long messageId) {
        return d.read(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT step, outbox_id FROM escalation_steps WHERE message_id = ? ORDER BY step")) {
                p.setLong(1, messageId);
                try (ResultSet rs = p.executeQuery()) {
                    List<long[]> out = new ArrayList<>();
                    while (rs.next()) out.add(new long[] {rs.getLong(1), rs.getLong(2)});
                    return out;
                }
            }
        });
    }
}

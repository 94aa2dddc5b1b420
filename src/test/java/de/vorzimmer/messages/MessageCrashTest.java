package de.vorzimmer.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import de.vorzimmer.notify.Backoff;
import de.vorzimmer.notify.FakeTwilio;
import de.vorzimmer.notify.Notification;
import de.vorzimmer.notify.NotificationState;
import de.vorzimmer.notify.OutboxFixture;
import de.vorzimmer.notify.OutboxWorker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages stored under load by a child JVM that is killed with SIGKILL at random points, several rounds: every
 * message it acknowledged is in the store afterwards, and every urgent one is then sent exactly once.
 */
class MessageCrashTest {
    private static final Pattern ACK = Pattern.compile("ack (\\d+) (true|false) (r\\d+-t\\d+-\\d+) end");

    @TempDir
    Path dir;

    /** Child: four threads take messages (every third urgent) and print "ack ID URGENT TEXT end" after each commit. */
    public static final class Load {
        public static void main(String[] args) throws Exception {
            Path file = Paths.get(args[0]);
            String round = args[1];
            PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
            OutboxFixture fx = new OutboxFixture(file, Clock.systemUTC(), Duration.ofHours(1));
            AtomicInteger seq = new AtomicInteger();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                Thread th = new Thread(() -> {
                    while (true) {
                        int n = seq.incrementAndGet();
                        boolean urgent = n % 3 == 0;
                        String text = round + "-t" + thread + "-" + n;
                        NewMessage in = new NewMessage(n % 2 == 0 ? "mueller" : "smith", null, "+49309876543", "Labor",
                                MessageKind.TYPED, text, null, urgent, false,
                                n % 2 == 0 ? Map.of("Rückrufnummer", "+49309876543") : Map.of(), null);
                        long id = fx.take(in).id();
                        synchronized (out) {
                            out.println("ack " + id + " " + urgent + " " + text + " end");
                            out.flush();
                        }
                    }
                });
                th.start();
            }
            new java.util.concurrent.CountDownLatch(1).await(60, TimeUnit.SECONDS); // until the test kills this process
        }
    }

    @Test
    void acknowledgedMessagesSurviveSigkillAndUrgentOnesAreSentExactlyOnce() throws Exception {
        Path file = dir.resolve("vz.db");
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Random random = new Random(42);
        Map<Long, String> acked = new HashMap<>();
        Map<Long, Boolean> ackedUrgent = new HashMap<>();
        for (int round = 1; round <= 4; round++) {
            Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    "-Dvorzimmer.log.level=WARN", Load.class.getName(), file.toString(), "r" + round)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int killAfter = 20 + random.nextInt(400);
            int lines = 0;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (lines < killAfter && System.nanoTime() < deadline && (line = out.readLine()) != null) {
                    Matcher m = ACK.matcher(line);
                    if (!m.matches()) continue; // a line cut short by the kill is no acknowledgement
                    acked.put(Long.parseLong(m.group(1)), m.group(3));
                    ackedUrgent.put(Long.parseLong(m.group(1)), Boolean.parseBoolean(m.group(2)));
                    lines++;
                }
                child.destroyForcibly(); // SIGKILL, mid-write; the writer threads are still taking messages
                child.waitFor();
            } finally {
                child.destroyForcibly();
            }
            assertThat(lines).as("round " + round + " acknowledged messages").isPositive();
        }

        try (FakeTwilio fake = new FakeTwilio();
             OutboxFixture fx = new OutboxFixture(file, Clock.systemUTC(), Duration.ofHours(1))) {
            for (Map.Entry<Long, String> e : acked.entrySet()) {
                Message m = fx.messages.get(e.getKey()).orElse(null);
                assertThat(m).as("acknowledged message " + e.getKey()).isNotNull();
                assertThat(m.text()).isEqualTo(e.getValue());
                assertThat(m.urgent()).isEqualTo(ackedUrgent.get(e.getKey()));
            }
            OutboxWorker worker = new OutboxWorker(fx.outbox, fx.sender(fake, Duration.ofSeconds(5)), Clock.systemUTC(),
                    new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)), Duration.ofSeconds(30), Duration.ofSeconds(1));
            worker.runOnce();
            List<Message> all = fx.messages.list(MessageFilter.all().limit(MessageFilter.MAX_LIMIT));
            int urgent = 0;
            for (Message m : all) {
                List<Notification> ns = fx.outbox.forMessage(m.id());
                if (!m.urgent()) {
                    assertThat(ns).isEmpty();
                    continue;
                }
                urgent++;
                assertThat(ns).as("message " + m.id()).hasSize(1);
                Notification n = ns.get(0);
                assertThat(n.state()).isEqualTo(NotificationState.SENT);
                assertThat(fake.accepted(n.to(), n.body())).as("sends of " + n.key()).isEqualTo(1);
                assertThat(fx.messages.get(m.id()).orElseThrow().state()).isEqualTo(MessageState.NOTIFIED);
            }
            assertThat(urgent).isPositive();
            assertThat(fake.received()).hasSize(urgent);
        }
    }
}

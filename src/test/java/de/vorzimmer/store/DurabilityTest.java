package de.vorzimmer.store;

import de.vorzimmer.messages.MessageStore;
import de.vorzimmer.status.OverrideStore;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageFilter;
import de.vorzimmer.messages.MessageKind;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store against the real thing: a second process, SIGKILL, and two connections writing at once. */
class DurabilityTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    @TempDir
    Path dir;

    /** Child process: stores one message, prints its id (the acknowledgement), then waits to be killed. */
    public static final class AddAndHang {
        public static void main(String[] args) throws Exception {
            Database db = Database.open(Paths.get(args[0]));
            long id = new MessageStore(db).add(message("acknowledged"));
            System.out.println(id);
            System.out.flush();
            new java.util.concurrent.CountDownLatch(1).await(60, TimeUnit.SECONDS); // until the test kills this process
        }
    }

    static Message message(String text) {
        return Message.received(T0, "mueller", "+49301234567", "+49309876543", null, MessageKind.TYPED, text, null,
                false, null);
    }

    @Test
    void acknowledgedMessageSurvivesSigkill() throws Exception {
        Path file = dir.resolve("vz.db");
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dvorzimmer.log.level=WARN", AddAndHang.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String ack;
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                ack = out.readLine();
            }
            assertThat(ack).as("the child acknowledged a message").isNotNull();
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

            try (Database db = Database.open(file)) {
                Message m = new MessageStore(db).get(Long.parseLong(ack.strip())).orElseThrow();
                assertThat(m.text()).isEqualTo("acknowledged");
            }
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void twoConnectionsWritingAtOnceLoseNothing() throws Exception {
        Path file = dir.resolve("vz.db");
        int perWriter = 100;
        try (Database a = Database.open(file); Database b = Database.open(file)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<Void>> jobs = new ArrayList<>();
                for (Database db : List.of(a, b, a, b)) {
                    MessageStore store = new MessageStore(db);
                    OverrideStore overrides = new OverrideStore(db);
                    jobs.add(() -> {
                        for (int i = 0; i < perWriter; i++) {
                            store.add(message("m" + i));
                            overrides.activeOrFutureAt(T0); // reads interleaved with the other process's writes
                        }
                        return null;
                    });
                }
                for (Future<Void> f : pool.invokeAll(jobs)) f.get();
            } finally {
                pool.shutdownNow();
            }
            assertThat(new MessageStore(a).list(MessageFilter.all().limit(1000))).hasSize(4 * perWriter);
        }
    }
}

package de.vorzimmer.asterisk.agi;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The FastAGI connections' time-outs: one queue per length, one Vert.x timer per event loop. */
class DeadlinesTest {
    private Vertx vertx;
    private Context context;
    private final List<String> expired = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    /** Runs {@code work} on the event loop and returns its result (as everything on a Deadlines must run). */
    private <T> T onLoop(Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                result.complete(work.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aDeadlineExpiresAfterItsTimeOutAndNotBefore() throws Exception {
        Deadlines deadlines = new Deadlines(context);
        CompletableFuture<Long> expiredAt = new CompletableFuture<>();
        long setAt = onLoop(() -> {
            long before = System.nanoTime(); // no later than the clock reading the deadline counts from
            deadlines.deadline(() -> expiredAt.complete(System.nanoTime())).set(Duration.ofMillis(80));
            return before;
        });
        long at = expiredAt.get(10, TimeUnit.SECONDS);
        assertThat(at - setAt).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(80));
        assertThat(onLoop(deadlines::pending)).isZero();
    }

    @Test
    void aMetDeadlineNeverExpires() throws Exception {
        Deadlines deadlines = new Deadlines(context);
        CompletableFuture<Void> witness = new CompletableFuture<>();
        onLoop(() -> {
            Deadlines.Deadline met = deadlines.deadline(() -> expired.add("met"));
            met.set(Duration.ofMillis(30));
            deadlines.deadline(() -> witness.complete(null)).set(Duration.ofMillis(30));
            met.cancel();
            assertThat(met.isSet()).isFalse();
            return null;
        });
        witness.get(10, TimeUnit.SECONDS); // due with the met one, so swept at the same moment or later
        assertThat(onLoop(() -> List.copyOf(expired))).isEmpty();
    }

    @Test
    void aShortDeadlineSetAfterALongOneIsNotHeldBackByIt() throws Exception {
        Deadlines deadlines = new Deadlines(context);
        CompletableFuture<Void> shortOne = new CompletableFuture<>();
        onLoop(() -> {
            deadlines.deadline(() -> expired.add("long")).set(Duration.ofMinutes(10));
            deadlines.deadline(() -> shortOne.complete(null)).set(Duration.ofMillis(40));
            return null;
        });
        shortOne.get(10, TimeUnit.SECONDS);
        assertThat(onLoop(deadlines::pending)).isEqualTo(1);
        assertThat(expired).isEmpty();
    }

    @Test
    void settingADeadlineAgainReplacesItsTimeOut() throws Exception {
        Deadlines deadlines = new Deadlines(context);
        CompletableFuture<Void> witness = new CompletableFuture<>();
        onLoop(() -> {
            Deadlines.Deadline d = deadlines.deadline(() -> expired.add("re-set"));
            d.set(Duration.ofMillis(20));
            d.set(Duration.ofMinutes(10)); // the connection's next phase
            deadlines.deadline(() -> witness.complete(null)).set(Duration.ofMillis(60));
            return null;
        });
        witness.get(10, TimeUnit.SECONDS);
        assertThat(expired).isEmpty();
        assertThat(onLoop(deadlines::pending)).isEqualTo(1);
    }

    @Test
    void aSweepExpiresWhatIsDueInOrderAndLeavesTheRest() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        Deadlines deadlines = new Deadlines(context, now::get);
        onLoop(() -> {
            for (String name : List.of("a", "b", "c")) {
                deadlines.deadline(() -> expired.add(name)).set(Duration.ofSeconds(5));
                now.addAndGet(TimeUnit.SECONDS.toNanos(1));
            }
            deadlines.deadline(() -> expired.add("play")).set(Duration.ofMinutes(5));
            Deadlines.Deadline met = deadlines.deadline(() -> expired.add("met"));
            met.set(Duration.ofSeconds(5));
            met.cancel();
            now.addAndGet(TimeUnit.SECONDS.toNanos(3)); // 6 s after "a", 5 s after "b", 4 s after "c"
            deadlines.sweep();
            return null;
        });
        assertThat(expired).containsExactly("a", "b");
        assertThat(onLoop(deadlines::pending)).isEqualTo(2);
        onLoop(() -> {
            now.addAndGet(TimeUnit.MINUTES.toNanos(5));
            deadlines.sweep();
            return null;
        });
        assertThat(expired).containsExactly("a", "b", "c", "play");
        assertThat(onLoop(deadlines::pending)).isZero();
    }

    @Test
    void anExpiryMaySetDeadlinesOfItsOwn() throws Exception {
        Deadlines deadlines = new Deadlines(context);
        CompletableFuture<Void> second = new CompletableFuture<>();
        onLoop(() -> {
            Deadlines.Deadline d = deadlines.deadline(() -> { });
            Deadlines.Deadline first = deadlines.deadline(() -> {
                expired.add("first");
                d.set(Duration.ofMillis(20)); // as a connection would start its next wait
                deadlines.deadline(() -> second.complete(null)).set(Duration.ofMillis(30));
            });
            first.set(Duration.ofMillis(20));
            return null;
        });
        second.get(10, TimeUnit.SECONDS);
        assertThat(expired).containsExactly("first");
        assertThat(onLoop(deadlines::pending)).isZero();
    }
}

package de.vorzimmer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.awaitility.Awaitility;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GroupCommitTest {
    @RegisterExtension
    final FreshDatabase fresh = new FreshDatabase();
    Database db;
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        db = fresh.db();
        db.write(c -> {
            c.createStatement().execute("CREATE TABLE t (n INTEGER NOT NULL)");
            return null;
        });
    }

    private GroupCommit<Integer, Void> writer(Duration linger) {
        return GroupCommit.writing("test-writer", db, GroupCommit.Settings.of(500, 10_000).withLinger(linger), batch -> {
            batchSizes.add(batch.size());
            try (PreparedStatement p = db.write(c -> c.prepareStatement("INSERT INTO t (n) VALUES (?)"))) {
                for (Integer n : batch) {
                    p.setInt(1, n);
                    p.executeUpdate();
                }
            } catch (SQLException e) {
                throw new StoreException("insert failed", e);
            }
        });
    }

    private long rows() {
        return db.read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void aBurstGathersIntoOneCommitWhileTheWriterLingers() throws Exception {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        try (GroupCommit<Integer, Void> w = writer(Duration.ofMillis(300))) {
            for (int i = 0; i < 200; i++) done.add(w.submit(i));
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        }
        assertThat(rows()).isEqualTo(200);
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
        // 200 rows queued within far less than the 300 ms linger: one batch, at most two if the first row was
        // taken before the rest arrived
        assertThat(batchSizes.size()).isLessThanOrEqualTo(2);
    }

    @Test
    void aWholeBatchEndsTheLingerAtOnce() throws Exception {
        // a linger far longer than the test may take: only full batches can be committed before close
        try (GroupCommit<Integer, Void> w = writer(Duration.ofMinutes(10))) {
            for (int i = 0; i < 1_250; i++) assertThat(w.offer(i)).isTrue();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> rows() == 1_000);
            assertThat(batchSizes).containsExactly(500, 500);
            assertThat(w.queued()).isEqualTo(249); // the 250th is the next batch's first, lingering
        }
        assertThat(rows()).isEqualTo(1_250);
        assertThat(batchSizes).containsExactly(500, 500, 250);
    }

    @Test
    void closeEndsALingerAtOnce() {
        GroupCommit<Integer, Void> w = writer(Duration.ofMinutes(10));
        w.offer(1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> w.queued() == 0); // taken: the writer lingers
        w.close(); // waits up to 10 s for the writer: a linger it did not end would keep the row out of the table
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void closeCommitsWhatIsQueued() {
        GroupCommit<Integer, Void> w = writer(Duration.ofMillis(50));
        for (int i = 0; i < 10; i++) w.submit(i);
        w.close();
        assertThat(rows()).isEqualTo(10);
        assertThat(w.submit(11)).isCompletedExceptionally();
    }

    @Test
    void aFailedBatchFailsEachOfItsRowsAndCommitsNone() {
        GroupCommit<Integer, Void> w = GroupCommit.writing("failing", db, GroupCommit.Settings.of(500, 100).withLinger(Duration.ZERO), batch -> {
            throw new StoreException("disk full");
        });
        CompletableFuture<Void> f = w.submit(1);
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertThat(e.getCause()).hasMessageContaining("disk full");
        w.close();
        assertThat(rows()).isZero();
    }

    @Test
    void offeredRowsAreCommittedWithoutAFutureAndRefusedOnceClosed() {
        GroupCommit<Integer, Void> w = writer(Duration.ofMillis(50));
        for (int i = 0; i < 25; i++) assertThat(w.offer(i)).isTrue();
        CompletableFuture<Void> watched = w.submit(25); // both kinds in one batch
        w.close();
        assertThat(watched).isCompleted();
        assertThat(rows()).isEqualTo(26);
        assertThat(w.offer(99)).isFalse();
        assertThat(rows()).isEqualTo(26);
    }

    @Test
    void offerIsRefusedWhenTheQueueIsFull() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        GroupCommit<Integer, Void> w = GroupCommit.writing("blocked", db, GroupCommit.Settings.of(1, 3).withLinger(Duration.ZERO), batch -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            int accepted = 0;
            for (int i = 0; i < 10; i++) if (w.offer(i)) accepted++;
            // one row may already be in the (blocked) writer's hands, three wait in the queue
            assertThat(accepted).isBetween(3, 4);
        } finally {
            release.countDown();
            w.close();
        }
    }

    @Test
    void aFailedBatchOfOfferedRowsLeavesTheWriterRunning() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        GroupCommit<Integer, Void> w = GroupCommit.writing("failing-once", db, GroupCommit.Settings.of(500, 100).withLinger(Duration.ZERO), batch -> {
            if (calls.getAndIncrement() == 0) throw new StoreException("disk full");
        });
        assertThat(w.offer(1)).isTrue();
        Awaitility.await("the failing batch").atMost(Duration.ofSeconds(5)).until(() -> calls.get() > 0);
        CompletableFuture<Void> next = w.submit(2);
        next.get(10, TimeUnit.SECONDS); // the writer survived the failure and commits the next batch
        w.close();
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void nothingQueuedIsLeftBehindByClose() throws Exception {
        // writers racing close: every row is either committed or refused, none just vanishes
        GroupCommit<Integer, Void> w = writer(Duration.ofMillis(5));
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        List<CompletableFuture<Void>> watched = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 100_000;
            Thread th = new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    if (i % 2 == 0) {
                        if (w.offer(base + i)) accepted.incrementAndGet();
                    } else {
                        watched.add(w.submit(base + i));
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        // close while the writers are in full flow
        Awaitility.await("rows offered").atMost(Duration.ofSeconds(10)).until(() -> accepted.get() + watched.size() > 100);
        w.close();
        for (Thread th : threads) th.join(10_000);
        long committedWatched = watched.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
        // every watched row has its answer once close has returned and the writers stopped: committed, or refused
        // (a row that slipped in while the writer ended used to wait forever)
        assertThat(watched).allMatch(CompletableFuture::isDone);
        // a row is acknowledged only after its commit
        assertThat(rows()).isGreaterThanOrEqualTo(committedWatched).isLessThanOrEqualTo(accepted.get() + committedWatched);
    }

    @Test
    void negativeLingerIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> writer(Duration.ofMillis(-1)));
    }

    @Test
    void eachCallerLearnsItsOwnRowsResultAfterTheCommit() throws Exception {
        try (GroupCommit<Integer, Integer> w = new GroupCommit<>("doubling", db, GroupCommit.Settings.of(500, 100),
                batch -> batch.stream().map(n -> n * 2).toList())) {
            List<CompletableFuture<Integer>> done = new ArrayList<>();
            for (int i = 0; i < 50; i++) done.add(w.submit(i));
            for (int i = 0; i < 50; i++) assertThat(done.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i * 2);
            assertThat(w.await(21)).isEqualTo(42);
        }
    }

    @Test
    void aSplittingWriterFailsOnlyTheBadRowOfABatch() throws Exception {
        GroupCommit.Settings settings = GroupCommit.Settings.of(500, 100).withLinger(Duration.ofMillis(200))
                .splittingFailedBatches();
        try (GroupCommit<Integer, Integer> w = new GroupCommit<>("picky", db, settings, batch -> {
            if (batch.contains(13)) throw new StoreException("13 is refused");
            return batch;
        })) {
            List<CompletableFuture<Integer>> done = new ArrayList<>();
            for (int i = 10; i < 16; i++) done.add(w.submit(i));
            for (int i = 0; i < done.size(); i++) {
                CompletableFuture<Integer> f = done.get(i);
                if (i + 10 == 13) {
                    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
                    assertThat(e.getCause()).hasMessage("13 is refused");
                } else {
                    assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(i + 10);
                }
            }
        }
    }

    @Test
    void aRowHandedOverAfterCloseIsRefusedRatherThanKeptWaiting() {
        GroupCommit<Integer, Integer> w = new GroupCommit<>("closing", db,
                GroupCommit.Settings.of(10, 10).withQueueWait(Duration.ofSeconds(10)), batch -> batch);
        w.close();
        StoreException e = assertThrows(StoreException.class, () -> w.await(1));
        assertThat(e).isInstanceOf(GroupCommit.Rejected.class).hasMessageContaining("closed");
    }
}

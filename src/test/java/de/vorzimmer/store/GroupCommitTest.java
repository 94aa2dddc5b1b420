package de.vorzimmer.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {
    @TempDir
    Path dir;
    Database db;
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("vz.db"));
        db.write(c -> {
            c.createStatement().execute("CREATE TABLE t (n INTEGER NOT NULL)");
            return null;
        });
    }

    @AfterEach
    void close() {
        db.close();
    }

    private GroupCommit<Integer> writer(Duration linger) {
        return new GroupCommit<>("test-writer", db, 500, 10_000, linger, batch -> {
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
        try (GroupCommit<Integer> w = writer(Duration.ofMillis(300))) {
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
    void closeCommitsWhatIsQueued() {
        GroupCommit<Integer> w = writer(Duration.ofMillis(50));
        for (int i = 0; i < 10; i++) w.submit(i);
        w.close();
        assertThat(rows()).isEqualTo(10);
        assertThat(w.submit(11)).isCompletedExceptionally();
    }

    @Test
    void aFailedBatchFailsEachOfItsRowsAndCommitsNone() {
        GroupCommit<Integer> w = new GroupCommit<>("failing", db, 500, 100, Duration.ZERO, batch -> {
            throw new StoreException("disk full");
        });
        CompletableFuture<Void> f = w.submit(1);
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertThat(e.getCause()).hasMessageContaining("disk full");
        w.close();
        assertThat(rows()).isZero();
    }

    @Test
    void negativeLingerIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> writer(Duration.ofMillis(-1)));
    }
}

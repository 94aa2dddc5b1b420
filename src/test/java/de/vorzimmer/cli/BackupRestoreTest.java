package de.vorzimmer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.messages.Message;
import de.vorzimmer.messages.MessageKind;
import de.vorzimmer.messages.MessageStore;
import de.vorzimmer.messages.MessageWriter;
import de.vorzimmer.store.Backups;
import de.vorzimmer.store.Database;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore drill: {@code vorzimmer backup} taken while 32 writers store messages into the live database, restored
 * into a new file; every message acknowledged before the backup started is in it, and it passes
 * {@code PRAGMA integrity_check}. And what the two commands refuse.
 */
class BackupRestoreTest {
    static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");
    static final int WRITERS = 32;
    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeEach
    void sqliteFilesOnly() {
        de.vorzimmer.store.TestDb.sqliteOnly("backup and restore copy SQLite files (PostgreSQL is backed up with pg_dump)");
    }

    static Message message(int writer, int n) {
        return Message.received(NOW.plusMillis(n), "mueller", "+49301234567", "+4930555" + writer, "Writer " + writer,
                MessageKind.TYPED, "message " + writer + "/" + n, null, false, null);
    }

    @Test
    void aBackupTakenWhile32WritersStoreHoldsEveryMessageAcknowledgedBeforeItStarted() throws Exception {
        Path live = dir.resolve("live.db");
        Path backup = dir.resolve("backups/nightly.db");
        Files.createDirectories(backup.getParent());
        Path restored = dir.resolve("restored/vorzimmer.db");
        ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
        List<Long> beforeBackup;
        try (Database db = Database.open(live); MessageWriter writer = new MessageWriter(db, new MessageStore(db))) {
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch started = new CountDownLatch(WRITERS);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<Integer>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int id = w;
                writers.add(pool.submit(() -> {
                    started.countDown();
                    int n = 0;
                    while (!stop.get() && n < 100_000) {
                        acknowledged.add(writer.add(message(id, n++), x -> List.of())); // returns after its commit
                    }
                    return n;
                }));
            }
            started.await(10, TimeUnit.SECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 2_000);
            beforeBackup = List.copyOf(acknowledged); // acknowledged before the backup starts
            CliRun run = CliRun.run(NOW, "backup", "--db", live.toString(), backup.toString());
            int duringBackup = acknowledged.size() - beforeBackup.size();
            stop.set(true);
            int stored = 0;
            for (Future<Integer> f : writers) stored += f.get(30, TimeUnit.SECONDS);
            pool.shutdown();
            assertThat(run.exit()).as(run.errLine()).isZero();
            assertThat(run.out()).startsWith("backup: " + live + " -> " + backup).contains("integrity ok");
            assertThat(duringBackup).as("writers went on while the backup ran").isPositive();
            assertThat(stored).isEqualTo(acknowledged.size());
        }

        CliRun restore = CliRun.run(NOW, "restore", "--db", restored.toString(), backup.toString());
        assertThat(restore.exit()).as(restore.errLine()).isZero();
        assertThat(restore.out()).startsWith("restore: " + backup + " -> " + restored).contains("integrity ok");
        assertThat(Backups.integrity(restored)).isEmpty();

        Set<Long> ids = new HashSet<>();
        try (Database db = Database.open(restored)) {
            db.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM messages")) {
                    while (rs.next()) ids.add(rs.getLong(1));
                }
                return null;
            });
        }
        assertThat(ids).containsAll(beforeBackup);
        assertThat(ids).hasSizeLessThanOrEqualTo(acknowledged.size());
        // the restored database works as any other: the command line reads it
        CliRun messages = CliRun.run(NOW, "messages", "--db", restored.toString(), "--json");
        assertThat(messages.exit()).as(messages.errLine()).isZero();
    }

    @Test
    void restoreRefusesWhileTheDatabaseIsInUseAndChangesNothing() throws Exception {
        Path live = dir.resolve("live.db");
        Path backup = dir.resolve("copy.db");
        try (Database db = Database.open(live)) {
            new MessageStore(db).add(message(1, 1));
            assertThat(CliRun.run(NOW, "backup", "--db", live.toString(), backup.toString()).exit()).isZero();
            new MessageStore(db).add(message(1, 2));
            CliRun refused = CliRun.run(NOW, "restore", "--replace", "--db", live.toString(), backup.toString());
            assertThat(refused.exit()).isEqualTo(2);
            assertThat(refused.errLine()).isEqualTo("vorzimmer: database " + live + " is in use (a server or a command "
                    + "has it open); stop the server first (systemctl stop vorzimmer); nothing restored");
            assertThat(new MessageStore(db).count()).isEqualTo(2);
        }
        // stopped: the restore goes through, but only when asked to replace
        CliRun exists = CliRun.run(NOW, "restore", "--db", live.toString(), backup.toString());
        assertThat(exists.exit()).isEqualTo(2);
        assertThat(exists.errLine()).startsWith("vorzimmer: database " + live + " exists; restore --replace replaces it");
        CliRun replaced = CliRun.run(NOW, "restore", "--replace", "--db", live.toString(), backup.toString());
        assertThat(replaced.exit()).as(replaced.errLine()).isZero();
        try (Database db = Database.open(live)) {
            assertThat(new MessageStore(db).count()).isEqualTo(1);
        }
    }

    @Test
    void aDamagedOrForeignBackupIsRefusedWithOneLine() throws Exception {
        Path live = dir.resolve("live.db");
        Path backup = dir.resolve("copy.db");
        try (Database db = Database.open(live)) {
            MessageStore store = new MessageStore(db);
            for (int i = 0; i < 500; i++) store.add(message(2, i));
        }
        assertThat(CliRun.run(NOW, "backup", "--db", live.toString(), backup.toString()).exit()).isZero();
        // a page in the middle of the messages overwritten: integrity_check finds it
        long size = Files.size(backup);
        try (RandomAccessFile f = new RandomAccessFile(backup.toFile(), "rw")) {
            f.seek(size / 2);
            f.write(new byte[4096]);
        }
        Path target = dir.resolve("new.db");
        CliRun damaged = CliRun.run(NOW, "restore", "--db", target.toString(), backup.toString());
        assertThat(damaged.exit()).isEqualTo(2);
        assertThat(damaged.err().lines()).hasSize(1);
        assertThat(damaged.errLine()).startsWith("vorzimmer: backup " + backup + " fails PRAGMA integrity_check")
                .endsWith("; nothing restored");
        assertThat(target).doesNotExist();

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not a database at all, but long enough to look like one's first page ".repeat(20));
        CliRun foreign = CliRun.run(NOW, "restore", "--db", target.toString(), text.toString());
        assertThat(foreign.exit()).isEqualTo(2);
        assertThat(foreign.errLine()).startsWith("vorzimmer: backup " + text + " is not a readable SQLite database");
        CliRun missing = CliRun.run(NOW, "restore", "--db", target.toString(), dir.resolve("nope.db").toString());
        assertThat(missing.errLine()).isEqualTo("vorzimmer: backup " + dir.resolve("nope.db")
                + " does not exist or is not a file; nothing restored");
        assertThat(target).doesNotExist();
    }

    @Test
    void backupRefusesWhatItCannotDo() {
        Path live = dir.resolve("live.db");
        CliRun noDb = CliRun.run(NOW, "backup", "--db", live.toString(), dir.resolve("x.db").toString());
        assertThat(noDb.exit()).isEqualTo(2);
        assertThat(noDb.errLine()).isEqualTo("vorzimmer: database " + live + " does not exist; nothing to back up");
        CliRun pg = CliRun.run(NOW, "backup", "--db", "jdbc:postgresql://db.example/vorzimmer", dir.resolve("x.db").toString());
        assertThat(pg.exit()).isEqualTo(2);
        assertThat(pg.errLine()).contains("for PostgreSQL use pg_dump");
        try (Database db = Database.open(live)) {
            assertThat(db.file()).exists();
        }
        CliRun noFolder = CliRun.run(NOW, "backup", "--db", live.toString(), dir.resolve("missing/x.db").toString());
        assertThat(noFolder.exit()).isEqualTo(2);
        assertThat(noFolder.errLine()).isEqualTo("vorzimmer: folder " + dir.resolve("missing") + " does not exist");
        CliRun itself = CliRun.run(NOW, "backup", "--db", live.toString(), live.toString());
        assertThat(itself.exit()).isEqualTo(2);
    }
}

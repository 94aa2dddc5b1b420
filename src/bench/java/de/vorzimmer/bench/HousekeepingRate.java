package de.vorzimmer.bench;

import de.vorzimmer.book.BookStore;
import de.vorzimmer.book.PinHasher;
import de.vorzimmer.calls.CallChoiceStore;
import de.vorzimmer.calls.CallLogStore;
import de.vorzimmer.config.Config;
import de.vorzimmer.console.SessionStore;
import de.vorzimmer.notify.OutboxStore;
import de.vorzimmer.phonein.PhoneInStore;
import de.vorzimmer.server.Housekeeping;
import de.vorzimmer.status.OverrideStore;
import de.vorzimmer.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How fast housekeeping deletes with its defaults (batches of 500, 10 ms pause between full batches, one run): a
 * call log of N rows past their retention, deleted by one run; prints rows/s and what an hourly run carries.
 * Usage: {@code HousekeepingRate [rows=500000]}.
 */
public final class HousekeepingRate {
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        Path dir = Files.createTempDirectory("vz-housekeeping");
        Instant now = Instant.now();
        long old = now.minus(Duration.ofDays(100)).toEpochMilli();
        try (Database db = Database.open(dir.resolve("hk.db"))) {
            for (int done = 0; done < rows; ) {
                int from = done;
                int n = Math.min(50_000, rows - done);
                db.write(c -> {
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO call_log (at, call_id, channel, action, urgent, "
                            + "decision_json) VALUES (?, ?, 'PJSIP/trunk-0001', 'screen', 0, ?)")) {
                        for (int i = from; i < from + n; i++) {
                            p.setLong(1, old + i);
                            p.setString(2, "1760000000." + i);
                            p.setString(3, "{\"client\":\"c1\",\"action\":\"screen\",\"why\":[\"a reason of a typical length for a call\"]}");
                            p.addBatch();
                        }
                        return p.executeBatch().length;
                    }
                });
                done += n;
            }
            Housekeeping job = new Housekeeping(new Housekeeping.Tables(db, new BookStore(db, PinHasher.fast()), new OverrideStore(db),
                    new CallLogStore(db), new CallChoiceStore(db), new OutboxStore(db), new SessionStore(db), new PhoneInStore(db)),
                    Housekeeping.Periods.from(Config.defaults()), Clock.systemUTC());
            long t0 = System.nanoTime();
            Housekeeping.Report report = job.runOnce();
            double s = (System.nanoTime() - t0) / 1e9;
            int deleted = report.deleted().getOrDefault("call log rows", 0);
            System.out.printf("housekeeping: %d call-log rows deleted in %.1f s: %.0f rows/s (batches of 500, 10 ms pause); "
                    + "a 5-minute budget per hourly run carries %.0f rows/h = %.0f calls/s%n", deleted, s, deleted / s,
                    deleted / s * 300, deleted / s * 300 / 3600);
        }
    }
}

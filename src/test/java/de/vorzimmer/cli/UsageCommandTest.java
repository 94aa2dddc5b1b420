package de.vorzimmer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.PinHasher;
import de.vorzimmer.calls.CallLogEntry;
import de.vorzimmer.store.Durability;
import de.vorzimmer.store.Stores;
import de.vorzimmer.usage.CallTimes;
import de.vorzimmer.usage.UsageCsv;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vorzimmer usage}: the month's usage per client, as a table or CSV, from the same store as the server. */
class UsageCommandTest {
    private static final Instant NOW = Instant.parse("2027-01-05T10:00:00Z");

    @TempDir
    Path dir;
    String db;

    @BeforeEach
    void aBookAndTwoCalls() {
        db = dir.resolve("vz.db").toString();
        assertThat(CliRun.run(NOW, "import", "--db", db, "src/main/resources/demo/book.yaml").exit()).isZero();
        try (Stores store = Stores.open(Path.of(db), Durability.NORMAL, PinHasher.fast())) {
            Instant t = Instant.parse("2026-12-07T09:00:00Z");
            for (String id : new String[] {"c1", "c2"}) {
                store.calls().append(new CallLogEntry(0, t, id, "asterisk", "mueller", "+49301234567", "+49305550000",
                        "unknown", "available", "screen", false, "{}"));
            }
            CallTimes times = new CallTimes(store.database());
            times.answered("c1", "mueller", "screen", "PJSIP/anna", t);
            times.ended("c1", t.plusSeconds(31));
        }
    }

    @Test
    void csvForOneClientCountsSecretaryTimeInTheGivenSteps() {
        CliRun r = CliRun.run(NOW, "usage", "--db", db, "--month", "2026-12", "--client", "mueller", "--csv");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(UsageCsv.HEADER + "\r\n"
                + "2026-12,mueller,Zahnarztpraxis Dr. Müller,2,1,60,1,30,0,0,0\r\n");
        CliRun minute = CliRun.run(NOW, "usage", "--db", db, "--month", "2026-12", "--client", "mueller", "--csv",
                "--step", "60s");
        assertThat(minute.out()).contains(",2,1,60,1,60,0,0,0\r\n");
    }

    @Test
    void theTableListsEveryClient() {
        CliRun r = CliRun.run(NOW, "usage", "--db", db, "--month", "2026-12");
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines()).hasSize(6).element(4).asString().startsWith("mueller").contains(" 2 ", " 1.0 ");
    }

    @Test
    void badInputIsOneLineAndExitTwo() {
        assertThat(CliRun.run(NOW, "usage", "--db", db, "--month", "12/2026").errLine())
                .isEqualTo("vorzimmer: --month '12/2026' is not a month like 2026-12");
        CliRun unknown = CliRun.run(NOW, "usage", "--db", db, "--month", "2026-12", "--client", "nobody");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.errLine()).startsWith("vorzimmer: unknown client 'nobody'");
        CliRun step = CliRun.run(NOW, "usage", "--db", db, "--month", "2026-12", "--step", "2h");
        assertThat(step.exit()).isEqualTo(2);
        assertThat(step.errLine()).contains("usage.step");
    }
}

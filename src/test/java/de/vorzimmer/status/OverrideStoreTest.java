package de.vorzimmer.status;

import de.vorzimmer.store.Database;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.DaySet;
import de.vorzimmer.book.NumberPattern;
import de.vorzimmer.book.Window;
import de.vorzimmer.store.FreshDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OverrideStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final List<Window> HOURS = List.of(new Window(DaySet.parse("mon-fri"), 8 * 60, 18 * 60));

    @RegisterExtension
    final FreshDatabase fresh = new FreshDatabase();
    Database db;
    OverrideStore store;

    @BeforeEach
    void open() {
        db = fresh.db();
        store = new OverrideStore(db);
    }

    private static Override status(String client, OverrideKind kind, Instant setAt, Instant until) {
        return new Override(0, client, kind, null, setAt, until, null, "test");
    }

    @Test
    void addReturnsTheStoredOverrideWithItsId() {
        Override expect = new Override(0, "mueller", OverrideKind.EXPECT, new NumberPattern("+49301112", true),
                T0.plusNanos(1234567), T0.plus(Duration.ofHours(2)), "Herr Meier", "cli");
        Override a = store.add(expect);
        Override b = store.add(status("mueller", OverrideKind.DND, T0.plusSeconds(60), null));
        Override c = store.add(status("weber", OverrideKind.UNAVAILABLE, T0, null));

        assertThat(a.id()).isPositive();
        assertThat(b.id()).isGreaterThan(a.id());
        assertThat(a.setAt()).isEqualTo(T0.plusMillis(1));
        assertThat(a.number()).isEqualTo(new NumberPattern("+49301112", true));
        assertThat(store.all()).containsExactly(c, a, b);
        assertThat(store.forClient("mueller")).containsExactly(a, b);
        assertThat(store.forClient("nobody")).isEmpty();
    }

    @Test
    void activeOrFutureAtDropsEndedAndReplacedOnes() {
        Override ended = store.add(status("m", OverrideKind.DND, T0, T0.plusSeconds(600)));
        Override running = store.add(status("m", OverrideKind.UNAVAILABLE, T0.plusSeconds(60), T0.plusSeconds(7200)));
        Override future = store.add(status("m", OverrideKind.AVAILABLE, T0.plusSeconds(9000), null));
        Override otherClient = store.add(status("w", OverrideKind.DND, T0, null));

        assertThat(store.activeOrFutureAt(T0.plusSeconds(3600))).containsExactly(otherClient, running, future);
        // an until that is exactly t has not ended before t
        assertThat(store.activeOrFutureAt(T0.plusSeconds(600))).contains(ended);
    }

    @Test
    void replacedOpenEndedOverrideDoesNotComeBackWhenItsReplacementEnds() {
        // available until replaced; then dnd for an hour; after that the hours decide, not the old "available"
        Override open = store.add(status("m", OverrideKind.AVAILABLE, T0.minusSeconds(7200), null));
        store.add(status("m", OverrideKind.DND, T0, T0.plusSeconds(3600)));
        Instant sunday = Instant.parse("2026-12-06T10:00:00Z");

        List<Override> pruned = store.activeOrFutureAt(sunday);
        assertThat(pruned).doesNotContain(open);
        assertThat(StatusTimeline.at(pruned, HOURS, BERLIN, sunday).status())
                .isEqualTo(StatusTimeline.at(store.all(), HOURS, BERLIN, sunday).status());
    }

    @Test
    void prunedListDecidesLikeTheFullOneFromThenOn() {
        NumberPattern meier = NumberPattern.exact("+49301112222");
        store.add(status("m", OverrideKind.AVAILABLE, T0, null));
        store.add(status("m", OverrideKind.DND, T0.plusSeconds(100), T0.plusSeconds(1000)));
        store.add(status("m", OverrideKind.UNAVAILABLE, T0.plusSeconds(200), T0.plusSeconds(5000)));
        store.add(status("m", OverrideKind.SCHEDULE, T0.plusSeconds(300), null));
        store.add(status("m", OverrideKind.DND, T0.plusSeconds(6000), T0.plusSeconds(6500)));
        store.add(new Override(0, "m", OverrideKind.EXPECT, meier, T0, null, null, "t"));
        store.add(new Override(0, "m", OverrideKind.EXPECT, meier, T0.plusSeconds(50), T0.plusSeconds(400), null, "t"));
        List<Override> all = store.all();
        for (int cut = 0; cut <= 7000; cut += 50) {
            Instant cutoff = T0.plusSeconds(cut);
            List<Override> pruned = store.activeOrFutureAt(cutoff);
            for (int later = cut; later <= 7000; later += 50) {
                Instant t = T0.plusSeconds(later);
                assertThat(StatusTimeline.at(pruned, HOURS, BERLIN, t).status())
                        .as("cut %s, at %s", cut, later)
                        .isEqualTo(StatusTimeline.at(all, HOURS, BERLIN, t).status());
                assertThat(StatusTimeline.expecting(pruned, meier.digits(), t) != null)
                        .as("expect: cut %s, at %s", cut, later)
                        .isEqualTo(StatusTimeline.expecting(all, meier.digits(), t) != null);
            }
        }
    }
}

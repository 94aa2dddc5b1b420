package de.vorzimmer.status;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.DaySet;
import de.vorzimmer.book.Window;
import de.vorzimmer.book.Status;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusOutlookTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final List<Window> MORNINGS = List.of(new Window(DaySet.parse("mon-fri"), 8 * 60 + 30, 12 * 60));

    private static Instant berlin(String local) {
        return java.time.LocalDateTime.parse(local).atZone(BERLIN).toInstant();
    }

    @Test
    void insideAWindowTheNextChangeIsItsEnd() {
        StatusTimeline.Outlook l = StatusTimeline.outlook(List.of(), MORNINGS, BERLIN, berlin("2026-11-30T09:00")); // Monday
        assertThat(l.now().status()).isEqualTo(Status.AVAILABLE);
        assertThat(l.nextStatus()).isEqualTo(Status.UNAVAILABLE);
        assertThat(l.nextAt()).isEqualTo(berlin("2026-11-30T12:00"));
    }

    @Test
    void onFridayAfternoonTheNextChangeIsMondayMorning() {
        StatusTimeline.Outlook l = StatusTimeline.outlook(List.of(), MORNINGS, BERLIN, berlin("2026-12-04T15:00"));
        assertThat(l.now().status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(l.nextAt()).isEqualTo(berlin("2026-12-07T08:30"));
        assertThat(l.nextStatus()).isEqualTo(Status.AVAILABLE);
    }

    @Test
    void anOverrideWithAnEndHandsBackToTheHours() {
        Instant t = berlin("2026-11-30T09:00");
        Override dnd = new Override(1, "c", OverrideKind.DND, null, t.minusSeconds(60), berlin("2026-11-30T10:00"), "Meeting", "test");
        StatusTimeline.Outlook l = StatusTimeline.outlook(List.of(dnd), MORNINGS, BERLIN, t);
        assertThat(l.now().status()).isEqualTo(Status.DND);
        assertThat(l.now().override()).isEqualTo(dnd);
        assertThat(l.nextStatus()).isEqualTo(Status.AVAILABLE);
        assertThat(l.nextAt()).isEqualTo(berlin("2026-11-30T10:00"));
    }

    @Test
    void anOverrideEndingWhereTheHoursGiveTheSameStatusIsNoChange() {
        Instant t = berlin("2026-11-30T09:00");
        Override on = new Override(1, "c", OverrideKind.AVAILABLE, null, t, berlin("2026-11-30T10:00"), null, "test");
        StatusTimeline.Outlook l = StatusTimeline.outlook(List.of(on), MORNINGS, BERLIN, t);
        assertThat(l.nextAt()).isEqualTo(berlin("2026-11-30T12:00"));
    }

    @Test
    void anOpenEndedOverrideWithoutHoursHasNoNextChange() {
        Instant t = berlin("2026-11-30T09:00");
        Override off = new Override(1, "c", OverrideKind.UNAVAILABLE, null, t, null, null, "test");
        StatusTimeline.Outlook l = StatusTimeline.outlook(List.of(off), MORNINGS, BERLIN, t.plusSeconds(1));
        assertThat(l.now().status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(l.nextAt()).isNull();
        assertThat(l.nextStatus()).isNull();
    }

    @Test
    void aWindowUntilMidnightEndsAtTheNextDaysStart() {
        List<Window> late = List.of(new Window(DaySet.parse("sat"), 9 * 60, Window.END_OF_DAY));
        StatusTimeline.Outlook l = StatusTimeline.outlook(List.of(), late, BERLIN, berlin("2026-12-05T20:00"));
        assertThat(l.nextAt()).isEqualTo(berlin("2026-12-06T00:00"));
    }
}

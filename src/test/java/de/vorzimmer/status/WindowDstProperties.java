package de.vorzimmer.status;

import de.vorzimmer.book.Status;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.DaySet;
import de.vorzimmer.book.Window;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import java.time.zone.ZoneOffsetTransition;

/**
 * Weekly windows are wall-clock time in the client's zone. Checked through {@link StatusTimeline#at} (no
 * overrides, so the hours decide) against an oracle that knows nothing of {@link Window#contains}: it lays
 * out each occurrence of each window as a concrete local date-time interval {@code [date+from, date+to)},
 * {@code to} running into the next day when it is not after {@code from}, and asks whether the instant's
 * wall-clock time falls in one. Instants are taken around real DST transitions of 2024-2028 in zones of both
 * hemispheres, with one-hour, half-hour (Lord Howe) and 45-minute-offset (Chatham) shifts and Santiago's
 * transitions at midnight.
 */
class WindowDstProperties {
    static final List<ZoneId> ZONES = List.of("Europe/Berlin", "America/New_York", "Australia/Sydney",
            "Europe/London", "America/Santiago", "Pacific/Chatham", "Australia/Lord_Howe").stream()
            .map(ZoneId::of).toList();
    private static final Map<ZoneId, List<ZoneOffsetTransition>> TRANSITIONS = new ConcurrentHashMap<>();

    record Case(ZoneId zone, ZoneOffsetTransition transition, List<Window> windows) {
    }

    record Change(ZoneId zone, ZoneOffsetTransition transition) {
    }

    // ---- the oracle -------------------------------------------------------------------------------------------

    static boolean oracle(List<Window> windows, ZoneId zone, Instant t) {
        LocalDateTime wall = LocalDateTime.ofInstant(t, zone);
        for (Window w : windows) {
            for (LocalDate date = wall.toLocalDate().minusDays(1); !date.isAfter(wall.toLocalDate());
                 date = date.plusDays(1)) {
                if (!w.days().contains(date.getDayOfWeek())) continue;
                LocalDateTime start = date.atStartOfDay().plusMinutes(w.from());
                LocalDateTime end = w.to() > w.from()
                        ? date.atStartOfDay().plusMinutes(w.to())
                        : date.plusDays(1).atStartOfDay().plusMinutes(w.to());
                if (!wall.isBefore(start) && wall.isBefore(end)) return true;
            }
        }
        return false;
    }

    static boolean available(List<Window> windows, ZoneId zone, Instant t) {
        return StatusTimeline.at(List.of(), windows, zone, t).status() == Status.AVAILABLE;
    }

    // ---- properties -------------------------------------------------------------------------------------------

    /** Every minute of the two days either side of a transition, plus odd seconds. */
    @Property(tries = 250)
    void windowsAgreeWithTheOracleMinuteByMinuteAroundDst(@ForAll("cases") Case c,
                                                          @ForAll @IntRange(max = 59) int second) {
        Instant centre = c.transition().getInstant().truncatedTo(ChronoUnit.MINUTES);
        for (long m = -2 * 1440; m <= 2 * 1440; m++) {
            Instant t = centre.plus(Duration.ofMinutes(m)).plusSeconds(m % 7 == 0 ? second : 0);
            boolean expected = oracle(c.windows(), c.zone(), t);
            if (available(c.windows(), c.zone(), t) != expected) {
                throw new AssertionError("at " + t + " (" + LocalDateTime.ofInstant(t, c.zone()) + " " + c.zone()
                        + ") windows " + c.windows() + ": expected " + (expected ? "available" : "unavailable"));
            }
        }
    }

    /** Random instants in the weeks around a transition. */
    @Property(tries = 3000)
    void windowsAgreeWithTheOracleInTheWeeksAroundDst(@ForAll("cases") Case c,
                                                      @ForAll @IntRange(min = -21 * 86400, max = 21 * 86400) int s) {
        Instant t = c.transition().getInstant().plusSeconds(s);
        assertThat(available(c.windows(), c.zone(), t))
                .as("%s (%s %s) in %s", t, LocalDateTime.ofInstant(t, c.zone()), c.zone(), c.windows())
                .isEqualTo(oracle(c.windows(), c.zone(), t));
    }

    /** A window lying inside the skipped hour never holds on that day. */
    @Property(tries = 500)
    void windowInsideASpringForwardGapIsEmptyThatDay(@ForAll("gaps") Change change,
                                                     @ForAll @IntRange(max = 10_000) int a,
                                                     @ForAll @IntRange(max = 10_000) int b,
                                                     @ForAll boolean everyDay) {
        ZoneOffsetTransition gap = change.transition();
        ZoneId zone = change.zone();
        LocalDateTime gapStart = gap.getDateTimeBefore();
        int first = minuteOfDay(gapStart);
        int length = (int) gap.getDuration().toMinutes();
        int from = first + a % length;
        int to = from + 1 + b % (first + length - from);
        LocalDate day = gapStart.toLocalDate();
        DaySet days = everyDay ? DaySet.parse("mon-sun") : DaySet.of(1 << (day.getDayOfWeek().getValue() - 1));
        List<Window> windows = List.of(new Window(days, from, to));

        Instant dayStart = day.atStartOfDay(zone).toInstant();
        Instant dayEnd = day.plusDays(1).atStartOfDay(zone).toInstant();
        for (Instant t = dayStart; t.isBefore(dayEnd); t = t.plusSeconds(60)) {
            assertThat(available(windows, zone, t)).as("%s in %s, window %s", t, zone, windows).isFalse();
        }
    }

    /** A window covering a minute of the repeated hour holds on both passes through it. */
    @Property(tries = 500)
    void windowInTheRepeatedAutumnHourHoldsOnBothPasses(@ForAll("overlaps") Change change,
                                                        @ForAll @IntRange(max = 10_000) int a,
                                                        @ForAll @IntRange(max = 1440) int before,
                                                        @ForAll @IntRange(max = 1440) int after) {
        ZoneOffsetTransition overlap = change.transition();
        ZoneId zone = change.zone();
        LocalDateTime repeatedStart = overlap.getDateTimeAfter();
        int length = (int) overlap.getDuration().abs().toMinutes();
        LocalDateTime wall = repeatedStart.plusMinutes(a % length);
        int minute = minuteOfDay(wall);
        int from = Math.max(0, minute - before);
        int to = Math.min(Window.END_OF_DAY, minute + 1 + after);
        DaySet days = DaySet.of(1 << (wall.getDayOfWeek().getValue() - 1));
        List<Window> windows = List.of(new Window(days, from, to));

        List<ZoneOffset> offsets = zone.getRules().getValidOffsets(wall);
        assertThat(offsets).as("%s is repeated in %s", wall, zone).hasSize(2);
        for (ZoneOffset offset : offsets) {
            Instant pass = wall.toInstant(offset);
            assertThat(available(windows, zone, pass)).as("pass at %s (%s) in %s", pass, offset, windows).isTrue();
        }
    }

    // ---- generators -------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<ZoneId> zone = Arbitraries.of(ZONES);
        return zone.flatMap(z -> Combinators.combine(Arbitraries.of(transitions(z)), windows().list().ofMinSize(1)
                .ofMaxSize(3)).as((tr, ws) -> new Case(z, tr, ws)));
    }

    @Provide
    Arbitrary<Change> gaps() {
        return Arbitraries.of(changes().stream().filter(c -> c.transition().isGap()).toList());
    }

    @Provide
    Arbitrary<Change> overlaps() {
        return Arbitraries.of(changes().stream().filter(c -> c.transition().isOverlap()).toList());
    }

    private static List<Change> changes() {
        return ZONES.stream().flatMap(z -> transitions(z).stream().map(t -> new Change(z, t))).toList();
    }

    /** Windows of any shape, with times biased towards the hours where clocks change and to midnight. */
    static Arbitrary<Window> windows() {
        Arbitrary<Integer> anyMinute = Arbitraries.integers().between(0, 1439);
        Arbitrary<Integer> nearChange = Arbitraries.integers().between(0, 5 * 60); // 00:00-05:00
        Arbitrary<Integer> quarter = Arbitraries.integers().between(0, 95).map(q -> q * 15);
        Arbitrary<Integer> from = Arbitraries.oneOf(anyMinute, nearChange, quarter, Arbitraries.of(0, 23 * 60));
        Arbitrary<Integer> to = Arbitraries.oneOf(anyMinute.map(m -> m + 1), nearChange.map(m -> m + 1), quarter,
                Arbitraries.of(Window.END_OF_DAY, 0, 60, 3 * 60));
        Arbitrary<DaySet> days = Arbitraries.integers().between(1, 0x7f).map(DaySet::of);
        return Combinators.combine(days, from, to).as(Window::new);
    }

    static List<ZoneOffsetTransition> transitions(ZoneId zone) {
        return TRANSITIONS.computeIfAbsent(zone, z -> {
            List<ZoneOffsetTransition> list = new ArrayList<>();
            Instant t = Instant.parse("2024-01-01T00:00:00Z");
            Instant end = Instant.parse("2029-01-01T00:00:00Z");
            ZoneOffsetTransition next;
            while ((next = z.getRules().nextTransition(t)) != null && next.getInstant().isBefore(end)) {
                list.add(next);
                t = next.getInstant();
            }
            if (list.isEmpty()) throw new IllegalStateException("no DST transitions in " + z);
            return List.copyOf(list);
        });
    }

    private static int minuteOfDay(LocalDateTime t) {
        return t.getHour() * 60 + t.getMinute();
    }
}

package de.vorzimmer.status;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.DaySet;
import java.time.DayOfWeek;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The day sets of weekly windows: written form and parsed form agree. */
class DaySetProperties {
    private static final List<String> NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    @Property(tries = 127)
    void parsingTheWrittenFormGivesTheSameDays(@ForAll @IntRange(min = 1, max = 0x7f) int mask) {
        DaySet days = DaySet.of(mask);

        DaySet again = DaySet.parse(days.toString());

        assertThat(again).isEqualTo(days);
        assertThat(again.mask()).isEqualTo(mask);
        assertThat(again.toString()).isEqualTo(days.toString());
    }

    /** Any spec of days, ranges (also wrapping, such as {@code fri-mon}) and lists, in any case and spacing. */
    @Property(tries = 1000)
    void parseMatchesAnOracleAndRoundTrips(@ForAll("specs") Spec spec) {
        DaySet days = DaySet.parse(spec.text());

        assertThat(days.mask()).as(spec.text()).isEqualTo(spec.mask());
        for (DayOfWeek d : DayOfWeek.values()) {
            assertThat(days.contains(d)).as("%s contains %s", spec.text(), d)
                    .isEqualTo((spec.mask() & (1 << (d.getValue() - 1))) != 0);
        }
        assertThat(DaySet.parse(days.toString())).isEqualTo(days);
    }

    record Spec(String text, int mask) {
    }

    @Provide
    Arbitrary<Spec> specs() {
        Arbitrary<Integer> day = Arbitraries.integers().between(0, 6);
        Arbitrary<Spec> single = day.map(d -> new Spec(NAMES.get(d), 1 << d));
        Arbitrary<Spec> range = Combinators.combine(day, day).as((a, b) -> {
            int mask = 0;
            for (int i = a; ; i = (i + 1) % 7) {
                mask |= 1 << i;
                if (i == b) break;
            }
            return new Spec(NAMES.get(a) + "-" + NAMES.get(b), mask);
        });
        Arbitrary<Spec> part = Arbitraries.oneOf(single, range);
        return part.list().ofMinSize(1).ofMaxSize(4).flatMap(parts -> Arbitraries.of(", ", ",", " , ").map(sep -> {
            StringBuilder text = new StringBuilder();
            int mask = 0;
            for (Spec p : parts) {
                if (text.length() > 0) text.append(sep);
                text.append(p.text());
                mask |= p.mask();
            }
            return new Spec(text.toString(), mask);
        })).flatMap(s -> Arbitraries.of(s, new Spec(s.text().toUpperCase(), s.mask())));
    }
}

package de.vorzimmer.status;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.book.DaySet;
import de.vorzimmer.book.NumberPattern;
import de.vorzimmer.book.Window;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Status at an instant, design section "Status and overrides": the newest override active at {@code t}
 * decides (it runs from its set time until its {@code until}, or until replaced when it has none); else
 * available inside an hours window, else unavailable.
 *
 * <p>Overrides are written {@code KIND@SET[-UNTIL]}, times on Tuesday 11 March 2025 in Berlin, separated by
 * {@code ;}; an expect override is {@code expect:NUMBER@SET[-UNTIL]}. The client's hours are mon-fri 08:30-12:00.
 */
class StatusTimelineTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LocalDate TUESDAY = LocalDate.of(2025, 3, 11);
    private static final List<Window> HOURS = List.of(new Window(DaySet.parse("mon-fri"), 8 * 60 + 30, 12 * 60));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
    # rule                                                | overrides                                  | at    | status      | decided by
      in a window: available                              |                                            | 09:00 | available   | window
      outside every window: unavailable                   |                                            | 13:00 | unavailable | hours
      window start is inclusive                           |                                            | 08:30 | available   | window
      window end is exclusive                             |                                            | 12:00 | unavailable | hours
      override without until holds on                     | dnd@09:00                                  | 20:00 | dnd         | dnd
      override not yet set has no effect                  | dnd@15:00                                  | 10:00 | available   | window
      override is active from its set time                | dnd@10:00                                  | 10:00 | dnd         | dnd
      until is exclusive                                  | dnd@09:00-10:00                            | 10:00 | available   | window
      until: active just before                           | dnd@09:00-10:00                            | 09:59 | dnd         | dnd
      newer override replaces an older one                | unavailable@09:00;available@10:00          | 10:30 | available   | available
      older one decides before the newer is set           | unavailable@09:00;available@10:00          | 09:30 | unavailable | unavailable
      newest active decides over an older active one      | dnd@09:00-17:00;available@10:00-11:00      | 10:30 | available   | available
      older one with until resumes when newer ends        | dnd@09:00-17:00;available@10:00-11:00      | 11:30 | dnd         | dnd
      older one without until was replaced: hours decide  | dnd@09:00;available@10:00-11:00            | 11:30 | available   | window
      ... and outside hours it is unavailable             | dnd@09:00;available@10:00-11:00            | 12:30 | unavailable | hours
      available override outside hours                   | available@13:00                            | 20:00 | available   | available
      unavailable override inside hours                   | unavailable@08:00                          | 09:00 | unavailable | unavailable
      schedule returns to hours (inside)                  | dnd@09:00;schedule@10:00                   | 10:30 | available   | window
      schedule returns to hours (outside)                 | dnd@09:00;schedule@10:00                   | 12:30 | unavailable | hours
      schedule with until: older override resumes after   | dnd@09:00-17:00;schedule@10:00-11:00       | 11:30 | dnd         | dnd
      expect overrides do not touch the status            | dnd@09:00-10:00;expect:+49301111111@09:30  | 10:30 | available   | window
      set order, not list order, decides                  | available@10:00;unavailable@09:00          | 10:30 | available   | available
    """)
    void statusFollowsOverridesThenHours(String rule, String overrides, String at, String status, String decidedBy) {
        StatusTimeline.Reading r = StatusTimeline.at(parse(overrides), HOURS, BERLIN, tuesday(at));

        assertThat(r.status().word()).as("status").isEqualTo(status);
        switch (decidedBy) {
            case "window" -> assertThat(r.window()).as("window").isEqualTo(HOURS.get(0));
            case "hours" -> assertThat(r.window()).as("window").isNull();
            default -> {
                assertThat(r.override()).as("override").isNotNull();
                assertThat(r.override().kind().word()).isEqualTo(decidedBy);
            }
        }
        if (!decidedBy.equals("window") && !decidedBy.equals("hours")) {
            assertThat(r.why()).startsWith(status + ": override " + decidedBy);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
    # rule                                                   | overrides                                                        | caller        | at    | expected
      expected while the expect runs                          | expect:+49301111111@09:00-12:00                                  | +49301111111  | 10:00 | true
      not before it is set                                    | expect:+49301111111@09:00-12:00                                  | +49301111111  | 08:59 | false
      not from its until on                                   | expect:+49301111111@09:00-12:00                                  | +49301111111  | 12:00 | false
      without until it lasts                                  | expect:+49301111111@09:00                                        | +49301111111  | 23:00 | true
      only the expected number                                | expect:+49301111111@09:00                                        | +49301111112  | 10:00 | false
      a prefix expects a whole range                          | expect:+4930111*@09:00                                           | +49301119999  | 10:00 | true
      replaced by a newer expect for the same number          | expect:+49301111111@09:00;expect:+49301111111@10:00-11:00        | +49301111111  | 11:30 | false
      not replaced by an expect for another number            | expect:+49301111111@09:00;expect:+49302222222@10:00-11:00        | +49301111111  | 11:30 | true
      status overrides do not end an expect                   | expect:+49301111111@09:00;dnd@10:00                              | +49301111111  | 11:30 | true
      an anonymous caller is never expected                   | expect:+49301111111@09:00                                        | ''            | 10:00 | false
    """)
    void expectedCallers(String rule, String overrides, String caller, String at, boolean expected) {
        Override o = StatusTimeline.expecting(parse(overrides), caller, tuesday(at));
        assertThat(o != null).isEqualTo(expected);
    }

    @Test
    void liveStatusKeepsOverridesPerClientOldestFirst() {
        Override late = status("a", OverrideKind.DND, "11:00");
        Override early = status("a", OverrideKind.AVAILABLE, "09:00");
        Override other = status("b", OverrideKind.DND, "10:00");

        LiveStatus live = LiveStatus.of(List.of(late, other, early));

        assertThat(live.of("a")).containsExactly(early, late);
        assertThat(live.of("b")).containsExactly(other);
        assertThat(live.of("c")).isEmpty();
        assertThat(live.with(status("a", OverrideKind.SCHEDULE, "10:00")).of("a")).extracting(Override::kind)
                .containsExactly(OverrideKind.AVAILABLE, OverrideKind.SCHEDULE, OverrideKind.DND);
        assertThat(live.of("a")).as("unchanged by with()").hasSize(2);
    }

    private static Instant tuesday(String time) {
        return TUESDAY.atTime(LocalTime.parse(time)).atZone(BERLIN).toInstant();
    }

    private static Override status(String client, OverrideKind kind, String at) {
        return new Override(0, client, kind, null, tuesday(at), null, null, "test");
    }

    /** The overrides of the table, sorted by set time as {@link LiveStatus} keeps them. */
    private static List<Override> parse(String spec) {
        if (spec == null) return List.of();
        List<Override> list = new ArrayList<>();
        for (String part : spec.split(";")) {
            String[] kindAndTimes = part.trim().split("@");
            String[] times = kindAndTimes[1].split("-");
            Instant until = times.length > 1 ? tuesday(times[1]) : null;
            String kind = kindAndTimes[0];
            NumberPattern number = null;
            if (kind.startsWith("expect:")) {
                String n = kind.substring("expect:".length());
                number = n.endsWith("*") ? new NumberPattern(n.substring(0, n.length() - 1), true) : NumberPattern.exact(n);
                kind = "expect";
            }
            list.add(new Override(list.size() + 1, "c", OverrideKind.parse(kind), number, tuesday(times[0]), until,
                    null, "test"));
        }
        return LiveStatus.of(list).of("c");
    }
}

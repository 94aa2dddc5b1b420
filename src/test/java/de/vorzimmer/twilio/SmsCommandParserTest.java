package de.vorzimmer.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.twilio.SmsCommand.Expect;
import de.vorzimmer.twilio.SmsCommand.Invalid;
import de.vorzimmer.twilio.SmsCommand.SetStatus;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SMS command language, as a table: text in, the command read (in the client's wall-clock time) out. */
class SmsCommandParserTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** Monday 30 November 2026, 10:00 in Berlin. */
    private static final ZonedDateTime NOW = LocalDateTime.parse("2026-11-30T10:00").atZone(BERLIN);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("EEE HH:mm");

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            AWAY 2h                          | unavailable until Mon 12:00
            away 30min                       | unavailable until Mon 10:30
            AWAY 30 min                      | unavailable until Mon 10:30
            AWAY for 2 hours                 | unavailable until Mon 12:00
            AWAY 1h30                        | unavailable until Mon 11:30
            AWAY until 3pm                   | unavailable until Mon 15:00
            AWAY until 15:00 dentist         | unavailable until Mon 15:00 note=dentist
            AWAY                             | unavailable open
            WEG bis 15:00                    | unavailable until Mon 15:00
            Weg bis 15.30                    | unavailable until Mon 15:30
            WEG bis 3                        | unavailable until Mon 15:00
            WEG bis 11                       | unavailable until Mon 11:00
            WEG bis 9                        | unavailable until Mon 21:00
            WEG bis 8 Uhr                    | unavailable until Tue 08:00
            WEG 3                            | unavailable until Mon 15:00
            WEG in 45 Minuten                | unavailable until Mon 10:45
            WEG 2 Stunden Besprechung        | unavailable until Mon 12:00 note=Besprechung
            bin weg bis 12                   | unavailable until Mon 12:00
            ABWESEND bis morgen 8            | unavailable until Tue 08:00
            BACK                             | available open
            DA                               | available open
            Zurück!                          | available open
            DA bis 12:00                     | available until Mon 12:00
            DND                              | dnd open
            DND until tomorrow 8am           | dnd until Tue 08:00
            dnd till tomorrow 8:30 am        | dnd until Tue 08:30
            NICHT STÖREN bis morgen 8        | dnd until Tue 08:00
            nicht stoeren 1h                 | dnd until Mon 11:00
            do not disturb until 1pm         | dnd until Mon 13:00
            DND bis heute 17:00              | dnd until Mon 17:00
            SCHEDULE                         | schedule open
            PLAN                             | schedule open
            EXPECT +49 151 2345678           | expect +491512345678 open
            ERWARTE 0151 2345678 bis 18:00   | expect +491512345678 until Mon 18:00
            erwarte 0151/2345678 2h Herr Meier | expect +491512345678 until Mon 12:00 note=Herr Meier
            EXPECT +49 30 555*               | expect +4930555* open
            STATUS                           | query
            status?                          | query
            HILFE                            | help
            help                             | help
            ''                               | invalid EMPTY
            FOO                              | invalid UNKNOWN_COMMAND FOO
            Hallo, bin ich richtig?          | invalid UNKNOWN_COMMAND Hallo
            AWAY 25:00                       | invalid BAD_TIME
            AWAY until                       | invalid BAD_TIME
            AWAY 2x                          | invalid BAD_TIME
            AWAY until 13pm                  | invalid BAD_TIME
            WEG bis 15:75                    | invalid BAD_TIME
            WEG bis morgen                   | invalid BAD_TIME
            WEG bis heute 9:00               | invalid TIME_PASSED
            WEG 1000h                        | invalid TOO_FAR
            EXPECT                           | invalid MISSING_NUMBER
            ERWARTE Herrn Meier              | invalid MISSING_NUMBER
            EXPECT 12                        | invalid BAD_NUMBER
            """)
    void reads(String text, String expected) {
        assertThat(describe(SmsCommandParser.parse(text, NOW, "DE"))).isEqualTo(expected);
    }

    @Test
    void springForwardGapMovesTheTimeForward() {
        ZonedDateTime saturday = LocalDateTime.parse("2026-03-28T20:00").atZone(BERLIN);
        SmsCommand c = SmsCommandParser.parse("WEG bis morgen 2:30", saturday, "DE");
        assertThat(((SetStatus) c).until()).isEqualTo(Instant.parse("2026-03-29T01:30:00Z")); // 03:30 CEST
    }

    @Test
    void timesAreTheClientsWallClock() {
        ZonedDateTime london = NOW.withZoneSameInstant(ZoneId.of("Europe/London")); // 09:00 in London
        SmsCommand c = SmsCommandParser.parse("AWAY until 15:00", london, "GB");
        assertThat(((SetStatus) c).until()).isEqualTo(Instant.parse("2026-11-30T15:00:00Z"));
    }

    @Test
    void nationalNumbersAreReadWithTheClientsRegion() {
        SmsCommand c = SmsCommandParser.parse("EXPECT 07700 900123", NOW, "GB");
        assertThat(((Expect) c).number().toString()).isEqualTo("+447700900123");
    }

    private static String describe(SmsCommand c) {
        if (c instanceof SetStatus s) {
            return s.kind().word() + until(s.until()) + (s.note() == null ? "" : " note=" + s.note());
        }
        if (c instanceof Expect e) {
            return "expect " + e.number() + until(e.until()) + (e.note() == null ? "" : " note=" + e.note());
        }
        if (c instanceof Invalid i) {
            return ("invalid " + i.problem() + (i.problem() == SmsCommand.Problem.UNKNOWN_COMMAND ? " " + i.detail() : ""));
        }
        if (c instanceof SmsCommand.Query) return "query";
        return "help";
    }

    private static String until(Instant t) {
        return t == null ? " open" : " until " + LOCAL.withLocale(java.util.Locale.ENGLISH).format(t.atZone(BERLIN));
    }
}

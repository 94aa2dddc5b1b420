package de.vorzimmer.twilio;

import de.vorzimmer.book.NumberPattern;
import de.vorzimmer.book.PhoneNumbers;
import de.vorzimmer.status.OverrideKind;
import de.vorzimmer.twilio.SmsCommand.Invalid;
import de.vorzimmer.twilio.SmsCommand.Problem;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a client's SMS command, German or English. Pure: the current time (in the client's zone) and the
 * client's region are parameters.
 *
 * <pre>
 * AWAY|WEG|ABWESEND [TIME] [note]          BACK|DA|ZURÜCK [TIME]         DND|NICHT STÖREN [TIME] [note]
 * SCHEDULE|PLAN                            EXPECT|ERWARTE NUMBER [TIME] [note]       STATUS     HELP|HILFE
 * TIME: [bis|until] 15:00 | 3 | 8 Uhr | 8am | 3:30pm | morgen 8 | tomorrow 8am | heute 17:00
 *       [für|for|in] 2h | 30min | 1h30 | 2 Stunden | 45 minutes
 * </pre>
 * A bare hour up to 12 ({@code bis 3}) means whichever of 3:00 and 15:00 comes next, as people say it; a time
 * of day without a day means its next occurrence. Times lie at most {@link #MAX_AHEAD} ahead.
 */
public final class SmsCommandParser {
    public static final Duration MAX_AHEAD = Duration.ofDays(31);
    private static final int MAX_NOTE = 200;
    /** The fewest digits (country code included) a number to expect may have. */
    private static final int MIN_DIGITS = 7;

    private static final Map<String, OverrideKind> STATUS_WORDS = Map.ofEntries(
            Map.entry("away", OverrideKind.UNAVAILABLE), Map.entry("out", OverrideKind.UNAVAILABLE),
            Map.entry("unavailable", OverrideKind.UNAVAILABLE), Map.entry("weg", OverrideKind.UNAVAILABLE),
            Map.entry("abwesend", OverrideKind.UNAVAILABLE), Map.entry("unterwegs", OverrideKind.UNAVAILABLE),
            Map.entry("back", OverrideKind.AVAILABLE), Map.entry("available", OverrideKind.AVAILABLE),
            Map.entry("here", OverrideKind.AVAILABLE), Map.entry("da", OverrideKind.AVAILABLE),
            Map.entry("zurueck", OverrideKind.AVAILABLE), Map.entry("erreichbar", OverrideKind.AVAILABLE),
            Map.entry("dnd", OverrideKind.DND), Map.entry("nichtstoeren", OverrideKind.DND),
            Map.entry("schedule", OverrideKind.SCHEDULE), Map.entry("plan", OverrideKind.SCHEDULE),
            Map.entry("normal", OverrideKind.SCHEDULE), Map.entry("sprechzeiten", OverrideKind.SCHEDULE));
    private static final Set<String> EXPECT_WORDS = Set.of("expect", "erwarte", "erwarten");
    private static final Set<String> QUERY_WORDS = Set.of("status", "?", "info");
    private static final Set<String> HELP_WORDS = Set.of("help", "hilfe");
    private static final Set<String> UNTIL = Set.of("bis", "until", "till", "til");
    private static final Set<String> FOR = Set.of("fuer", "for", "in");
    private static final Set<String> TODAY = Set.of("heute", "today");
    private static final Set<String> TOMORROW = Set.of("morgen", "tomorrow");
    private static final Set<String> HOUR_UNITS = Set.of("h", "std", "stunde", "stunden", "hour", "hours", "hr", "hrs");
    private static final Set<String> MINUTE_UNITS = Set.of("m", "min", "mins", "minute", "minuten", "minutes");
    private static final Pattern CLOCK = Pattern.compile("(\\d{1,2})(?:[:.](\\d{2}))?(am|pm|uhr)?");
    private static final Pattern AMOUNT = Pattern.compile("(\\d{1,4})([a-z]*)");
    private static final Pattern HOURS_MINUTES = Pattern.compile("(\\d{1,3})h(\\d{1,2})(?:m|min)?");
    private static final Pattern NUMBER_PART = Pattern.compile("[+0-9()/.*-]+");

    private static final Pattern CONFIRM = Pattern.compile(
            "(?iu)\\s*(?:(?:ok|okay|ja|yes)[\\s.,:!]*|1(?:[\\s.,:!]+|$))(?:(?:ref\\.?|nr\\.?|#)\\s*)?(\\d{1,12})?[\\s.!]*");

    private SmsCommandParser() {
    }

    /** The reply confirms an urgent message ({@code OK}, {@code JA}, {@code 1}, {@code OK 42}), else empty. */
    public static java.util.Optional<SmsCommand.Confirm> confirmation(String text) {
        if (text == null) return java.util.Optional.empty();
        Matcher m = CONFIRM.matcher(text);
        if (!m.matches()) return java.util.Optional.empty();
        return java.util.Optional.of(new SmsCommand.Confirm(m.group(1)));
    }

    public static SmsCommand parse(String text, ZonedDateTime now, String region) {
        String[] raw = text == null ? new String[0] : text.strip().split("\\s+");
        List<String> original = new ArrayList<>();
        for (String r : raw) {
            String t = r.replaceAll("[.,;!?]+$", "");
            if (t.isEmpty() && r.startsWith("?")) t = "?";
            if (!t.isEmpty()) original.add(t);
        }
        if (original.isEmpty()) return new Invalid(Problem.EMPTY, "");
        List<String> words = new ArrayList<>(original.size());
        for (String o : original) words.add(fold(o));

        String first = words.get(0);
        int next = 1;
        if (words.size() >= 2 && first.equals("nicht") && words.get(1).equals("stoeren")) {
            first = "nichtstoeren";
            next = 2;
        } else if (words.size() >= 3 && first.equals("do") && words.get(1).equals("not")
                && words.get(2).equals("disturb")) {
            first = "dnd";
            next = 3;
        } else if (words.size() >= 2 && first.equals("bin") && STATUS_WORDS.containsKey(words.get(1))) {
            first = words.get(1); // "bin weg", "bin da"
            next = 2;
        }
        if (QUERY_WORDS.contains(first)) return new SmsCommand.Query();
        if (HELP_WORDS.contains(first)) return new SmsCommand.Help();
        OverrideKind kind = STATUS_WORDS.get(first);
        if (kind == OverrideKind.SCHEDULE) return new SmsCommand.SetStatus(kind, null, null);
        if (kind != null) {
            Tail tail = tail(original, words, next, now);
            if (tail.problem != null) return tail.problem;
            return new SmsCommand.SetStatus(kind, tail.until, tail.note);
        }
        if (EXPECT_WORDS.contains(first)) return expect(original, words, next, now, region);
        return new Invalid(Problem.UNKNOWN_COMMAND, original.get(0));
    }

    private static SmsCommand expect(List<String> original, List<String> words, int from, ZonedDateTime now,
                                     String region) {
        int end = from;
        // digit groups belong to the number; "15.00" after the first group is a time, not a number part
        while (end < words.size() && NUMBER_PART.matcher(words.get(end)).matches()
                && (end == from || !words.get(end).contains("."))) {
            end++;
        }
        if (end == from) {
            return new Invalid(Problem.MISSING_NUMBER, from < original.size() ? original.get(from) : "");
        }
        // "ERWARTE 0151 2345678 3": take the longest run of digit groups that reads as a number and leaves a valid tail
        Invalid firstProblem = null;
        for (int k = end; k > from; k--) {
            String candidate = String.join(" ", original.subList(from, k));
            NumberPattern number;
            try {
                number = PhoneNumbers.toPattern(candidate, region);
                // libphonenumber finds "12" possible in some regions; an expected caller has a full number
                if (!number.prefix() && number.digits().length() < MIN_DIGITS + 1) {
                    throw new IllegalArgumentException("too short");
                }
            } catch (IllegalArgumentException e) {
                if (firstProblem == null) firstProblem = new Invalid(Problem.BAD_NUMBER, candidate);
                continue;
            }
            Tail tail = tail(original, words, k, now);
            if (tail.problem != null) {
                if (firstProblem == null) firstProblem = tail.problem;
                continue;
            }
            return new SmsCommand.Expect(number, tail.until, tail.note);
        }
        return firstProblem;
    }

    private record Tail(Instant until, String note, Invalid problem) {
        static Tail failed(Problem p, String detail) {
            return new Tail(null, null, new Invalid(p, detail));
        }
    }

    /** An optional time, then an optional note. */
    private static Tail tail(List<String> original, List<String> words, int from, ZonedDateTime now) {
        int i = from;
        Instant until = null;
        if (i < words.size() && looksLikeTime(words, i)) {
            int[] consumed = new int[1];
            Object t = time(words, i, now, consumed);
            String spec = String.join(" ", original.subList(i, Math.min(words.size(), i + Math.max(1, consumed[0]))));
            if (t instanceof Problem p) {
                String detail = String.join(" ", original.subList(i, Math.min(words.size(), i + 3)));
                return Tail.failed(p, p == Problem.BAD_TIME ? detail : spec);
            }
            ZonedDateTime at = (ZonedDateTime) t;
            if (!at.isAfter(now)) return Tail.failed(Problem.TIME_PASSED, spec);
            if (Duration.between(now, at).compareTo(MAX_AHEAD) > 0) return Tail.failed(Problem.TOO_FAR, spec);
            until = at.toInstant();
            i += consumed[0];
        }
        String note = i < original.size() ? String.join(" ", original.subList(i, original.size())) : null;
        if (note != null && note.length() > MAX_NOTE) note = note.substring(0, MAX_NOTE);
        return new Tail(until, note, null);
    }

    private static boolean looksLikeTime(List<String> words, int i) {
        String w = words.get(i);
        if (UNTIL.contains(w) || TODAY.contains(w) || TOMORROW.contains(w)) return true;
        if (FOR.contains(w)) return i + 1 < words.size() && Character.isDigit(words.get(i + 1).charAt(0));
        return Character.isDigit(w.charAt(0));
    }

    /** A {@link ZonedDateTime} or a {@link Problem}; {@code consumed[0]} says how many words the time took. */
    private static Object time(List<String> words, int start, ZonedDateTime now, int[] consumed) {
        int i = start;
        String w = words.get(i);
        boolean pointOnly = false;
        boolean durationOnly = false;
        if (UNTIL.contains(w)) {
            pointOnly = true;
            i++;
        } else if (FOR.contains(w)) {
            durationOnly = true;
            i++;
        }
        if (i >= words.size()) return Problem.BAD_TIME;
        if (!pointOnly) {
            int before = i;
            Duration d = duration(words, i, consumed);
            if (d != null) {
                consumed[0] += before - start;
                return now.plus(d);
            }
            if (durationOnly) return Problem.BAD_TIME;
        }
        LocalDate day = null;
        if (TODAY.contains(words.get(i))) {
            day = now.toLocalDate();
            i++;
        } else if (TOMORROW.contains(words.get(i))) {
            day = now.toLocalDate().plusDays(1);
            i++;
        }
        if (i >= words.size()) return Problem.BAD_TIME;
        Matcher m = CLOCK.matcher(words.get(i));
        if (!m.matches()) return Problem.BAD_TIME;
        i++;
        String suffix = m.group(3);
        if (suffix == null && i < words.size() && Set.of("am", "pm", "uhr", "a.m", "p.m").contains(words.get(i))) {
            suffix = words.get(i).replace(".", "");
            i++;
        }
        int hour = Integer.parseInt(m.group(1));
        int minute = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        if (minute > 59) return Problem.BAD_TIME;
        if ("am".equals(suffix) || "pm".equals(suffix)) {
            if (hour < 1 || hour > 12) return Problem.BAD_TIME;
            hour = hour % 12 + ("pm".equals(suffix) ? 12 : 0);
        } else if (hour > 24 || hour == 24 && minute != 0) {
            return Problem.BAD_TIME;
        }
        consumed[0] = i - start;
        boolean ambiguous = suffix == null && m.group(2) == null && day == null && hour >= 1 && hour <= 12;
        if (day != null) {
            return at(day, hour, minute, now);
        }
        List<ZonedDateTime> candidates = new ArrayList<>(4);
        for (LocalDate d : List.of(now.toLocalDate(), now.toLocalDate().plusDays(1))) {
            candidates.add(at(d, hour, minute, now));
            if (ambiguous) candidates.add(at(d, (hour + 12) % 24, minute, now));
        }
        return candidates.stream().filter(c -> c.isAfter(now)).min(ZonedDateTime::compareTo)
                .orElse(candidates.get(candidates.size() - 1));
    }

    private static ZonedDateTime at(LocalDate day, int hour, int minute, ZonedDateTime now) {
        LocalDate d = hour == 24 ? day.plusDays(1) : day;
        // a time in a spring-forward gap moves forward by the gap, as ZonedDateTime.of does
        return ZonedDateTime.of(d, LocalTime.of(hour % 24, minute), now.getZone());
    }

    /** {@code 2h}, {@code 30min}, {@code 1h30}, {@code 2 Stunden}, {@code 45 minutes}; null if not a duration. */
    private static Duration duration(List<String> words, int i, int[] consumed) {
        String w = words.get(i);
        Matcher hm = HOURS_MINUTES.matcher(w);
        if (hm.matches()) {
            consumed[0] = 1;
            return Duration.ofHours(Long.parseLong(hm.group(1))).plusMinutes(Long.parseLong(hm.group(2)));
        }
        Matcher m = AMOUNT.matcher(w);
        if (!m.matches()) return null;
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2);
        int used = 1;
        if (unit.isEmpty() && i + 1 < words.size()
                && (HOUR_UNITS.contains(words.get(i + 1)) || MINUTE_UNITS.contains(words.get(i + 1)))) {
            unit = words.get(i + 1);
            used = 2;
        }
        if (HOUR_UNITS.contains(unit)) {
            consumed[0] = used;
            return Duration.ofHours(n);
        }
        if (MINUTE_UNITS.contains(unit)) {
            consumed[0] = used;
            return Duration.ofMinutes(n);
        }
        return null;
    }

    /** Lower case, umlauts as two letters, so "NICHT STÖREN", "nicht stoeren" and "Zurück" read alike. */
    static String fold(String word) {
        String w = word.toLowerCase(Locale.GERMAN);
        return w.replace("ö", "oe").replace("ü", "ue").replace("ä", "ae").replace("ß", "ss");
    }
}

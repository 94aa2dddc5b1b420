package de.vorzimmer.book;

import java.util.List;
import java.util.Objects;

/**
 * Writes a {@link Book} as YAML format 1 that {@link BookLoader} reads back to an equal book: numbers in E.164,
 * patterns with their {@code *}, the PIN as {@code pin-hash}, times as quoted {@code HH:MM}, and every default
 * spelled out. A client's region, timezone, language, short name and sms number are written only where they
 * differ from what the loader would fill in, so the export reads like a hand-written book.
 *
 * <p>Written by hand rather than through a YAML dumper, so the layout matches the design's example (one line per
 * window, contact and rule) and every text value is double-quoted: no id, region or number can be re-read as a
 * boolean, null or number by any YAML reader.
 */
public final class BookWriter {
    private BookWriter() {
    }

    public static String write(Book book) {
        Objects.requireNonNull(book, "book == null");
        StringBuilder sb = new StringBuilder(1024 + 1024 * book.clients().size());
        sb.append("# Vorzimmer client book\n");
        sb.append("version: ").append(book.version()).append('\n');

        Defaults d = book.defaults();
        sb.append("defaults:\n");
        sb.append("  region: ").append(q(d.region())).append('\n');
        sb.append("  timezone: ").append(q(d.timezone().getId())).append('\n');
        sb.append("  language: ").append(q(d.language())).append('\n');
        sb.append("  ring-seconds: { put-through: ").append(d.ringPutThrough())
                .append(", screen: ").append(d.ringScreen()).append(" }\n");
        if (!d.escalation().equals(EscalationPolicy.STANDARD)) {
            sb.append("  escalation: ").append(escalation(d.escalation())).append('\n');
        }

        if (book.secretaries().isEmpty()) {
            sb.append("secretaries: []\n");
        } else {
            sb.append("secretaries:\n");
            for (Secretary s : book.secretaries()) {
                sb.append("  - id: ").append(q(s.id())).append('\n');
                sb.append("    name: ").append(q(s.name())).append('\n');
                sb.append("    endpoint: ").append(q(s.endpoint())).append('\n');
                sb.append("    languages: ").append(list(s.languages())).append('\n');
            }
        }

        if (book.clients().isEmpty()) {
            sb.append("clients: []\n");
        } else {
            sb.append("clients:\n");
            for (Client c : book.clients()) client(sb, c, d);
        }
        return sb.toString();
    }

    private static void client(StringBuilder sb, Client c, Defaults d) {
        sb.append("  - id: ").append(q(c.id())).append('\n');
        sb.append("    name: ").append(q(c.name())).append('\n');
        if (!c.shortName().equals(c.name())) sb.append("    short: ").append(q(c.shortName())).append('\n');
        if (c.greeting() != null) sb.append("    greeting: ").append(q(c.greeting())).append('\n');
        sb.append("    lines: ").append(list(c.lines())).append('\n');
        if (c.reach() != null) sb.append("    reach: ").append(q(c.reach())).append('\n');
        if (!Objects.equals(c.sms(), c.reach())) {
            // A client with sms but no reach, or one whose sms differs; "sms: ~" keeps a reach without sms.
            sb.append("    sms: ").append(c.sms() == null ? "~" : q(c.sms())).append('\n');
        }
        if (!c.region().equals(d.region())) sb.append("    region: ").append(q(c.region())).append('\n');
        if (!c.timezone().equals(d.timezone())) {
            sb.append("    timezone: ").append(q(c.timezone().getId())).append('\n');
        }
        if (!c.language().equals(d.language())) sb.append("    language: ").append(q(c.language())).append('\n');
        if (c.pinHash() != null) sb.append("    pin-hash: ").append(q(c.pinHash())).append('\n');
        if (c.instructions() != null) sb.append("    instructions: ").append(q(c.instructions())).append('\n');
        if (!c.hours().isEmpty()) {
            sb.append("    hours:\n");
            for (Window w : c.hours()) sb.append("      - ").append(window(w)).append('\n');
        }
        if (!c.contacts().isEmpty()) {
            sb.append("    contacts:\n");
            for (Contact k : c.contacts()) {
                sb.append("      - { name: ").append(q(k.name())).append(", numbers: [");
                List<NumberPattern> numbers = k.numbers();
                for (int i = 0; i < numbers.size(); i++) {
                    if (i > 0) sb.append(", ");
                    sb.append(q(numbers.get(i).toString()));
                }
                sb.append("], class: ").append(k.contactClass().word());
                if (k.note() != null) sb.append(", note: ").append(q(k.note()));
                sb.append(" }\n");
            }
        }
        if (c.digest() != null) {
            sb.append("    digest: ").append(q(Window.formatTime(c.digest().toSecondOfDay() / 60))).append('\n');
        }
        if (c.holidays() != null) sb.append("    holidays: ").append(q(c.holidays().code())).append('\n');
        if (c.calendar() != null) {
            sb.append("    calendar: { url: ").append(q(c.calendar().url()));
            if (c.calendar().bookInto()) sb.append(", book-into: true");
            sb.append(" }\n");
        }
        if (!c.intake().isEmpty()) {
            sb.append("    intake:\n");
            for (IntakeField field : c.intake()) {
                sb.append("      - { name: ").append(q(field.name()));
                if (field.required()) sb.append(", required: true");
                sb.append(" }\n");
            }
        }
        if (c.email() != null) sb.append("    email: ").append(q(c.email())).append('\n');
        if (c.email() != null && c.emailFor() != EmailFor.DIGEST) {
            sb.append("    email-for: ").append(c.emailFor().word()).append('\n');
        }
        if (!c.oncall().isEmpty()) {
            sb.append("    oncall:\n");
            for (OnCall o : c.oncall()) sb.append("      - ").append(oncall(o)).append('\n');
        }
        if (!c.escalation().equals(d.escalation())) {
            sb.append("    escalation: ").append(escalation(c.escalation())).append('\n');
        }
        if (!c.rules().isEmpty()) {
            sb.append("    rules:\n");
            for (Rule r : c.rules()) {
                sb.append("      - { if: ").append(condition(r.condition())).append(", then: ")
                        .append(r.action().word());
                if (r.urgent()) sb.append(", urgent: true");
                sb.append(" }\n");
            }
        }
    }

    private static String escalation(EscalationPolicy p) {
        return "{ after: " + EscalationPolicy.text(p.after()) + ", ring: " + EscalationPolicy.text(p.ring())
                + ", rounds: " + p.rounds() + " }";
    }

    private static String oncall(OnCall o) {
        StringBuilder sb = new StringBuilder("{ name: ").append(q(o.name())).append(", number: ").append(q(o.number()));
        Window w = o.window();
        if (w != null) {
            if (w.days().mask() != 0x7f) sb.append(", days: ").append(q(w.days().toString()));
            if (w.from() != 0 || w.to() != Window.END_OF_DAY) {
                sb.append(", from: ").append(q(Window.formatTime(w.from()))).append(", to: ")
                        .append(q(Window.formatTime(w.to())));
            }
        }
        if (o.fromDate() != null) sb.append(", from: ").append(q(o.fromDate().toString()));
        if (o.toDate() != null) sb.append(", to: ").append(q(o.toDate().toString()));
        return sb.append(" }").toString();
    }

    private static String window(Window w) {
        return "{ days: " + q(w.days().toString()) + ", from: " + q(Window.formatTime(w.from()))
                + ", to: " + q(Window.formatTime(w.to())) + " }";
    }

    private static String condition(Condition c) {
        StringBuilder sb = new StringBuilder("{ ");
        int start = sb.length();
        if (c.caller() != null) part(sb, start, "caller", c.caller().word());
        if (c.contact() != null) part(sb, start, "contact", q(c.contact()));
        if (c.number() != null) part(sb, start, "number", q(c.number().toString()));
        if (c.available() != null) part(sb, start, "available", c.available().toString());
        if (c.status() != null) part(sb, start, "status", c.status().word());
        if (c.time() != null) part(sb, start, "time", window(c.time()));
        if (c.line() != null) part(sb, start, "line", q(c.line()));
        return sb.length() == start ? "{}" : sb.append(" }").toString();
    }

    private static void part(StringBuilder sb, int start, String key, String value) {
        if (sb.length() > start) sb.append(", ");
        sb.append(key).append(": ").append(value);
    }

    private static String list(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(q(values.get(i)));
        }
        return sb.append(']').toString();
    }

    /** A YAML double-quoted scalar; anything a YAML reader might not take literally is escaped. */
    static String q(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (printable(cp)) {
                        sb.appendCodePoint(cp);
                    } else if (cp <= 0xffff) {
                        sb.append(String.format("\\u%04x", cp));
                    } else {
                        sb.append(String.format("\\U%08x", cp));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Printable for YAML and not a line break or byte-order mark in disguise. */
    private static boolean printable(int cp) {
        return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff && cp != 0x2028 && cp != 0x2029)
                || (cp >= 0xe000 && cp <= 0xfffd && cp != 0xfeff) || (cp >= 0x10000 && cp <= 0x10ffff);
    }
}

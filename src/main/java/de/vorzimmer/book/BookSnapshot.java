package de.vorzimmer.book;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * A compact binary form of a validated {@link Book}, kept by the store beside the book's YAML text so a server
 * with thousands of clients starts without parsing YAML, validating or reading numbers with libphonenumber
 * again: the values were checked when the version was stored. The YAML text stays the source of truth; a
 * snapshot that does not decode ({@link BookSnapshotException}) is ignored and made again from the text.
 *
 * <p>Layout, big-endian:
 * <pre>
 * header   magic "VZBS" (4 bytes), format u16 ({@link #FORMAT}), reserved u16 (0),
 *          payload length u32, CRC32 of the payload u32
 * payload  string table: count, then each string as byte length + UTF-8
 *          book: version, defaults, secretaries, clients (see {@link #encode})
 * </pre>
 * Counts, lengths and numbers are unsigned LEB128 varints; a string is written as its index in the table (an
 * optional one as index + 1, 0 for none), so repeated regions, zones, languages and numbers cost a byte or two.
 * Decoding checks every length against the bytes left and every enum ordinal and flag against its range, and
 * the payload must end exactly where the book does: damage gives an exception, never a half-built book or a
 * huge allocation.
 */
public final class BookSnapshot {
    /** The first four bytes of every snapshot: {@code VZBS}. */
    public static final int MAGIC = 0x565A4253;
    /** Raised whenever the layout changes; a snapshot of another format is not read but made again. */
    public static final int FORMAT = 4;
    static final int HEADER_BYTES = 16;

    // condition flags: which fields of a rule's condition are present; bit 7 marks the rule urgent
    private static final int F_CALLER = 1;
    private static final int F_CONTACT = 1 << 1;
    private static final int F_NUMBER = 1 << 2;
    private static final int F_AVAILABLE = 1 << 3;
    private static final int F_STATUS = 1 << 4;
    private static final int F_TIME = 1 << 5;
    private static final int F_LINE = 1 << 6;
    private static final int F_URGENT = 1 << 7;

    private static final ContactClass[] CONTACT_CLASSES = ContactClass.values();
    private static final EmailFor[] EMAIL_FOR = EmailFor.values();
    private static final CallerClass[] CALLER_CLASSES = CallerClass.values();
    private static final Action[] ACTIONS = Action.values();
    private static final Status[] STATUSES = Status.values();

    private BookSnapshot() {
    }

    /**
     * The snapshot of {@code book}.
     *
     * @throws IllegalArgumentException if a text in the book is not valid Unicode (a lone surrogate), which UTF-8
     *                                  cannot carry; such a book is still stored, as text only
     */
    public static byte[] encode(Book book) {
        Objects.requireNonNull(book, "book == null");
        Encoder e = new Encoder(64 + 512 * book.clients().size());
        e.varint(book.version());
        Defaults d = book.defaults();
        e.string(d.region());
        e.string(d.timezone().getId());
        e.string(d.language());
        e.varint(d.ringPutThrough());
        e.varint(d.ringScreen());
        escalation(e, d.escalation());
        e.varint(book.secretaries().size());
        for (Secretary s : book.secretaries()) {
            e.string(s.id());
            e.string(s.name());
            e.string(s.endpoint());
            e.strings(s.languages());
        }
        e.varint(book.clients().size());
        for (Client c : book.clients()) client(e, c);
        return e.finish();
    }

    private static void client(Encoder e, Client c) {
        e.string(c.id());
        e.string(c.name());
        e.string(c.shortName());
        e.optional(c.greeting());
        e.strings(c.lines());
        e.optional(c.reach());
        e.optional(c.sms());
        e.string(c.region());
        e.string(c.timezone().getId());
        e.string(c.language());
        e.optional(c.pinHash());
        e.varint(c.hours().size());
        for (Window w : c.hours()) window(e, w);
        e.varint(c.contacts().size());
        for (Contact k : c.contacts()) {
            e.string(k.name());
            e.varint(k.numbers().size());
            for (NumberPattern p : k.numbers()) pattern(e, p);
            e.varint(k.contactClass().ordinal());
            e.optional(k.note());
        }
        e.varint(c.rules().size());
        for (Rule r : c.rules()) rule(e, r);
        e.varint(c.intake().size());
        for (IntakeField f : c.intake()) e.varint(e.index(f.name()) << 1 | (f.required() ? 1 : 0));
        e.varlong(c.digest() == null ? 0 : c.digest().toNanoOfDay() + 1);
        e.optional(c.holidays() == null ? null : c.holidays().code());
        e.optional(c.calendar() == null ? null : c.calendar().url());
        e.varint(c.calendar() != null && c.calendar().bookInto() ? 1 : 0);
        e.optional(c.instructions());
        e.optional(c.email());
        e.varint(c.emailFor().ordinal());
        e.varint(c.oncall().size());
        for (OnCall o : c.oncall()) {
            e.string(o.name());
            e.string(o.number());
            e.varint(o.window() == null ? 0 : 1);
            if (o.window() != null) window(e, o.window());
            e.varlong(o.fromDate() == null ? 0 : o.fromDate().toEpochDay() + 1);
            e.varlong(o.toDate() == null ? 0 : o.toDate().toEpochDay() + 1);
        }
        escalation(e, c.escalation());
    }

    private static void escalation(Encoder e, EscalationPolicy p) {
        e.varlong(p.after().getSeconds());
        e.varlong(p.ring().getSeconds());
        e.varint(p.rounds());
    }

    private static void window(Encoder e, Window w) {
        e.varint(w.days().mask());
        e.varint(w.from());
        e.varint(w.to());
    }

    private static void pattern(Encoder e, NumberPattern p) {
        e.varint(e.index(p.digits()) << 1 | (p.prefix() ? 1 : 0));
    }

    private static void rule(Encoder e, Rule r) {
        Condition c = r.condition();
        int flags = (c.caller() != null ? F_CALLER : 0) | (c.contact() != null ? F_CONTACT : 0)
                | (c.number() != null ? F_NUMBER : 0) | (c.available() != null ? F_AVAILABLE : 0)
                | (c.status() != null ? F_STATUS : 0) | (c.time() != null ? F_TIME : 0)
                | (c.line() != null ? F_LINE : 0) | (r.urgent() ? F_URGENT : 0);
        e.varint(flags);
        e.varint(r.action().ordinal());
        if (c.caller() != null) e.varint(c.caller().ordinal());
        if (c.contact() != null) e.string(c.contact());
        if (c.number() != null) pattern(e, c.number());
        if (c.available() != null) e.varint(c.available() ? 1 : 0);
        if (c.status() != null) e.varint(c.status().ordinal());
        if (c.time() != null) window(e, c.time());
        if (c.line() != null) e.string(c.line());
    }

    /**
     * The book {@code bytes} hold, equal to the one {@link #encode} was given.
     *
     * @throws BookSnapshotException naming what is wrong: not a snapshot, another format, a CRC mismatch, too few
     *                               or too many bytes, or a value out of range
     */
    public static Book decode(byte[] bytes) throws BookSnapshotException {
        Objects.requireNonNull(bytes, "bytes == null");
        if (bytes.length < HEADER_BYTES) {
            throw new BookSnapshotException("book snapshot truncated: " + bytes.length + " bytes, shorter than its "
                    + HEADER_BYTES + "-byte header");
        }
        int magic = int32(bytes, 0);
        if (magic != MAGIC) {
            throw new BookSnapshotException(String.format("not a book snapshot: magic 0x%08x, expected 0x%08x",
                    magic, MAGIC));
        }
        int format = (bytes[4] & 0xff) << 8 | (bytes[5] & 0xff);
        if (format != FORMAT) {
            throw new BookSnapshotException("book snapshot format " + format + ", this release reads format " + FORMAT);
        }
        int reserved = (bytes[6] & 0xff) << 8 | (bytes[7] & 0xff);
        if (reserved != 0) throw new BookSnapshotException("book snapshot header: reserved field is " + reserved + ", expected 0");
        long length = int32(bytes, 8) & 0xffffffffL;
        long actual = bytes.length - HEADER_BYTES;
        if (length > actual) {
            throw new BookSnapshotException("book snapshot truncated: payload of " + length + " bytes announced, "
                    + actual + " present");
        }
        if (length < actual) {
            throw new BookSnapshotException("book snapshot has " + (actual - length) + " trailing bytes after its "
                    + length + "-byte payload");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, HEADER_BYTES, (int) length);
        int stored = int32(bytes, 12);
        if ((int) crc.getValue() != stored) {
            throw new BookSnapshotException(String.format("book snapshot damaged: CRC32 0x%08x, header says 0x%08x",
                    (int) crc.getValue(), stored));
        }
        Decoder d = new Decoder(bytes, HEADER_BYTES);
        try {
            Book book = d.book();
            if (d.pos != bytes.length) {
                throw new BookSnapshotException("book snapshot: " + (bytes.length - d.pos)
                        + " bytes left over after the book");
            }
            return book;
        } catch (IllegalArgumentException | NullPointerException | DateTimeException e) {
            // a record's own check refused a value: the bytes passed the CRC but do not make a valid book
            throw new BookSnapshotException("book snapshot holds an invalid value near byte " + d.pos + ": "
                    + e.getMessage(), e);
        }
    }

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    /** Builds the body while collecting the string table; {@link #finish} puts header, table and body together. */
    /** Writes {@code v} big-endian at {@code b[at..at+3]} (the header's fields). */
    static void put32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static final class Encoder {
        private final Map<String, Integer> table = new HashMap<>();
        private final List<byte[]> tableBytes = new ArrayList<>();
        private byte[] buf;
        private int len;

        Encoder(int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(int more) {
            if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }

        void varint(int v) {
            if (v < 0) throw new IllegalArgumentException("negative value " + v + " in a book snapshot");
            varlong(v);
        }

        void varlong(long v) {
            ensure(10);
            while ((v & ~0x7fL) != 0) {
                buf[len++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
        }

        int index(String s) {
            Integer i = table.get(s);
            if (i != null) return i;
            int next = tableBytes.size();
            tableBytes.add(utf8(s));
            table.put(s, next);
            return next;
        }

        void string(String s) {
            varint(index(Objects.requireNonNull(s, "string == null")));
        }

        void optional(String s) {
            varint(s == null ? 0 : index(s) + 1);
        }

        void strings(List<String> values) {
            varint(values.size());
            for (String s : values) string(s);
        }

        byte[] finish() {
            byte[] body = Arrays.copyOf(buf, len);
            buf = new byte[16 + 16 * tableBytes.size()];
            len = 0;
            varint(tableBytes.size());
            for (byte[] b : tableBytes) {
                varint(b.length);
                ensure(b.length);
                System.arraycopy(b, 0, buf, len, b.length);
                len += b.length;
            }
            int payload = len + body.length;
            byte[] out = new byte[HEADER_BYTES + payload];
            System.arraycopy(buf, 0, out, HEADER_BYTES, len);
            System.arraycopy(body, 0, out, HEADER_BYTES + len, body.length);
            CRC32 crc = new CRC32();
            crc.update(out, HEADER_BYTES, payload);
            put32(out, 0, MAGIC);
            out[4] = (byte) (FORMAT >>> 8);
            out[5] = (byte) FORMAT;
            put32(out, 8, payload);
            put32(out, 12, (int) crc.getValue());
            return out;
        }


        /** UTF-8 that decodes back to the same string; a lone surrogate would come back as '?', so it is refused. */
        private static byte[] utf8(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!Character.isSurrogate(c)) continue;
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException("text with a lone surrogate (U+"
                            + Integer.toHexString(c).toUpperCase(Locale.ROOT) + ") cannot go into a book snapshot");
                }
            }
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Reads the payload; every count is checked against the bytes left before anything is allocated for it. */
    private static final class Decoder {
        private final byte[] b;
        int pos;
        private String[] strings;
        private ZoneId[] zones;

        Decoder(byte[] b, int pos) {
            this.b = b;
            this.pos = pos;
        }

        Book book() throws BookSnapshotException {
            int n = count("strings", 1);
            strings = new String[n];
            zones = new ZoneId[n];
            for (int i = 0; i < n; i++) {
                int len = count("string length", 1);
                strings[i] = new String(b, pos, len, StandardCharsets.UTF_8);
                pos += len;
            }
            int version = varint("book version");
            Defaults defaults = new Defaults(string(), zone(), string(), varint("ring seconds"), varint("ring seconds"),
                    escalation());
            int secretaryCount = count("secretaries", 4);
            List<Secretary> secretaries = new ArrayList<>(secretaryCount);
            for (int i = 0; i < secretaryCount; i++) {
                secretaries.add(new Secretary(string(), string(), string(), strings()));
            }
            int clientCount = count("clients", 17);
            List<Client> clients = new ArrayList<>(clientCount);
            for (int i = 0; i < clientCount; i++) clients.add(client());
            return new Book(version, defaults, secretaries, clients);
        }

        private Client client() throws BookSnapshotException {
            String id = string();
            String name = string();
            String shortName = string();
            String greeting = optional();
            List<String> lines = strings();
            String reach = optional();
            String sms = optional();
            String region = string();
            ZoneId zone = zone();
            String language = string();
            String pinHash = optional();
            int hourCount = count("hours", 3);
            List<Window> hours = new ArrayList<>(hourCount);
            for (int i = 0; i < hourCount; i++) hours.add(window());
            int contactCount = count("contacts", 3);
            List<Contact> contacts = new ArrayList<>(contactCount);
            for (int i = 0; i < contactCount; i++) {
                String contactName = string();
                int numberCount = count("contact numbers", 1);
                List<NumberPattern> numbers = new ArrayList<>(numberCount);
                for (int j = 0; j < numberCount; j++) numbers.add(pattern());
                ContactClass cls = CONTACT_CLASSES[ordinal("contact class", CONTACT_CLASSES.length)];
                contacts.add(new Contact(contactName, numbers, cls, optional()));
            }
            int ruleCount = count("rules", 2);
            List<Rule> rules = new ArrayList<>(ruleCount);
            for (int i = 0; i < ruleCount; i++) rules.add(rule());
            int intakeCount = count("intake fields", 1);
            List<IntakeField> intake = new ArrayList<>(intakeCount);
            for (int i = 0; i < intakeCount; i++) {
                int v = varint("intake field");
                intake.add(new IntakeField(string(v >>> 1), (v & 1) != 0));
            }
            long digest = varlong("digest");
            LocalTime digestTime = digest == 0 ? null : LocalTime.ofNanoOfDay(digest - 1);
            String holidays = optional();
            String calendarUrl = optional();
            int bookInto = ordinal("calendar book-into", 2);
            HolidayRegion holidayRegion;
            CalendarSource calendar;
            try {
                holidayRegion = holidays == null ? null : new HolidayRegion(holidays);
                calendar = calendarUrl == null ? null : new CalendarSource(calendarUrl, bookInto == 1);
            } catch (IllegalArgumentException x) {
                throw corrupt("client " + id + ": " + x.getMessage());
            }
            String instructions = optional();
            String email = optional();
            EmailFor emailFor = EMAIL_FOR[ordinal("email-for", EMAIL_FOR.length)];
            int oncallCount = count("oncall", 5);
            List<OnCall> oncall = new ArrayList<>(oncallCount);
            for (int i = 0; i < oncallCount; i++) {
                String who = string();
                String number = string();
                Window w = ordinal("oncall window", 2) == 1 ? window() : null;
                long from = varlong("oncall from");
                long to = varlong("oncall to");
                try {
                    oncall.add(new OnCall(who, number, w, from == 0 ? null : java.time.LocalDate.ofEpochDay(from - 1),
                            to == 0 ? null : java.time.LocalDate.ofEpochDay(to - 1)));
                } catch (RuntimeException e) {
                    throw corrupt("oncall entry: " + e.getMessage());
                }
            }
            return new Client(id, name, shortName, greeting, lines, reach, sms, region, zone, language, pinHash, hours,
                    contacts, rules, intake, digestTime, calendar, holidayRegion, instructions, email, emailFor, oncall,
                    escalation());
        }

        private EscalationPolicy escalation() throws BookSnapshotException {
            long after = varlong("escalation after");
            long ring = varlong("escalation ring");
            int rounds = varint("escalation rounds");
            try {
                return new EscalationPolicy(java.time.Duration.ofSeconds(after), java.time.Duration.ofSeconds(ring), rounds);
            } catch (IllegalArgumentException e) {
                throw corrupt("escalation: " + e.getMessage());
            }
        }

        private Window window() throws BookSnapshotException {
            return new Window(DaySet.of(varint("days")), varint("window from"), varint("window to"));
        }

        private NumberPattern pattern() throws BookSnapshotException {
            int v = varint("number");
            return new NumberPattern(string(v >>> 1), (v & 1) != 0);
        }

        private Rule rule() throws BookSnapshotException {
            int flags = varint("rule flags");
            if (flags > 0xff) throw corrupt("rule flags " + flags + " out of range");
            Action action = ACTIONS[ordinal("action", ACTIONS.length)];
            CallerClass caller = (flags & F_CALLER) != 0 ? CALLER_CLASSES[ordinal("caller class", CALLER_CLASSES.length)] : null;
            String contact = (flags & F_CONTACT) != 0 ? string() : null;
            NumberPattern number = (flags & F_NUMBER) != 0 ? pattern() : null;
            Boolean available = (flags & F_AVAILABLE) != 0 ? ordinal("available", 2) == 1 : null;
            Status status = (flags & F_STATUS) != 0 ? STATUSES[ordinal("status", STATUSES.length)] : null;
            Window time = (flags & F_TIME) != 0 ? window() : null;
            String line = (flags & F_LINE) != 0 ? string() : null;
            return new Rule(new Condition(caller, contact, number, available, status, time, line), action,
                    (flags & F_URGENT) != 0);
        }

        private String string() throws BookSnapshotException {
            return string(varint("string index"));
        }

        private String string(int index) throws BookSnapshotException {
            if (index >= strings.length) {
                throw corrupt("string index " + index + " beyond the table of " + strings.length);
            }
            return strings[index];
        }

        private String optional() throws BookSnapshotException {
            int v = varint("string index");
            return v == 0 ? null : string(v - 1);
        }

        private List<String> strings() throws BookSnapshotException {
            int n = count("strings", 1);
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) out.add(string());
            return out;
        }

        /** Zone ids repeat across thousands of clients; each distinct one is looked up once. */
        private ZoneId zone() throws BookSnapshotException {
            int index = varint("string index");
            String id = string(index);
            ZoneId z = zones[index];
            if (z == null) {
                try {
                    z = ZoneId.of(id);
                } catch (DateTimeException e) {
                    throw corrupt("unknown timezone '" + id + "'");
                }
                zones[index] = z;
            }
            return z;
        }

        private int ordinal(String what, int limit) throws BookSnapshotException {
            int v = varint(what);
            if (v >= limit) throw corrupt(what + " " + v + " out of range 0.." + (limit - 1));
            return v;
        }

        /** A count of items that take at least {@code minBytes} each: more than the bytes left is damage. */
        private int count(String what, int minBytes) throws BookSnapshotException {
            int n = varint(what);
            if ((long) n * minBytes > b.length - pos) {
                throw corrupt(what + ": " + n + " announced, more than the " + (b.length - pos) + " bytes left hold");
            }
            return n;
        }

        private int varint(String what) throws BookSnapshotException {
            long v = varlong(what);
            if (v > Integer.MAX_VALUE) throw corrupt(what + " " + v + " out of range");
            return (int) v;
        }

        private long varlong(String what) throws BookSnapshotException {
            long v = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                if (pos >= b.length) throw corrupt("ends inside " + what);
                int x = b[pos++];
                v |= (long) (x & 0x7f) << shift;
                if (x >= 0) return v;
            }
            throw corrupt(what + " is not a valid number");
        }

        private BookSnapshotException corrupt(String why) {
            return new BookSnapshotException("book snapshot damaged at byte " + pos + ": " + why);
        }
    }
}

package de.vorzimmer.book;


import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.parser.ParserException;
import org.yaml.snakeyaml.scanner.ScannerException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads and validates a client book (YAML, format 1) into a {@link Book}. All or nothing: every problem in the
 * book is collected and reported together in one {@link BookException}; a book with any problem yields no Book.
 *
 * <p>The YAML is composed into a node tree and read by this class rather than constructed into Java objects,
 * so scalars keep the text the author wrote: {@code pin: 0815}, {@code from: 14:00} or {@code reach: +4917...}
 * cannot be turned into octal, sexagesimal or plain integers behind the author's back, duplicate keys are
 * reported with the rest, and a value of the wrong shape is a problem, never a {@code ClassCastException}.
 */
public final class BookLoader {
    /** Largest book accepted, in code points. */
    public static final int MAX_CODE_POINTS = 64 * 1024 * 1024;
    /** Most aliases accepted, which keeps "billion laughs" books out. */
    public static final int MAX_ALIASES = 50;
    public static final int MAX_RING_SECONDS = 300;

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Pattern PIN = Pattern.compile("[0-9]{4,8}");
    private static final Pattern INT = Pattern.compile("[+]?[0-9]{1,9}");
    private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());

    private static final List<String> BOOK_KEYS = List.of("version", "defaults", "secretaries", "clients");
    private static final List<String> DEFAULTS_KEYS = List.of("region", "timezone", "language", "ring-seconds",
            "escalation");
    private static final List<String> ESCALATION_KEYS = List.of("after", "ring", "rounds");
    private static final List<String> ONCALL_KEYS = List.of("name", "number", "days", "from", "to");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s\"<>,;]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final List<String> RING_KEYS = List.of("put-through", "screen");
    private static final List<String> SECRETARY_KEYS = List.of("id", "name", "endpoint", "languages");
    private static final List<String> CLIENT_KEYS = List.of("id", "name", "short", "greeting", "lines", "reach",
            "sms", "region", "timezone", "language", "pin", "pin-hash", "hours", "contacts", "rules", "intake", "digest",
            "calendar", "holidays", "instructions", "email", "email-for", "oncall", "escalation");
    private static final List<String> CALENDAR_KEYS = List.of("url", "book-into");
    private static final List<String> INTAKE_KEYS = List.of("name", "required");
    private static final List<String> WINDOW_KEYS = List.of("days", "from", "to");
    private static final List<String> CONTACT_KEYS = List.of("name", "numbers", "class", "note");
    private static final List<String> RULE_KEYS = List.of("if", "then", "urgent");
    private static final List<String> CONDITION_KEYS =
            List.of("caller", "contact", "number", "available", "status", "time", "line");

    private BookLoader() {
    }

    /**
     * Loads a book from its YAML text, hashing plain {@code pin}s with {@code pins}.
     *
     * @throws BookException listing every problem found, when there is at least one
     */
    public static Book load(String yamlText, PinHasher pins) throws BookException {
        Objects.requireNonNull(yamlText, "yamlText == null");
        Objects.requireNonNull(pins, "pins == null");
        if (singlePassLayout(yamlText)) {
            // Most books have `clients:` as their last top-level key, as export writes them: then one pass over
            // the text reads them (a 20 MB book imports in well under the time of two passes). A book that
            // does not load this way (an alias to an anchor above `clients:`, or any real problem) is read
            // again the usual way, so what it reports (messages, line numbers) is always the same.
            try {
                return new Reading(pins, true).book(yamlText);
            } catch (BookException e) {
                // fall through
            }
        }
        return new Reading(pins, false).book(yamlText);
    }

    /** {@code clients:} is the last top-level key of the only document: the layout {@link #loadWritten} reads in one pass. */
    static boolean singlePassLayout(String text) {
        return CompactYaml.lastTopLevelKey(text, "clients") >= 0;
    }

    /**
     * Loads a book as {@link BookWriter} wrote it (the stored form), with every check of {@link #load}. The
     * writer's layout (no anchors, {@code clients:} the last top-level key) lets the clients be read in the same
     * single pass that reads the rest; text in another layout is read as {@link #load} reads it.
     */
    public static Book loadWritten(String yamlText, PinHasher pins) throws BookException {
        Objects.requireNonNull(yamlText, "yamlText == null");
        Objects.requireNonNull(pins, "pins == null");
        return new Reading(pins, true).book(yamlText);
    }

    /**
     * Loads a book from a UTF-8 file.
     *
     * @throws IOException   if the file cannot be read
     * @throws BookException if it is not valid UTF-8, or for every problem in the book
     */
    public static Book load(Path file, PinHasher pins) throws IOException, BookException {
        Objects.requireNonNull(file, "file == null");
        long size = Files.size(file);
        if (size > 4L * MAX_CODE_POINTS) {
            throw new BookException(List.of(new BookProblem("book", "", null,
                    "file " + file + " has " + size + " bytes, more than a book may have", "book-too-large", 0)));
        }
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BookException(List.of(new BookProblem("book", "", null,
                    "file " + file + " is not UTF-8 text", "not-utf8", 0)));
        }
        return load(text, pins);
    }

    /**
     * YAML 1.2 core resolution for plain scalars: only {@code true}/{@code false} are booleans, only decimal digits
     * integers, so {@code 14:00} (a YAML 1.1 sexagesimal integer), {@code no} and {@code 0815} stay text.
     */
    static final class BookResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF", 10);
            addImplicitResolver(Tag.INT, Pattern.compile("^[-+]?[0-9]+$"), "-+0123456789");
            addImplicitResolver(Tag.FLOAT,
                    Pattern.compile("^[-+]?(?:[0-9]+\\.[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"), "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
            addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
            addImplicitResolver(Tag.NULL, EMPTY, null, 10);
        }
    }

    static Yaml yaml() {
        LoaderOptions options = loaderOptions();
        DumperOptions dump = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dump), dump, options, new BookResolver());
    }

    static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMergeOnCompose(true);
        options.setTagInspector(tag -> false);
        return options;
    }

    /** One load: the problems found so far and what later checks need from earlier parts. */
    private static final class Reading {
        private final PinHasher pins;
        private final List<BookProblem> problems = new ArrayList<>();
        private final Map<String, String> lineOwners = new HashMap<>();

        private final boolean written;
        /** The line the secretary or client being read starts on (0 outside them): where its problems point. */
        private int whereLine;

        Reading(PinHasher pins, boolean written) {
            this.pins = pins;
            this.written = written;
        }

        Book book(String text) throws BookException {
            Node root;
            CompactYaml.Streamed document;
            try {
                // clients are read one at a time: a book of thousands of clients never has all its nodes in memory
                document = written
                        ? CompactYaml.composeWritten(text, loaderOptions(), BookResolver::new, "clients")
                        : CompactYaml.composeStreaming(text, loaderOptions(), BookResolver::new, "clients");
                root = document.top();
            } catch (MarkedYAMLException e) {
                throw fail(syntaxProblem(e));
            } catch (YAMLException e) {
                throw fail(new BookProblem("book", "", null, "not readable as YAML: " + e.getMessage(), "yaml-unreadable", 0));
            }
            if (root == null || isNull(root)) {
                throw fail(new BookProblem("book", "", null, "the book is empty; it starts with 'version: 1'", "book-empty", 1));
            }
            Fields top = fields(root, "book", "", BOOK_KEYS);
            if (top == null) throw new BookException(problems);

            Integer version = top.integer("version", true);
            if (version != null && version != Book.FORMAT) {
                problem("version-unsupported", "book", "version", String.valueOf(version), "unsupported format, expected " + Book.FORMAT);
            }

            Resolved defaults = defaults(top.node("defaults"));

            List<Secretary> secretaries = new ArrayList<>();
            List<Node> secretaryNodes = top.list("secretaries", false);
            if (secretaryNodes != null) {
                Set<String> ids = new HashSet<>();
                for (int i = 0; i < secretaryNodes.size(); i++) {
                    Secretary s = secretary(secretaryNodes.get(i), i, ids);
                    if (s != null) secretaries.add(s);
                }
            }

            List<Client> clients = new ArrayList<>();
            List<Node> clientNodes = top.list("clients", false);
            if (clientNodes != null) {
                Map<String, Integer> ids = new HashMap<>();
                int i = 0;
                try {
                    for (Node node : document.streamed() ? document.items() : clientNodes) {
                        Client c = client(node, i++, ids, defaults);
                        if (c != null) clients.add(c);
                    }
                } catch (MarkedYAMLException e) {
                    throw fail(syntaxProblem(e));
                } catch (YAMLException e) {
                    throw fail(new BookProblem("book", "", null, "not readable as YAML: " + e.getMessage(),
                            "yaml-unreadable", 0));
                }
            }

            if (!problems.isEmpty()) throw new BookException(problems);
            return new Book(Book.FORMAT, defaults.toDefaults(), secretaries, clients);
        }

        private BookException fail(BookProblem p) {
            problems.add(p);
            return new BookException(problems);
        }

        // ---- defaults ----

        /** Defaults as read; a null field was invalid (already reported) and is not inherited. */
        private record Resolved(String region, ZoneId timezone, String language, int putThrough, int screen,
                                EscalationPolicy escalation) {
            Defaults toDefaults() {
                return new Defaults(region, timezone, language, putThrough, screen, escalation);
            }
        }

        private Resolved defaults(Node node) {
            whereLine = lineOf(node);
            Defaults std = Defaults.STANDARD;
            if (node == null) {
                return new Resolved(std.region(), std.timezone(), std.language(), std.ringPutThrough(),
                        std.ringScreen(), std.escalation());
            }
            Fields f = fields(node, "defaults", "", DEFAULTS_KEYS);
            if (f == null) return new Resolved(null, null, null, std.ringPutThrough(), std.ringScreen(), std.escalation());
            String region = f.has("region") ? region(f, "region") : std.region();
            ZoneId zone = f.has("timezone") ? timezone(f, "timezone") : std.timezone();
            String language = f.has("language") ? language(f, "language") : std.language();
            int putThrough = std.ringPutThrough();
            int screen = std.ringScreen();
            Node ring = f.node("ring-seconds");
            if (ring != null) {
                Fields r = fields(ring, "defaults", "ring-seconds", RING_KEYS);
                if (r != null) {
                    putThrough = ringSeconds(r, "put-through", putThrough);
                    screen = ringSeconds(r, "screen", screen);
                }
            }
            EscalationPolicy escalation = escalation(f, std.escalation());
            return new Resolved(region, zone, language, putThrough, screen, escalation);
        }

        /** {@code escalation: { after: 10m, ring: 30s, rounds: 2 }}; each key missing takes {@code inherited}'s. */
        private EscalationPolicy escalation(Fields f, EscalationPolicy inherited) {
            Node node = f.node("escalation");
            if (node == null) return inherited;
            int first = problems.size();
            try {
                return escalationOf(f, node, inherited);
            } finally {
                withLine(first, node);
            }
        }

        private EscalationPolicy escalationOf(Fields f, Node node, EscalationPolicy inherited) {
            Fields e = fields(node, f.where, f.path("escalation"), ESCALATION_KEYS);
            if (e == null) return inherited;
            java.time.Duration after = duration(e, "after", java.time.temporal.ChronoUnit.MINUTES, inherited.after(),
                    java.time.Duration.ZERO, EscalationPolicy.MAX_AFTER);
            java.time.Duration ring = duration(e, "ring", java.time.temporal.ChronoUnit.SECONDS, inherited.ring(),
                    EscalationPolicy.MIN_RING, EscalationPolicy.MAX_RING);
            int rounds = inherited.rounds();
            Integer r = e.integer("rounds", false);
            if (r != null) {
                if (r < 0 || r > EscalationPolicy.MAX_ROUNDS) {
                    problem(e.where, e.path("rounds"), String.valueOf(r), "must be 0 (no call-outs) to "
                            + EscalationPolicy.MAX_ROUNDS);
                } else {
                    rounds = r;
                }
            }
            return new EscalationPolicy(after, ring, rounds);
        }

        private java.time.Duration duration(Fields e, String key, java.time.temporal.ChronoUnit bare,
                                            java.time.Duration fallback, java.time.Duration min, java.time.Duration max) {
            String text = e.text(key, false);
            if (text == null) return fallback;
            try {
                java.time.Duration d = EscalationPolicy.parseDuration(text, bare);
                if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                    problem(e.where, e.path(key), text, "must be " + EscalationPolicy.text(min) + " to "
                            + EscalationPolicy.text(max));
                    return fallback;
                }
                return d;
            } catch (IllegalArgumentException ex) {
                problem(e.where, e.path(key), text, "not a duration such as 90s, 10m or 1h (a bare number is "
                        + bare.toString().toLowerCase(Locale.ROOT) + ")");
                return fallback;
            }
        }

        private int ringSeconds(Fields r, String key, int fallback) {
            Integer v = r.integer(key, false);
            if (v == null) return fallback;
            if (v < 1 || v > MAX_RING_SECONDS) {
                problemAt(r.node(key), "ring-seconds-range", r.where, r.path(key), String.valueOf(v), "must be 1 to " + MAX_RING_SECONDS + " seconds");
                return fallback;
            }
            return v;
        }

        private String region(Fields f, String key) {
            String text = f.text(key, false);
            if (text == null) return null;
            String region = text.trim().toUpperCase(Locale.ROOT);
            if (!PhoneNumbers.isSupportedRegion(region)) {
                problemAt(f.node(key), "region-unknown", f.where, f.path(key), text, "not a region libphonenumber knows (ISO 3166 code such as DE)");
                return null;
            }
            return region;
        }

        private ZoneId timezone(Fields f, String key) {
            String text = f.text(key, false);
            if (text == null) return null;
            try {
                return ZoneId.of(text.trim());
            } catch (DateTimeException e) {
                problemAt(f.node(key), "timezone-unknown", f.where, f.path(key), text, "not a time zone (e.g. Europe/Berlin)");
                return null;
            }
        }

        private String language(Fields f, String key) {
            String text = f.text(key, false);
            if (text == null) return null;
            return language(text, f.where, f.path(key));
        }

        private String language(String text, String where, String field) {
            String code = text.trim().toLowerCase(Locale.ROOT);
            if (code.length() != 2 || !LANGUAGES.contains(code)) {
                problem("language-unknown", where, field, text, "not an ISO 639-1 language code (e.g. de, en)");
                return null;
            }
            return code;
        }

        // ---- secretaries ----

        private Secretary secretary(Node node, int index, Set<String> ids) {
            String where = whereOf(node, "secretary", "secretaries[" + index + "]");
            whereLine = lineOf(node);
            int before = problems.size();
            Fields f = fields(node, where, "", SECRETARY_KEYS);
            if (f == null) return null;
            String id = id(f, ids, "secretary");
            if (id != null) ids.add(id);
            String name = f.text("name", false);
            String endpoint = f.text("endpoint", true);
            if (endpoint != null && endpoint.isBlank()) {
                problem("endpoint-blank", where, "endpoint", endpoint, "must not be blank (e.g. PJSIP/anna)");
            }
            List<String> languages = new ArrayList<>();
            List<Node> langNodes = f.list("languages", false);
            if (langNodes != null) {
                for (int i = 0; i < langNodes.size(); i++) {
                    String field = "languages[" + i + "]";
                    String text = scalar(langNodes.get(i), where, field);
                    String code = text == null ? null : language(text, where, field);
                    if (code != null) languages.add(code);
                }
            }
            if (problems.size() != before) return null;
            return new Secretary(id, name, endpoint.trim(), languages);
        }

        private String id(Fields f, Collection<String> taken, String what) {
            String id = f.text("id", true);
            if (id == null) return null;
            if (!ID.matcher(id).matches()) {
                problem("id-invalid", f.where, "id", id, "an id is lower-case letters, digits, '-' and '_', starting with a"
                        + " letter or digit");
                return null;
            }
            if (taken.contains(id)) {
                problem("id-taken", f.where, "id", id, "another " + what + " has this id");
                return null;
            }
            return id;
        }

        // ---- clients ----

        private Client client(Node node, int index, Map<String, Integer> ids, Resolved defaults) {
            String where = whereOf(node, "client", "clients[" + index + "]");
            whereLine = lineOf(node);
            int before = problems.size();
            Fields f = fields(node, where, "", CLIENT_KEYS);
            if (f == null) return null;
            String id = id(f, ids.keySet(), "client");
            if (id != null) ids.put(id, index);
            String name = f.text("name", true);
            String shortName = f.text("short", false);
            String greeting = f.text("greeting", false);
            String region = f.has("region") ? region(f, "region") : defaults.region();
            ZoneId zone = f.has("timezone") ? timezone(f, "timezone") : defaults.timezone();
            String language = f.has("language") ? language(f, "language") : defaults.language();

            // Without a valid region no number can be read; its problem is already reported once.
            List<String> lines = new ArrayList<>();
            boolean linesComplete = true;
            List<Node> lineNodes = f.list("lines", true);
            if (lineNodes != null && lineNodes.isEmpty()) {
                problem("lines-missing", where, "lines", null, "needs at least one number callers dial");
            }
            if (lineNodes != null) {
                for (int i = 0; i < lineNodes.size(); i++) {
                    String field = "lines[" + i + "]";
                    String text = scalar(lineNodes.get(i), where, field);
                    String line = text == null || region == null ? null : fullNumber(text, region, where, field);
                    if (line == null) {
                        linesComplete = false;
                        continue;
                    }
                    String owner = lineOwners.get(line);
                    if (lines.contains(line)) {
                        problem("line-twice", where, field, text, "line " + line + " is listed twice");
                    } else if (owner != null) {
                        problem("line-taken", where, field, text, "line " + line + " already belongs to client '" + owner + "'");
                    } else {
                        lines.add(line);
                        if (id != null) lineOwners.put(line, id);
                    }
                }
            }
            String reach = number(f, "reach", region);
            // "sms: ~" says: no SMS at all; a missing sms means the reach number.
            String sms = f.has("sms") ? number(f, "sms", region) : f.isExplicitNull("sms") ? null : reach;
            String pinHash = pin(f);

            List<Window> hours = new ArrayList<>();
            List<Node> hourNodes = f.list("hours", false);
            if (hourNodes != null) {
                for (int i = 0; i < hourNodes.size(); i++) {
                    Window w = window(hourNodes.get(i), where, "hours[" + i + "]", true);
                    if (w != null) hours.add(w);
                }
            }

            List<Contact> contacts = new ArrayList<>();
            Set<String> contactNames = new HashSet<>();
            List<Node> contactNodes = f.list("contacts", false);
            if (contactNodes != null) {
                for (int i = 0; i < contactNodes.size(); i++) {
                    Contact c = contact(contactNodes.get(i), where, "contacts[" + i + "]", region, contactNames);
                    if (c != null) contacts.add(c);
                }
            }

            List<Rule> rules = new ArrayList<>();
            List<Node> ruleNodes = f.list("rules", false);
            if (ruleNodes != null) {
                ClientScope scope = new ClientScope(where, region, contactNames, linesComplete ? lines : null);
                for (int i = 0; i < ruleNodes.size(); i++) {
                    Rule r = rule(ruleNodes.get(i), scope, "rules[" + i + "]");
                    if (r != null) rules.add(r);
                }
            }

            List<IntakeField> intake = intake(f, where);
            LocalTime digest = null;
            String digestText = f.text("digest", false);
            if (digestText != null) {
                try {
                    digest = LocalTime.ofSecondOfDay(Window.parseTime(digestText, false) * 60L);
                } catch (IllegalArgumentException e) {
                    problem("time-invalid", where, "digest", digestText, "not a time HH:MM (00:00 to 23:59)");
                }
            }

            CalendarSource calendar = calendar(f, where);
            HolidayRegion holidays = holidays(f, where);
            String instructions = handlingText(f, "instructions", Client.MAX_INSTRUCTIONS);

            String email = email(f);
            EmailFor emailFor = EmailFor.DIGEST;
            String emailForText = f.text("email-for", false);
            if (emailForText != null) {
                try {
                    emailFor = EmailFor.parse(emailForText);
                } catch (IllegalArgumentException e) {
                    problem(where, "email-for", emailForText, "expected all, urgent or digest" + at(f.node("email-for")));
                }
                if (email == null && !f.has("email")) {
                    problem(where, "email-for", emailForText, "needs an email address ('email')" + at(f.node("email-for")));
                }
            }
            List<OnCall> oncall = new ArrayList<>();
            List<Node> oncallNodes = f.list("oncall", false);
            if (oncallNodes != null) {
                for (int i = 0; i < oncallNodes.size(); i++) {
                    OnCall o = oncall(oncallNodes.get(i), where, "oncall[" + i + "]", region);
                    if (o != null) oncall.add(o);
                }
            }
            EscalationPolicy escalation = escalation(f, defaults.escalation());

            if (problems.size() != before || zone == null || language == null || region == null) return null;
            return new Client(id, name, shortName, greeting, lines, reach, sms, region, zone, language, pinHash,
                    hours, contacts, rules, intake, digest, calendar, holidays, instructions, email, emailFor, oncall,
                    escalation);
        }

        /** {@code calendar: {url, book-into}}: an ICS feed, a file or a CalDAV collection; no credentials. */
        private CalendarSource calendar(Fields f, String where) {
            Node node = f.node("calendar");
            if (node == null) return null;
            Fields c = fields(node, where, "calendar", CALENDAR_KEYS);
            if (c == null) return null;
            String url = c.text("url", true);
            Boolean bookInto = c.bool("book-into", false);
            if (url == null) return null;
            String why = CalendarSource.problem(url, bookInto != null && bookInto);
            if (why != null) {
                // the URL is not echoed when it is refused for holding credentials: problems end up in logs
                boolean secret = why.startsWith("must not hold");
                problem(where, c.path("url"), secret ? null : url, why + at(c.node("url")));
                return null;
            }
            return new CalendarSource(url, bookInto != null && bookInto);
        }

        /** {@code holidays: DE-BY}: a region jollyday knows. */
        private HolidayRegion holidays(Fields f, String where) {
            String text = f.text("holidays", false);
            if (text == null) return null;
            try {
                return HolidayRegion.parse(text);
            } catch (IllegalArgumentException e) {
                problem(where, "holidays", text, e.getMessage() + at(f.node("holidays")));
                return null;
            }
        }

        private String email(Fields f) {
            String text = f.text("email", false);
            if (text == null) return null;
            String t = text.strip();
            if (t.length() > 254 || !EMAIL.matcher(t).matches()) {
                problem(f.where, "email", text, "not an e-mail address (name@example.de)" + at(f.node("email")));
                return null;
            }
            return t;
        }

        /**
         * {@code { name, number, days?, from?, to? }}: {@code from}/{@code to} are both times ({@code HH:MM}, with
         * or without {@code days}) or both dates ({@code YYYY-MM-DD}, inclusive; one of them may be left out).
         */
        private OnCall oncall(Node node, String where, String path, String region) {
            int first = problems.size();
            try {
                return oncallEntry(node, where, path, region);
            } finally {
                withLine(first, node);
            }
        }

        /** Adds the line of {@code node} to the problems reported since {@code first} that name none. */
        private void withLine(int first, Node node) {
            String line = at(node);
            for (int i = first; i < problems.size(); i++) {
                BookProblem p = problems.get(i);
                if (!p.why().contains("(line ")) problems.set(i, new BookProblem(p.where(), p.field(), p.value(), p.why() + line));
            }
        }

        private OnCall oncallEntry(Node node, String where, String path, String region) {
            Fields f = fields(node, where, path, ONCALL_KEYS);
            if (f == null) return null;
            int before = problems.size();
            String name = f.text("name", true);
            String numberText = f.text("number", true);
            String number = numberText == null || region == null ? null
                    : fullNumber(numberText, region, where, f.path("number"));
            String fromText = f.text("from", false);
            String toText = f.text("to", false);
            boolean fromDate = fromText != null && DATE.matcher(fromText.strip()).matches();
            boolean toDate = toText != null && DATE.matcher(toText.strip()).matches();
            Window window = null;
            java.time.LocalDate first = null;
            java.time.LocalDate last = null;
            if (fromDate || toDate) {
                if (fromText != null && !fromDate || toText != null && !toDate) {
                    problem(where, f.path(fromDate ? "to" : "from"), fromDate ? toText : fromText,
                            "from and to are both dates (YYYY-MM-DD) or both times (HH:MM)");
                } else if (f.has("days")) {
                    problem(where, f.path("days"), f.text("days", false), "a date range takes no days");
                } else {
                    first = date(f, "from");
                    last = date(f, "to");
                    if (first != null && last != null && last.isBefore(first)) {
                        problem(where, f.path("to"), toText, "ends before 'from' " + first);
                    }
                }
            } else if (fromText != null || toText != null || f.has("days")) {
                if (fromText == null || toText == null) {
                    String missing = fromText == null ? "from" : "to";
                    if (fromText != null || toText != null) {
                        problem(where, f.path(missing), null, "a time range needs both from and to (HH:MM)");
                    }
                }
                if (fromText == null && toText == null) {
                    String days = f.text("days", false);
                    try {
                        window = new Window(DaySet.parse(days), 0, Window.END_OF_DAY);
                    } catch (IllegalArgumentException e) {
                        problem(where, f.path("days"), days, e.getMessage());
                    }
                } else if (fromText != null && toText != null) {
                    DaySet days = DaySet.of(0x7f);
                    if (f.has("days")) {
                        String dayText = f.text("days", false);
                        try {
                            days = dayText == null ? null : DaySet.parse(dayText);
                        } catch (IllegalArgumentException e) {
                            problem(where, f.path("days"), dayText, e.getMessage());
                            days = null;
                        }
                    }
                    Integer from = time(f, "from", false);
                    Integer to = time(f, "to", true);
                    if (days != null && from != null && to != null) window = new Window(days, from, to);
                }
            }
            if (problems.size() != before || name == null || number == null) return null;
            return new OnCall(name.strip(), number, window, first, last);
        }

        private java.time.LocalDate date(Fields f, String key) {
            String text = f.text(key, false);
            if (text == null) return null;
            try {
                return java.time.LocalDate.parse(text.strip());
            } catch (java.time.format.DateTimeParseException e) {
                problem(f.where, f.path(key), text, "not a date YYYY-MM-DD");
                return null;
            }
        }

        /** {@code intake:} a list of names, or of {@code {name: ..., required: true}}. */
        private List<IntakeField> intake(Fields f, String where) {
            List<IntakeField> out = new ArrayList<>();
            List<Node> nodes = f.list("intake", false);
            if (nodes == null) return out;
            Set<String> names = new HashSet<>();
            for (int i = 0; i < nodes.size(); i++) {
                String path = "intake[" + i + "]";
                Node n = nodes.get(i);
                String name;
                boolean required = false;
                if (n instanceof MappingNode) {
                    Fields g = fields(n, where, path, INTAKE_KEYS);
                    if (g == null) continue;
                    name = g.text("name", true);
                    Boolean r = g.bool("required", false);
                    required = r != null && r;
                } else {
                    name = scalar(n, where, path);
                }
                if (name == null) continue;
                String trimmed = name.strip();
                if (trimmed.isEmpty() || trimmed.length() > IntakeField.MAX_NAME) {
                    problem("intake-name-length", where, path, name, "an intake field name is 1 to " + IntakeField.MAX_NAME + " characters");
                } else if (!names.add(trimmed)) {
                    problem("intake-name-taken", where, path, name, "another intake field of this client has this name");
                } else {
                    out.add(new IntakeField(trimmed, required));
                }
            }
            return out;
        }

        /**
         * A note for the secretary (client {@code instructions}, contact {@code note}): free text of 1 to {@code max}
         * characters, stripped; null when absent. A problem names the line, as the console's book editor numbers them.
         */
        private String handlingText(Fields f, String key, int max) {
            String text = f.text(key, false);
            if (text == null) return null;
            String stripped = text.strip();
            if (stripped.isEmpty() || stripped.length() > max) {
                problemAt(f.node(key), "note-length", f.where, f.path(key), text, "must be 1 to " + max + " characters of text" + at(f.node(key)));
                return null;
            }
            return stripped;
        }

        /** What a rule of a client may refer to; {@code lines} is null when some line could not be read. */
        private record ClientScope(String where, String region, Set<String> contactNames, List<String> lines) {
        }

        private String number(Fields f, String key, String region) {
            String text = f.text(key, false);
            if (text == null || region == null) return null;
            return fullNumber(text, region, f.where, key);
        }

        private String fullNumber(String text, String region, String where, String field) {
            if (text.trim().endsWith("*")) {
                problem("number-is-pattern", where, field, text, "must be a full number, not a pattern");
                return null;
            }
            try {
                return PhoneNumbers.toE164(text, region);
            } catch (PhoneNumbers.UnreadableNumberException e) {
                problem("number-unreadable", where, field, text, numberWhy(e, region));
                return null;
            }
        }

        private NumberPattern pattern(String text, String region, String where, String field) {
            try {
                return PhoneNumbers.toPattern(text, region);
            } catch (IllegalArgumentException e) {
                problem("number-unreadable", where, field, text, numberWhy(e, region));
                return null;
            }
        }

        private static String numberWhy(RuntimeException e, String region) {
            return "not a phone number (region " + region + "): " + e.getMessage();
        }

        private String pin(Fields f) {
            boolean hasPin = f.has("pin");
            boolean hasHash = f.has("pin-hash");
            if (hasPin && hasHash) {
                problem("pin-and-hash", f.where, "pin", null, "give either pin or pin-hash, not both");
                return null;
            }
            if (hasPin) {
                // The PIN itself never goes into a problem: problems end up in logs and on screens.
                String pin = f.text("pin", false);
                if (pin == null) return null;
                if (!PIN.matcher(pin.trim()).matches()) {
                    problem("pin-invalid", f.where, "pin", null, "must be 4 to 8 digits (value not shown)");
                    return null;
                }
                return pins.hash(pin.trim());
            }
            if (hasHash) {
                String hash = f.text("pin-hash", false);
                if (hash == null) return null;
                if (!PinHasher.isHash(hash.trim())) {
                    problem("pin-hash-invalid", f.where, "pin-hash", null, "not a hash written by export (pbkdf2-sha256$ITER$SALT$HASH)");
                    return null;
                }
                return hash.trim();
            }
            return null;
        }

        private Window window(Node node, String where, String path, boolean daysRequired) {
            Fields f = fields(node, where, path, WINDOW_KEYS);
            if (f == null) return null;
            int before = problems.size();
            DaySet days = null;
            String dayText = f.text("days", daysRequired);
            if (dayText != null) {
                try {
                    days = DaySet.parse(dayText);
                } catch (IllegalArgumentException e) {
                    problem("days-invalid", where, f.path("days"), dayText, e.getMessage());
                }
            } else if (!daysRequired) {
                days = DaySet.of(0x7f);
            }
            Integer from = time(f, "from", false);
            Integer to = time(f, "to", true);
            if (problems.size() != before || days == null || from == null || to == null) return null;
            return new Window(days, from, to);
        }

        private Integer time(Fields f, String key, boolean endOfDay) {
            String text = f.text(key, true);
            if (text == null) return null;
            try {
                return Window.parseTime(text, endOfDay);
            } catch (IllegalArgumentException e) {
                boolean endWord = text.trim().equals("24:00");
                problemAt(f.node(key), "time-invalid", f.where, f.path(key), text, endWord
                        ? "24:00 may only end a window ('to'); a window from midnight starts at 00:00"
                        : "not a time HH:MM (00:00 to 23:59" + (endOfDay ? ", or 24:00" : "") + ")");
                return null;
            }
        }

        private Contact contact(Node node, String where, String path, String region, Set<String> names) {
            Fields f = fields(node, where, path, CONTACT_KEYS);
            if (f == null) return null;
            int before = problems.size();
            String name = f.text("name", true);
            if (name != null && !names.add(name)) {
                problem("contact-name-taken", where, f.path("name"), name, "another contact of this client has this name");
            }
            List<NumberPattern> numbers = new ArrayList<>();
            List<Node> numberNodes = f.list("numbers", true);
            if (numberNodes != null && numberNodes.isEmpty()) {
                problem("numbers-missing", where, f.path("numbers"), null, "needs at least one number or pattern");
            }
            if (numberNodes != null && region != null) {
                for (int i = 0; i < numberNodes.size(); i++) {
                    String field = f.path("numbers") + "[" + i + "]";
                    String text = scalar(numberNodes.get(i), where, field);
                    NumberPattern p = text == null ? null : pattern(text, region, where, field);
                    if (p != null) numbers.add(p);
                }
            }
            ContactClass cls = ContactClass.NORMAL;
            String clsText = f.text("class", false);
            if (clsText != null) {
                cls = switch (clsText) {
                    case "vip" -> ContactClass.VIP;
                    case "normal" -> ContactClass.NORMAL;
                    case "blocked" -> ContactClass.BLOCKED;
                    default -> {
                        problem("class-invalid", where, f.path("class"), clsText, "expected vip, normal or blocked");
                        yield null;
                    }
                };
            }
            String note = handlingText(f, "note", Contact.MAX_NOTE);
            if (problems.size() != before || name == null || region == null) return null;
            return new Contact(name, numbers, cls, note);
        }

        private Rule rule(Node node, ClientScope scope, String path) {
            Fields f = fields(node, scope.where, path, RULE_KEYS);
            if (f == null) return null;
            int before = problems.size();
            Condition condition = Condition.ALWAYS;
            Node ifNode = f.node("if");
            if (ifNode != null) condition = condition(ifNode, scope, f.path("if"));
            Action action = null;
            String then = f.text("then", true);
            if (then != null) {
                try {
                    action = Action.parse(then);
                } catch (IllegalArgumentException e) {
                    problem("action-invalid", scope.where, f.path("then"), then, "expected put-through, screen, message or reject");
                }
            }
            Boolean urgent = f.bool("urgent", false);
            if (problems.size() != before || condition == null || action == null) return null;
            return new Rule(condition, action, urgent != null && urgent);
        }

        private Condition condition(Node node, ClientScope scope, String path) {
            Fields f = fields(node, scope.where, path, CONDITION_KEYS);
            if (f == null) return null;
            String where = scope.where;
            int before = problems.size();
            CallerClass caller = null;
            String callerText = f.text("caller", false);
            if (callerText != null) {
                try {
                    caller = CallerClass.parse(callerText);
                } catch (IllegalArgumentException e) {
                    problem("caller-class-invalid", where, f.path("caller"), callerText,
                            "expected vip, known, unknown, anonymous, blocked or expected");
                }
            }
            String contact = f.text("contact", false);
            if (contact != null && !scope.contactNames.contains(contact)) {
                problem("contact-unknown", where, f.path("contact"), contact, "this client has no contact of that name");
            }
            NumberPattern number = null;
            String numberText = f.text("number", false);
            if (numberText != null && scope.region != null) {
                number = pattern(numberText, scope.region, where, f.path("number"));
            }
            Boolean available = f.bool("available", false);
            Status status = null;
            String statusText = f.text("status", false);
            if (statusText != null) {
                try {
                    status = Status.parse(statusText);
                } catch (IllegalArgumentException e) {
                    problem("status-invalid", where, f.path("status"), statusText, "expected available, unavailable or dnd");
                }
            }
            Window time = null;
            Node timeNode = f.node("time");
            if (timeNode != null) time = window(timeNode, where, f.path("time"), false);
            String line = null;
            String lineText = f.text("line", false);
            if (lineText != null && scope.region != null) {
                line = fullNumber(lineText, scope.region, where, f.path("line"));
                if (line != null && scope.lines != null && !scope.lines.contains(line)) {
                    problem("line-not-client", where, f.path("line"), lineText, "line " + line + " is not one of this client's lines");
                }
            }
            if (problems.size() != before) return null;
            return new Condition(caller, contact, number, available, status, time, line);
        }

        // ---- reading nodes ----

        /** The keys of one mapping, checked against the allowed ones; null (and a problem) if not a mapping. */
        private Fields fields(Node node, String where, String path, List<String> allowed) {
            if (!(node instanceof MappingNode m)) {
                problemAt(node, "mapping-expected", where, path, valueOf(node), "expected a mapping (key: value), found " + kind(node));
                return null;
            }
            Map<String, Node> values = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            for (NodeTuple t : m.getValue()) {
                Node k = t.getKeyNode();
                if (!(k instanceof ScalarNode ks)) {
                    problemAt(k, "key-not-word", where, path, null, "a key must be a plain word, found " + kind(k) + at(k));
                    continue;
                }
                String key = ks.getValue();
                String keyPath = join(path, key);
                if (!allowed.contains(key)) {
                    problemAt(k, "key-unknown", where, keyPath, null, "unknown key '" + key + "'" + at(k) + ", expected one of: "
                            + String.join(", ", allowed));
                    continue;
                }
                if (!seen.add(key)) {
                    problemAt(k, "key-duplicate", where, keyPath, null, "duplicate key '" + key + "'" + at(k));
                    continue;
                }
                Node value = t.getValueNode();
                if (!isNull(value)) values.put(key, value);
            }
            return new Fields(where, path, values, seen);
        }

        /** The present, non-null values of one mapping, read with problems reported against its path. */
        private final class Fields {
            final String where;
            final String path;
            private final Map<String, Node> values;
            private final Set<String> keys;

            Fields(String where, String path, Map<String, Node> values, Set<String> keys) {
                this.where = where;
                this.path = path;
                this.values = values;
                this.keys = keys;
            }

            /** Written as {@code key: ~} or {@code key:} with nothing after it. */
            boolean isExplicitNull(String key) {
                return keys.contains(key) && !values.containsKey(key);
            }

            boolean has(String key) {
                return values.containsKey(key);
            }

            Node node(String key) {
                return values.get(key);
            }

            String path(String key) {
                return join(path, key);
            }

            private Node required(String key, boolean required) {
                Node n = values.get(key);
                if (n == null && required) problem("required", where, path(key), null, "is required");
                return n;
            }

            String text(String key, boolean required) {
                Node n = required(key, required);
                return n == null ? null : scalar(n, where, path(key));
            }

            Integer integer(String key, boolean required) {
                Node n = required(key, required);
                if (n == null) return null;
                String text = scalar(n, where, path(key));
                if (text == null) return null;
                if (!INT.matcher(text.trim()).matches()) {
                    problemAt(n, "number-expected", where, path(key), text, "expected a whole number");
                    return null;
                }
                return Integer.parseInt(text.trim());
            }

            Boolean bool(String key, boolean required) {
                Node n = required(key, required);
                if (n == null) return null;
                String text = scalar(n, where, path(key));
                if (text == null) return null;
                String t = text.trim().toLowerCase(Locale.ROOT);
                if (t.equals("true")) return Boolean.TRUE;
                if (t.equals("false")) return Boolean.FALSE;
                problemAt(n, "boolean-expected", where, path(key), text, "expected true or false");
                return null;
            }

            List<Node> list(String key, boolean required) {
                Node n = required(key, required);
                if (n == null) return null;
                if (n instanceof SequenceNode s) return s.getValue();
                problemAt(n, "list-expected", where, path(key), valueOf(n), "expected a list [...], found " + kind(n));
                return null;
            }
        }

        private String scalar(Node n, String where, String field) {
            if (n instanceof ScalarNode s) return s.getValue();
            problemAt(n, "value-expected", where, field, null, "expected a single value, found " + kind(n));
            return null;
        }

        /** A problem without a code of its own ({@code invalid}), at the line of what is being read. */
        private void problem(String where, String field, String value, String why) {
            problem(BookProblem.INVALID, where, field, value, why);
        }

        private void problem(String code, String where, String field, String value, String why) {
            problems.add(new BookProblem(where, field, value, why, code, whereLine));
        }

        /** A problem at the line where {@code node} starts. */
        private void problemAt(Node node, String code, String where, String field, String value, String why) {
            Mark m = node == null ? null : node.getStartMark();
            problems.add(new BookProblem(where, field, value, why, code, m == null ? whereLine : m.getLine() + 1));
        }
    }

    private static int lineOf(Node node) {
        Mark m = node == null ? null : node.getStartMark();
        return m == null ? 0 : m.getLine() + 1;
    }

    private static String whereOf(Node node, String what, String fallback) {
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("id")
                        && t.getValueNode() instanceof ScalarNode v && !isNull(v)) {
                    return what + " '" + v.getValue() + "'";
                }
            }
        }
        return fallback;
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL) && s.isPlain();
    }

    private static String valueOf(Node n) {
        return n instanceof ScalarNode s ? s.getValue() : null;
    }

    private static String kind(Node n) {
        if (n instanceof MappingNode) return "a mapping";
        if (n instanceof SequenceNode) return "a list";
        return "text";
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String at(Node n) {
        Mark m = n.getStartMark();
        return m == null ? "" : " (line " + (m.getLine() + 1) + ")";
    }

    private static BookProblem syntaxProblem(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        return new BookProblem("book", "", null, syntaxError(e), "yaml-syntax", mark == null ? 0 : mark.getLine() + 1);
    }

    private static String syntaxError(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        boolean syntax = e instanceof ScannerException || e instanceof ParserException;
        StringBuilder sb = new StringBuilder(syntax ? "YAML syntax error" : "YAML error");
        if (mark != null) sb.append(" at line ").append(mark.getLine() + 1).append(", column ").append(mark.getColumn() + 1);
        String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
        if (problem != null) sb.append(": ").append(problem);
        if (e.getContext() != null && e.getProblem() != null) sb.append(" (").append(e.getContext()).append(')');
        return sb.toString();
    }
}

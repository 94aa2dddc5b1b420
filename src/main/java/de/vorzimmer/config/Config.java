package de.vorzimmer.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The server's configuration: one YAML file, every key also settable by an environment variable
 * ({@code VORZIMMER_} + the key path in upper case with {@code _}, e.g. {@code VORZIMMER_TWILIO_AUTH_TOKEN}).
 * The environment wins over the file. Unknown keys and bad values stop the start with the key named.
 */
public final class Config {
    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    /** Adds {@code Secure} to the console's session cookie; set it whenever the console is served over HTTPS. */
    public static final String HTTP_SECURE_COOKIES = "http.secure-cookies";
    /** The console admin's initial password (used only while no admin exists). */
    public static final String CONSOLE_ADMIN_PASSWORD = "console.admin-password";
    /** Failed console logins per username within {@link #CONSOLE_LOGIN_WINDOW} before that username is locked (0: off). */
    public static final String CONSOLE_LOGIN_MAX_FAILURES = "console.login.max-failures";
    /** Failed console logins per remote address within the window before that address is locked (0: off). */
    public static final String CONSOLE_LOGIN_MAX_FAILURES_PER_ADDRESS = "console.login.max-failures-per-address";
    /** The window failed logins are counted in, and how long a lock lasts. */
    public static final String CONSOLE_LOGIN_WINDOW = "console.login.window";
    public static final String AGI_HOST = "agi.host";
    public static final String AGI_PORT = "agi.port";
    /** The whole AGI environment must arrive this long after a FastAGI connection opens (and quick answers within it). */
    public static final String AGI_REQUEST_TIMEOUT = "agi.request-timeout";
    /** How long one phone-in command (a prompt or message playing, a key entry) may take on the FastAGI connection. */
    public static final String AGI_COMMAND_TIMEOUT = "agi.command-timeout";
    /** An HTTP connection with no byte in either direction for this long is closed. */
    public static final String HTTP_IDLE_TIMEOUT = "http.idle-timeout";
    /** An HTTP request must arrive whole (head and body) this long after its connection opened or its predecessor ended. */
    public static final String HTTP_REQUEST_TIMEOUT = "http.request-timeout";
    public static final String DB = "db";
    public static final String DB_SYNC = "db.synchronous";
    /** The PostgreSQL user and password when {@code db} is a {@code jdbc:postgresql:} URL. */
    public static final String DB_USER = "db.user";
    public static final String DB_PASSWORD = "db.password";
    /** This node's name in the {@code leases} table and on the shared event bus (default: host name and process id). */
    public static final String NODE_NAME = "node.name";
    /** The key file phone-in PIN hashes are keyed with (default: {@code pin-pepper.key} beside the database file). */
    public static final String PIN_PEPPER_FILE = "pin.pepper-file";
    public static final String AMI_HOST = "ami.host";
    public static final String AMI_PORT = "ami.port";
    public static final String AMI_USER = "ami.user";
    public static final String AMI_SECRET = "ami.secret";
    public static final String RECORDINGS = "asterisk.recordings";
    public static final String REACH_DIAL = "asterisk.reach-dial";
    /**
     * The recordings folder as Asterisk names it, when the server sees it under another path ({@link #RECORDINGS}):
     * paths Asterisk reports under this prefix are read under {@link #RECORDINGS} instead.
     */
    public static final String RECORDINGS_PBX_PATH = "asterisk.recordings-pbx-path";
    /** Serves {@code GET /metrics} (Prometheus text format); off by default. */
    public static final String METRICS_ENABLED = "metrics.enabled";
    /** If set, {@code GET /metrics} asks for {@code Authorization: Bearer} this token. */
    public static final String METRICS_TOKEN = "metrics.token";
    /** The level of the one log line per routed call: {@code info}, {@code debug} or {@code off}. */
    public static final String LOG_CALL_LEVEL = "log.call-level";
    /** Sockets on Linux's epoll through Netty's native transport where it loads (default), else on Java NIO. */
    public static final String NET_NATIVE_TRANSPORT = "net.native-transport";
    public static final String TWILIO_ACCOUNT_SID = "twilio.account-sid";
    public static final String TWILIO_AUTH_TOKEN = "twilio.auth-token";
    public static final String TWILIO_PUBLIC_URL = "twilio.public-url";
    public static final String TWILIO_FROM = "twilio.from";
    public static final String TWILIO_API_URL = "twilio.api-url";
    /** How long the SMS outbox keeps retrying a notification before marking it failed (e.g. 1h, 30m, 90s). */
    public static final String NOTIFY_GIVE_UP_AFTER = "notify.give-up-after";
    /** Time-out of one SMS provider request (connect, read). */
    public static final String NOTIFY_TIMEOUT = "notify.timeout";
    /** SMTP server for messages and digests by e-mail; unset: no e-mail. */
    public static final String MAIL_HOST = "mail.host";
    public static final String MAIL_PORT = "mail.port";
    /** {@code required} (default), {@code optional} or {@code off}: STARTTLS before authenticating. */
    public static final String MAIL_STARTTLS = "mail.starttls";
    public static final String MAIL_USER = "mail.user";
    public static final String MAIL_PASSWORD = "mail.password";
    /** The sender address of every e-mail, e.g. {@code "Vorzimmer <vorzimmer@example.de>"}. */
    public static final String MAIL_FROM = "mail.from";
    /** Time-out of one SMTP exchange. */
    public static final String MAIL_TIMEOUT = "mail.timeout";
    /** A PEM file of certificates to trust for STARTTLS besides the system's (a firm's own mail server CA). */
    public static final String MAIL_TRUST = "mail.trust-pem";
    /** The console's address as the recipients of e-mails reach it, for links (default: http://http.host:http.port). */
    public static final String CONSOLE_PUBLIC_URL = "console.public-url";
    /** How long an answered call-out may last before its end, if never reported, counts as lost. */
    public static final String ESCALATION_CALL_MAX = "escalation.call-max";
    /** How often the housekeeping job deletes what has aged out (see the {@code retention.*} keys). */
    public static final String HOUSEKEEPING_INTERVAL = "housekeeping.interval";
    /** Twilio call rows, counted from their last update (a call still in progress is always kept). */
    public static final String RETENTION_TWILIO_CALLS = "retention.twilio-calls";
    /** Dialog state of Twilio phone-in calls, counted from its last update. */
    public static final String RETENTION_PHONEIN_SESSIONS = "retention.phonein-sessions";
    /** Phone-in PIN attempts and lockouts (never those the lockout rule still needs). */
    public static final String RETENTION_PHONEIN_PINS = "retention.phonein-pins";
    /** The call log (one row per decision). */
    public static final String RETENTION_CALL_LOG = "retention.call-log";
    /** Secretaries' choices on ringing calls. */
    public static final String RETENTION_CALL_CHOICES = "retention.call-choices";
    /** Status and expect overrides, counted from when they stopped mattering. */
    public static final String RETENTION_OVERRIDES = "retention.overrides";
    /** SMS outbox rows that were sent or failed (pending ones are never deleted). */
    public static final String RETENTION_OUTBOX = "retention.outbox";
    /** Imported client books replaced that long ago (the book in force is always kept). */
    public static final String RETENTION_BOOK_VERSIONS = "retention.book-versions";
    /** How often each client's calendar is fetched (at least every minute). */
    public static final String CALENDAR_REFRESH = "calendar.refresh";
    /** Time-out of one calendar request (connect, and the whole response). */
    public static final String CALENDAR_TIMEOUT = "calendar.timeout";
    /** Largest calendar accepted, in bytes (e.g. 10000000); a larger one is refused with an error. */
    public static final String CALENDAR_MAX_BYTES = "calendar.max-bytes";
    /** How far ahead calendars are expanded into busy times (the board and the free/busy view read within it). */
    public static final String CALENDAR_HORIZON = "calendar.horizon";
    /**
     * Per-client calendar credentials: {@code calendar.credentials.CLIENT.user} and {@code .password}, or
     * {@code VORZIMMER_CALENDAR_CREDENTIALS_CLIENT_USER} / {@code _PASSWORD} (client id upper-cased, '-' as '_').
     */
    public static final String CALENDAR_CREDENTIALS = "calendar.credentials";
    /** The step secretary time is counted in for the usage report: each call rounded up to whole steps (1s to 1h). */
    public static final String USAGE_STEP = "usage.step";

    /** Every key with its default (null: unset). Order is the documented order. */
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put(HTTP_HOST, "127.0.0.1");
        DEFAULTS.put(HTTP_PORT, "8080");
        DEFAULTS.put(HTTP_SECURE_COOKIES, "false");
        DEFAULTS.put(AGI_HOST, "127.0.0.1");
        DEFAULTS.put(AGI_PORT, "4573");
        DEFAULTS.put(AGI_REQUEST_TIMEOUT, "5s");
        DEFAULTS.put(AGI_COMMAND_TIMEOUT, "5m");
        DEFAULTS.put(HTTP_IDLE_TIMEOUT, "60s");
        DEFAULTS.put(HTTP_REQUEST_TIMEOUT, "30s");
        DEFAULTS.put(DB, "data/vorzimmer.db");
        DEFAULTS.put(DB_SYNC, "full");
        DEFAULTS.put(DB_USER, null);
        DEFAULTS.put(DB_PASSWORD, null);
        DEFAULTS.put(NODE_NAME, null);
        DEFAULTS.put(PIN_PEPPER_FILE, null);
        DEFAULTS.put(AMI_HOST, null);
        DEFAULTS.put(AMI_PORT, "5038");
        DEFAULTS.put(AMI_USER, null);
        DEFAULTS.put(AMI_SECRET, null);
        DEFAULTS.put(RECORDINGS, null);
        DEFAULTS.put(REACH_DIAL, "Local/{number}@vorzimmer-reach");
        DEFAULTS.put(RECORDINGS_PBX_PATH, null);
        DEFAULTS.put(TWILIO_ACCOUNT_SID, null);
        DEFAULTS.put(TWILIO_AUTH_TOKEN, null);
        DEFAULTS.put(TWILIO_PUBLIC_URL, null);
        DEFAULTS.put(TWILIO_FROM, null);
        DEFAULTS.put(TWILIO_API_URL, null);
        DEFAULTS.put(NOTIFY_GIVE_UP_AFTER, "1h");
        DEFAULTS.put(NOTIFY_TIMEOUT, "10s");
        DEFAULTS.put(MAIL_HOST, null);
        DEFAULTS.put(MAIL_PORT, "587");
        DEFAULTS.put(MAIL_STARTTLS, "required");
        DEFAULTS.put(MAIL_USER, null);
        DEFAULTS.put(MAIL_PASSWORD, null);
        DEFAULTS.put(MAIL_FROM, null);
        DEFAULTS.put(MAIL_TIMEOUT, "20s");
        DEFAULTS.put(MAIL_TRUST, null);
        DEFAULTS.put(CONSOLE_PUBLIC_URL, null);
        DEFAULTS.put(ESCALATION_CALL_MAX, "5m");
        DEFAULTS.put(CONSOLE_ADMIN_PASSWORD, null);
        DEFAULTS.put(CONSOLE_LOGIN_MAX_FAILURES, "5");
        DEFAULTS.put(CONSOLE_LOGIN_MAX_FAILURES_PER_ADDRESS, "20");
        DEFAULTS.put(CONSOLE_LOGIN_WINDOW, "15m");
        DEFAULTS.put(HOUSEKEEPING_INTERVAL, "1h");
        DEFAULTS.put(RETENTION_TWILIO_CALLS, "7d");
        DEFAULTS.put(RETENTION_PHONEIN_SESSIONS, "1d");
        DEFAULTS.put(RETENTION_PHONEIN_PINS, "90d");
        DEFAULTS.put(RETENTION_CALL_LOG, "90d");
        DEFAULTS.put(RETENTION_CALL_CHOICES, "90d");
        DEFAULTS.put(RETENTION_OVERRIDES, "90d");
        DEFAULTS.put(RETENTION_OUTBOX, "90d");
        DEFAULTS.put(RETENTION_BOOK_VERSIONS, "90d");
        DEFAULTS.put(CALENDAR_REFRESH, "5m");
        DEFAULTS.put(CALENDAR_TIMEOUT, "20s");
        DEFAULTS.put(CALENDAR_MAX_BYTES, "10000000");
        DEFAULTS.put(CALENDAR_HORIZON, "35d");
        DEFAULTS.put(METRICS_ENABLED, "false");
        DEFAULTS.put(METRICS_TOKEN, null);
        DEFAULTS.put(LOG_CALL_LEVEL, "info");
        DEFAULTS.put(NET_NATIVE_TRANSPORT, "true");
        DEFAULTS.put(USAGE_STEP, "30s");
    }

    /** The {@code retention.*} keys, in documented order. */
    public static final List<String> RETENTION_KEYS = List.of(RETENTION_TWILIO_CALLS, RETENTION_PHONEIN_SESSIONS,
            RETENTION_PHONEIN_PINS, RETENTION_CALL_LOG, RETENTION_CALL_CHOICES, RETENTION_OVERRIDES, RETENTION_OUTBOX,
            RETENTION_BOOK_VERSIONS);
    /** Upper bound of the login limits: beyond it a limit no longer limits anything. */
    static final int MAX_LOGIN_LIMIT = 10_000;

    private static final List<String> SECRETS = List.of(AMI_SECRET, TWILIO_AUTH_TOKEN, CONSOLE_ADMIN_PASSWORD, DB_PASSWORD, MAIL_PASSWORD,
            METRICS_TOKEN);
    /** The words {@link #LOG_CALL_LEVEL} takes. */
    public static final List<String> CALL_LOG_LEVELS = List.of("info", "debug", "off");

    private final Map<String, String> values;

    private Config(Map<String, String> values) {
        this.values = values;
        port(HTTP_PORT, true);
        port(AGI_PORT, true);
        port(AMI_PORT, false);
        duration(NOTIFY_GIVE_UP_AFTER);
        duration(AGI_REQUEST_TIMEOUT);
        duration(AGI_COMMAND_TIMEOUT);
        duration(HTTP_IDLE_TIMEOUT);
        duration(HTTP_REQUEST_TIMEOUT);
        duration(NOTIFY_TIMEOUT);
        integer(CONSOLE_LOGIN_MAX_FAILURES, 0, MAX_LOGIN_LIMIT);
        integer(CONSOLE_LOGIN_MAX_FAILURES_PER_ADDRESS, 0, MAX_LOGIN_LIMIT);
        duration(CONSOLE_LOGIN_WINDOW);
        duration(HOUSEKEEPING_INTERVAL);
        for (String key : RETENTION_KEYS) duration(key);
        bool(HTTP_SECURE_COOKIES);
        bool(METRICS_ENABLED);
        bool(NET_NATIVE_TRANSPORT);
        String callLevel = string(LOG_CALL_LEVEL) == null ? "" : string(LOG_CALL_LEVEL).trim().toLowerCase(Locale.ROOT);
        if (!CALL_LOG_LEVELS.contains(callLevel)) {
            throw new ConfigException(LOG_CALL_LEVEL + ": '" + string(LOG_CALL_LEVEL) + "' is not info, debug or off");
        }
        duration(CALENDAR_REFRESH);
        duration(CALENDAR_TIMEOUT);
        duration(CALENDAR_HORIZON);
        integer(CALENDAR_MAX_BYTES, 1024, 1_000_000_000);
        usageStep();
        String sync = string(DB_SYNC).toLowerCase(Locale.ROOT);
        if (!List.of("full", "normal").contains(sync)) {
            throw new ConfigException(DB_SYNC + ": '" + sync + "' is not full or normal");
        }
    }

    public static Config defaults() {
        return new Config(new LinkedHashMap<>(DEFAULTS));
    }

    /** Reads the file (if given), then the environment, then the explicit overrides (e.g. from flags). */
    public static Config load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        if (file != null) v.putAll(readFile(file));
        for (String key : DEFAULTS.keySet()) {
            String fromEnv = env.get(envName(key));
            if (fromEnv != null) v.put(key, fromEnv);
        }
        String credentialEnv = envName(CALENDAR_CREDENTIALS) + "_";
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(credentialEnv)) continue;
            String rest = name.substring(credentialEnv.length());
            for (String field : List.of("USER", "PASSWORD")) {
                if (rest.endsWith("_" + field) && rest.length() > field.length() + 1) {
                    String client = rest.substring(0, rest.length() - field.length() - 1);
                    v.put(credentialKey(client, field.toLowerCase(Locale.ROOT)), e.getValue());
                }
            }
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!DEFAULTS.containsKey(e.getKey())) throw new ConfigException("unknown key '" + e.getKey() + "'");
            v.put(e.getKey(), e.getValue());
        }
        return new Config(v);
    }

    public static String envName(String key) {
        return "VORZIMMER_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static List<String> keys() {
        return List.copyOf(DEFAULTS.keySet());
    }

    private static Map<String, String> readFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Object root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new ConfigException("config file " + file + " is not valid YAML: "
                    + e.getMessage().replace('\n', ' '));
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (root == null) return out;
        if (!(root instanceof Map<?, ?> map)) throw new ConfigException("config file " + file + " is not a mapping");
        flatten("", map, out, file);
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out, Path file) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object value = e.getValue();
            if (key.startsWith(CALENDAR_CREDENTIALS + ".") && !(value instanceof Map<?, ?>)) {
                String[] parts = key.substring(CALENDAR_CREDENTIALS.length() + 1).split("\\.");
                if (parts.length != 2 || !List.of("user", "password").contains(parts[1]) || value == null) {
                    throw new ConfigException(file + ": key '" + key + "': expected " + CALENDAR_CREDENTIALS
                            + ".CLIENT.user or .password with a value");
                }
                out.put(credentialKey(parts[0], parts[1]), String.valueOf(value));
            } else if (value instanceof Map<?, ?> sub) {
                if (DEFAULTS.containsKey(key) && !hasKeysBelow(key)) {
                    throw new ConfigException(file + ": key '" + key + "' takes a single value, not a mapping");
                }
                flatten(key + ".", sub, out, file);
            } else if (!DEFAULTS.containsKey(key)) {
                throw new ConfigException(file + ": unknown key '" + key + "'; known keys: " + String.join(", ", keys()));
            } else if (value instanceof List<?>) {
                throw new ConfigException(file + ": key '" + key + "' takes a single value, not a list");
            } else {
                out.put(key, value == null ? null : String.valueOf(value));
            }
        }
    }

    /**
     * Whether keys sit below {@code key} ({@code db.synchronous} below {@code db}): then {@code db: { synchronous:
     * normal }} is the nested spelling of {@code db.synchronous: normal}, and {@code db}'s own value is given flat.
     */
    private static boolean hasKeysBelow(String key) {
        for (String k : DEFAULTS.keySet()) if (k.startsWith(key + ".")) return true;
        return key.equals(CALENDAR_CREDENTIALS);
    }

    public String string(String key) {
        if (!DEFAULTS.containsKey(key)) throw new IllegalArgumentException("unknown key '" + key + "'");
        return values.get(key);
    }

    public boolean has(String key) {
        String v = string(key);
        return v != null && !v.isBlank();
    }

    /** A port; {@code 0} (pick a free one) only where {@code allowZero}. */
    public int port(String key, boolean allowZero) {
        String v = string(key);
        try {
            int p = Integer.parseInt(v.trim());
            if (p < (allowZero ? 0 : 1) || p > 65535) throw new NumberFormatException();
            return p;
        } catch (RuntimeException e) {
            throw new ConfigException(key + ": '" + v + "' is not a port number (" + (allowZero ? 0 : 1) + "..65535)");
        }
    }

    /** {@code true} or {@code false}. */
    public boolean bool(String key) {
        String v = string(key);
        String t = v == null ? "" : v.trim().toLowerCase(Locale.ROOT);
        if (t.equals("true")) return true;
        if (t.equals("false")) return false;
        throw new ConfigException(key + ": '" + v + "' is not true or false");
    }

    /** A whole number from {@code min} to {@code max}. */
    public int integer(String key, int min, int max) {
        String v = string(key);
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (RuntimeException e) {
            throw new ConfigException(key + ": '" + v + "' is not a whole number from " + min + " to " + max);
        }
    }

    /**
     * A positive duration written {@code 500ms}, {@code 90s}, {@code 30m}, {@code 1h}, {@code 7d} or ISO-8601
     * ({@code PT1H}, {@code P7D}).
     */
    public java.time.Duration duration(String key) {
        String v = string(key);
        java.time.Duration d = null;
        if (v != null) {
            String t = v.trim().toLowerCase(Locale.ROOT);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)").matcher(t);
            try {
                if (m.matches()) {
                    long n = Long.parseLong(m.group(1));
                    d = switch (m.group(2)) {
                        case "ms" -> java.time.Duration.ofMillis(n);
                        case "s" -> java.time.Duration.ofSeconds(n);
                        case "m" -> java.time.Duration.ofMinutes(n);
                        case "h" -> java.time.Duration.ofHours(n);
                        default -> java.time.Duration.ofDays(n);
                    };
                } else {
                    d = java.time.Duration.parse(v.trim());
                }
            } catch (java.time.format.DateTimeParseException e) {
                d = null;
            }
        }
        if (d == null || d.isZero() || d.isNegative()) {
            throw new ConfigException(key + ": '" + v + "' is not a positive duration (e.g. 500ms, 90s, 30m, 1h, 7d)");
        }
        return d;
    }

    /** A client's calendar user name or password ({@code field} user or password), or null. */
    public String calendarCredential(String clientId, String field) {
        return values.get(credentialKey(clientId, field));
    }

    /** The key a credential is kept under: the client id as its environment name spells it, so both meet. */
    private static String credentialKey(String client, String field) {
        return CALENDAR_CREDENTIALS + "." + client.toUpperCase(Locale.ROOT).replace('-', '_') + "." + field;
    }

    /** {@link #USAGE_STEP}: whole seconds from 1 s to 1 h. */
    public java.time.Duration usageStep() {
        java.time.Duration d = duration(USAGE_STEP);
        if (d.toMillis() % 1000 != 0 || d.compareTo(java.time.Duration.ofHours(1)) > 0) {
            throw new ConfigException(USAGE_STEP + ": '" + string(USAGE_STEP) + "' is not whole seconds from 1s to 1h");
        }
        return d;
    }

    public Path path(String key) {
        return Path.of(string(key));
    }

    /** All settings with secrets masked, for the start-up log. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v == null) return;
            boolean secret = SECRETS.contains(k) || (k.startsWith(CALENDAR_CREDENTIALS + ".") && k.endsWith(".password"));
            m.put(k, secret ? "***" : v);
        });
        return m;
    }

    public List<String> secretsMissingFor(String... keys) {
        List<String> missing = new ArrayList<>();
        for (String k : keys) if (!has(k)) missing.add(k);
        return missing;
    }
}

package de.vorzimmer.server;

import de.vorzimmer.asterisk.AmiService;
import de.vorzimmer.asterisk.AsteriskLive;
import de.vorzimmer.asterisk.DialStrings;
import de.vorzimmer.asterisk.agi.AgiLimits;
import de.vorzimmer.calendar.FeedFetcher;
import de.vorzimmer.config.Config;
import de.vorzimmer.book.PinPepper;
import de.vorzimmer.config.ConfigException;
import de.vorzimmer.console.ConsoleAuth;
import de.vorzimmer.console.LoginThrottle;
import de.vorzimmer.console.RecordingApi;
import de.vorzimmer.mail.SmtpMailer;
import de.vorzimmer.messages.Messaging;
import de.vorzimmer.notify.SmsSender;
import de.vorzimmer.notify.TwilioSmsSender;
import de.vorzimmer.store.Database;
import de.vorzimmer.store.Durability;
import de.vorzimmer.twilio.TwilioSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Everything the server takes from its configuration, read and checked once, before anything is opened: a bad key
 * stops the start-up with a {@link ConfigException} naming it, and no database file is created for a configuration
 * that turns out wrong. Past this point no part of the server sees {@link Config}; each gets the values it needs.
 *
 * @param twilio     the webhooks' settings, or null when {@code twilio.auth-token} or {@code twilio.public-url} is unset
 * @param twilioRest the REST API for the console's choices on Twilio calls, or null without {@code twilio.account-sid}
 * @param recordings Asterisk's recordings folder, or null
 * @param usageStep  the step secretary time is counted in for the usage report
 * @param twilioRecordings where the inbox fetches Twilio recordings, or null without a Twilio account
 * @param pinPepperFile the key file phone-in PIN hashes are keyed with ({@code pin.pepper-file}, else beside the database)
 * @param node       this node's name among the nodes sharing a database
 * @param escalation how unconfirmed urgent messages are called out
 * @param mail       e-mail through SMTP, or null without {@code mail.host}
 * @param operator   metrics, the per-call log line and the network transport
 */
public record ServerSettings(Database.Target db, String node, Durability durability, String httpHost, int httpPort, boolean secureCookies,
                             String agiHost, int agiPort, String adminPassword, LoginThrottle.Limits loginLimits,
                             AsteriskLive.Settings asterisk, Path recordings, Messaging.Settings messaging,
                             TwilioSettings twilio, TwilioRest twilioRest, Housekeeping.Periods retention,
                             Duration housekeepingEvery, Calendars calendars, Duration usageStep,
                             RecordingApi.Twilio twilioRecordings, Duration httpIdleTimeout, Duration httpRequestTimeout,
                             AgiLimits agiLimits, Path pinPepperFile, Escalation escalation, Mail mail,
                             Operator operator) {

    /**
     * How escalation chains call the people on call: through Twilio when {@code twilioFrom} is set (its account,
     * token, public URL and sender number all configured), else through Asterisk when AMI is, else not at all.
     *
     * @param callMax     how long an answered call-out may last before its end, if never reported, counts as lost
     * @param twilioFrom  the number Twilio call-outs come from, or null for none through Twilio
     * @param restTimeout time-out of one Twilio REST request
     */
    public record Escalation(Duration callMax, String twilioFrom, Duration restTimeout) {
        public boolean viaTwilio() {
            return twilioFrom != null;
        }
    }

    /**
     * E-mail: the SMTP settings, and the Twilio account whose recordings are fetched to be attached (null
     * {@code recordingsUser} without a Twilio account).
     */
    public record Mail(SmtpMailer.Settings smtp, String recordingsUser, String recordingsPassword) {
    }

    /**
     * What the operator sees of the running server.
     *
     * @param metrics      serve {@code GET /metrics}
     * @param metricsToken the bearer token {@code GET /metrics} asks for, or null (no token)
     * @param callLogLevel the level of the one log line per routed call, or null for none
     * @param nativeTransport sockets on epoll (Netty's native transport) where it loads, else on Java NIO
     */
    public record Operator(boolean metrics, String metricsToken, org.slf4j.event.Level callLogLevel, boolean nativeTransport) {
        static Operator from(Config config) {
            String level = config.string(Config.LOG_CALL_LEVEL).trim().toLowerCase(java.util.Locale.ROOT);
            return new Operator(config.bool(Config.METRICS_ENABLED),
                    config.has(Config.METRICS_TOKEN) ? config.string(Config.METRICS_TOKEN) : null,
                    level.equals("off") ? null : org.slf4j.event.Level.valueOf(level.toUpperCase(java.util.Locale.ROOT)),
                    config.bool(Config.NET_NATIVE_TRANSPORT));
        }
    }

    /**
     * How clients' calendars are fetched.
     *
     * @param credentials a client's calendar user and password (from {@code calendar.credentials.CLIENT.*}), or null
     */
    public record Calendars(Duration refresh, Duration timeout, int maxBytes, Duration horizon,
                            Function<String, FeedFetcher.Credentials> credentials) {
    }

    /** Where the console's choices on Twilio calls go: the account's REST API (or a stand-in for it in tests). */
    public record TwilioRest(String accountSid, String authToken, URI apiUrl) {
    }

    /** @throws ConfigException naming the key whose value cannot be used */
    public static ServerSettings from(Config config) {
        AsteriskLive.Settings asterisk = asterisk(config);
        TwilioSettings twilio = twilio(config);
        TwilioRest rest = twilio != null && config.has(Config.TWILIO_ACCOUNT_SID)
                ? new TwilioRest(config.string(Config.TWILIO_ACCOUNT_SID), config.string(Config.TWILIO_AUTH_TOKEN),
                apiUrl(config)) : null;
        return new ServerSettings(db(config), node(config), durability(config), config.string(Config.HTTP_HOST),
                config.port(Config.HTTP_PORT, true), config.bool(Config.HTTP_SECURE_COOKIES),
                config.string(Config.AGI_HOST), config.port(Config.AGI_PORT, true),
                adminPassword(config), loginLimits(config), asterisk, asterisk.recordings(),
                messaging(config), twilio, rest, Housekeeping.Periods.from(config),
                config.duration(Config.HOUSEKEEPING_INTERVAL), calendars(config), config.usageStep(), twilioRecordings(config),
                config.duration(Config.HTTP_IDLE_TIMEOUT), config.duration(Config.HTTP_REQUEST_TIMEOUT),
                AgiLimits.defaults().withTimeouts(config.duration(Config.AGI_REQUEST_TIMEOUT),
                        config.duration(Config.AGI_COMMAND_TIMEOUT)), pinPepperFile(config), escalation(config), mail(config),
                Operator.from(config));
    }

    private static Escalation escalation(Config config) {
        boolean viaTwilio = config.secretsMissingFor(Config.TWILIO_ACCOUNT_SID, Config.TWILIO_AUTH_TOKEN,
                Config.TWILIO_FROM).isEmpty() && config.has(Config.TWILIO_PUBLIC_URL);
        return new Escalation(config.duration(Config.ESCALATION_CALL_MAX),
                viaTwilio ? config.string(Config.TWILIO_FROM) : null, config.duration(Config.NOTIFY_TIMEOUT));
    }

    /**
     * E-mail through SMTP when {@code mail.host} is set: then {@code mail.from} is required, and with {@code mail.user}
     * the password; null otherwise.
     */
    private static Mail mail(Config config) {
        if (!config.has(Config.MAIL_HOST)) return null;
        if (!config.has(Config.MAIL_FROM)) {
            throw new ConfigException(Config.MAIL_HOST + " is set but " + Config.MAIL_FROM + " is not");
        }
        if (config.has(Config.MAIL_USER) && !config.has(Config.MAIL_PASSWORD)) {
            throw new ConfigException(Config.MAIL_USER + " is set but " + Config.MAIL_PASSWORD + " is not");
        }
        io.vertx.ext.mail.StartTLSOptions starttls;
        try {
            starttls = SmtpMailer.Settings.starttls(config.string(Config.MAIL_STARTTLS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Config.MAIL_STARTTLS + ": " + e.getMessage());
        }
        String console = config.has(Config.CONSOLE_PUBLIC_URL) ? config.string(Config.CONSOLE_PUBLIC_URL)
                : "http://" + config.string(Config.HTTP_HOST) + ":" + config.string(Config.HTTP_PORT);
        SmtpMailer.Settings smtp = new SmtpMailer.Settings(config.string(Config.MAIL_HOST),
                config.port(Config.MAIL_PORT, false), starttls, config.string(Config.MAIL_USER),
                config.string(Config.MAIL_PASSWORD), config.string(Config.MAIL_FROM), config.duration(Config.MAIL_TIMEOUT),
                config.string(Config.MAIL_TRUST), console);
        return new Mail(smtp, config.string(Config.TWILIO_ACCOUNT_SID), config.string(Config.TWILIO_AUTH_TOKEN));
    }

    /**
     * {@code pin.pepper-file}, else {@value PinPepper#DEFAULT_FILE_NAME} beside the SQLite database. Nodes sharing a
     * PostgreSQL database must name it: each would otherwise make a key of its own, and a PIN keyed on one node would
     * fail on the others.
     */
    public static Path pinPepperFile(Config config) {
        if (config.has(Config.PIN_PEPPER_FILE)) return config.path(Config.PIN_PEPPER_FILE);
        String db = config.string(Config.DB);
        if (db != null && db.startsWith("jdbc:")) {
            throw new ConfigException(Config.PIN_PEPPER_FILE + " must be set when " + Config.DB
                    + " is a PostgreSQL URL: every node needs the same key file (copy it from the first node)");
        }
        return PinPepper.defaultFileFor(db);
    }

    /** {@code console.admin-password} as the console will take it: the password rules are checked before the start. */
    private static String adminPassword(Config config) {
        String password = config.string(Config.CONSOLE_ADMIN_PASSWORD);
        if (password == null || password.isBlank()) return null;
        if (password.length() < ConsoleAuth.MIN_PASSWORD) {
            throw new ConfigException(Config.CONSOLE_ADMIN_PASSWORD + ": must have at least " + ConsoleAuth.MIN_PASSWORD
                    + " characters");
        }
        if (password.length() > ConsoleAuth.MAX_PASSWORD) {
            throw new ConfigException(Config.CONSOLE_ADMIN_PASSWORD + ": must have at most " + ConsoleAuth.MAX_PASSWORD
                    + " characters");
        }
        return password;
    }

    /** Where the inbox fetches Twilio recordings: the account's REST API with its credentials, or null. */
    private static RecordingApi.Twilio twilioRecordings(Config config) {
        if (!config.has(Config.TWILIO_ACCOUNT_SID) || !config.has(Config.TWILIO_AUTH_TOKEN)) return null;
        return new RecordingApi.Twilio(config.string(Config.TWILIO_ACCOUNT_SID), config.string(Config.TWILIO_AUTH_TOKEN),
                apiUrl(config));
    }

    private static Calendars calendars(Config config) {
        return new Calendars(config.duration(Config.CALENDAR_REFRESH), config.duration(Config.CALENDAR_TIMEOUT),
                config.integer(Config.CALENDAR_MAX_BYTES, 1024, 1_000_000_000), config.duration(Config.CALENDAR_HORIZON),
                calendarCredentials(config));
    }

    /** A client's calendar credentials from {@code calendar.credentials.CLIENT.user/password}, or null. */
    public static Function<String, FeedFetcher.Credentials> calendarCredentials(Config config) {
        return id -> {
            String user = config.calendarCredential(id, "user");
            String password = config.calendarCredential(id, "password");
            return user == null ? null : new FeedFetcher.Credentials(user, password == null ? "" : password);
        };
    }

    /** An SQLite file, or a PostgreSQL URL with its user and password (also possible as URL parameters). */
    private static Database.Target db(Config config) {
        String location = config.string(Config.DB);
        if (location == null || location.isBlank()) throw new ConfigException(Config.DB + " is empty");
        if (location.startsWith("jdbc:") && !location.startsWith("jdbc:postgresql://")) {
            throw new ConfigException(Config.DB + ": '" + Database.Target.of(location).describe()
                    + "' is neither a file path nor a jdbc:postgresql://HOST[:PORT]/DB URL");
        }
        if (!location.startsWith("jdbc:")) return Database.Target.of(Path.of(location).toString());
        return new Database.Target(location, config.string(Config.DB_USER), config.string(Config.DB_PASSWORD));
    }

    private static String node(Config config) {
        String name = config.string(Config.NODE_NAME);
        if (name != null && !name.isBlank()) {
            if (name.length() > 100) throw new ConfigException(Config.NODE_NAME + ": longer than 100 characters");
            return name;
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "node";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    private static Durability durability(Config config) {
        try {
            return Durability.parse(config.string(Config.DB_SYNC));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Config.DB_SYNC + ": " + e.getMessage());
        }
    }

    private static LoginThrottle.Limits loginLimits(Config config) {
        return new LoginThrottle.Limits(config.integer(Config.CONSOLE_LOGIN_MAX_FAILURES, 0, Integer.MAX_VALUE),
                config.integer(Config.CONSOLE_LOGIN_MAX_FAILURES_PER_ADDRESS, 0, Integer.MAX_VALUE),
                config.duration(Config.CONSOLE_LOGIN_WINDOW), LoginThrottle.MAX_ENTRIES);
    }

    /**
     * What to connect to on the Asterisk side: AMI when {@code ami.host} is set (with its user and secret), the
     * recordings folder when {@code asterisk.recordings} is set.
     */
    private static AsteriskLive.Settings asterisk(Config config) {
        AmiService.Settings ami = null;
        if (config.has(Config.AMI_HOST)) {
            List<String> missing = config.secretsMissingFor(Config.AMI_USER, Config.AMI_SECRET);
            if (!missing.isEmpty()) {
                throw new ConfigException(Config.AMI_HOST + " is set but " + String.join(" and ", missing)
                        + (missing.size() == 1 ? " is" : " are") + " not");
            }
            ami = new AmiService.Settings(config.string(Config.AMI_HOST), config.port(Config.AMI_PORT, false),
                    config.string(Config.AMI_USER), config.string(Config.AMI_SECRET));
        }
        Path recordings = config.has(Config.RECORDINGS) ? Path.of(config.string(Config.RECORDINGS)) : null;
        Path pbxRecordings = config.has(Config.RECORDINGS_PBX_PATH) ? Path.of(config.string(Config.RECORDINGS_PBX_PATH)) : null;
        if (pbxRecordings != null && recordings == null) {
            throw new ConfigException(Config.RECORDINGS_PBX_PATH + " is set but " + Config.RECORDINGS + " is not");
        }
        DialStrings dial;
        try {
            dial = new DialStrings(config.string(Config.REACH_DIAL));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Config.REACH_DIAL + ": " + e.getMessage());
        }
        return new AsteriskLive.Settings(ami, recordings, dial, pbxRecordings);
    }

    /** How messages and their SMS go out: through Twilio when its account, token and sender number are set. */
    private static Messaging.Settings messaging(Config config) {
        Duration timeout = config.duration(Config.NOTIFY_TIMEOUT);
        SmsSender sender = null;
        if (config.secretsMissingFor(Config.TWILIO_ACCOUNT_SID, Config.TWILIO_AUTH_TOKEN, Config.TWILIO_FROM).isEmpty()) {
            sender = TwilioSmsSender.create(config.string(Config.TWILIO_ACCOUNT_SID), config.string(Config.TWILIO_AUTH_TOKEN),
                    config.string(Config.TWILIO_FROM), apiUrl(config), timeout);
        }
        return new Messaging.Settings(sender, timeout, config.duration(Config.NOTIFY_GIVE_UP_AFTER));
    }

    /** The webhooks' settings, when both the auth token and the public URL are set. */
    private static TwilioSettings twilio(Config config) {
        if (!config.has(Config.TWILIO_AUTH_TOKEN) || !config.has(Config.TWILIO_PUBLIC_URL)) return null;
        try {
            return new TwilioSettings(config.string(Config.TWILIO_PUBLIC_URL), config.string(Config.TWILIO_AUTH_TOKEN),
                    config.string(Config.TWILIO_ACCOUNT_SID));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Config.TWILIO_PUBLIC_URL + ": " + e.getMessage());
        }
    }

    private static URI apiUrl(Config config) {
        if (!config.has(Config.TWILIO_API_URL)) return null;
        try {
            return URI.create(config.string(Config.TWILIO_API_URL));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Config.TWILIO_API_URL + ": not a URL: " + e.getMessage());
        }
    }
}

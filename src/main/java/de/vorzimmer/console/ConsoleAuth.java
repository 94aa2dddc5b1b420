package de.vorzimmer.console;


import de.vorzimmer.book.PinHasher;
import de.vorzimmer.text.Printable;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logins, sessions and API tokens. Every method blocks on JDBC: call it off the event loop. Sessions live in the
 * database (several nodes can share them) and end after {@link #IDLE} without use or {@link #ABSOLUTE} after the
 * login, whichever comes first. Logins go through a {@link LoginThrottle}: too many failures lock a username or an
 * address, logged as a warning and raised as an alert for the admins on {@link CallFeed#ALERTS}. Passwords,
 * session ids and tokens are never logged.
 */
public final class ConsoleAuth {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAuth.class);
    public static final Duration IDLE = Duration.ofHours(8);
    public static final Duration ABSOLUTE = Duration.ofHours(24);
    /** last_seen_at is written at most this often per session, so reads do not each cost a commit. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    public static final int MIN_PASSWORD = 8;
    public static final int MAX_PASSWORD = 200;
    /** OWASP's 2023 guidance for PBKDF2-HMAC-SHA256. */
    public static final int PASSWORD_ITERATIONS = 600_000;

    private final UserStore users;
    private final SessionStore sessions;
    private final ApiTokenStore tokens;
    private final PinHasher passwords;
    private final LoginThrottle throttle;
    private final Consumer<JsonObject> alerts;
    private final Clock clock;
    /** When the last alert about a locked address went out: at most one per window, however many addresses lock. */
    private Instant lastAddressAlert;
    /** Verified against when the user does not exist, so a wrong username costs as long as a wrong password. */
    private final String dummyHash;

    /** @param alerts publishes an alert for the consoles (the server: an event-bus publish on {@link CallFeed#ALERTS}) */
    public ConsoleAuth(UserStore users, SessionStore sessions, ApiTokenStore tokens, PinHasher passwords,
                       LoginThrottle throttle, Consumer<JsonObject> alerts, Clock clock) {
        this.users = Objects.requireNonNull(users, "users == null");
        this.sessions = Objects.requireNonNull(sessions, "sessions == null");
        this.tokens = Objects.requireNonNull(tokens, "tokens == null");
        this.passwords = Objects.requireNonNull(passwords, "passwords == null");
        this.throttle = Objects.requireNonNull(throttle, "throttle == null");
        this.alerts = Objects.requireNonNull(alerts, "alerts == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.dummyHash = passwords.hash(Secrets.random(""));
    }

    /** What a login attempt came to. */
    public sealed interface LoginResult permits Login, WrongCredentials, Locked {
    }

    /** A new login: the cookie value to hand out (only here in clear) and who it is. */
    public record Login(String sessionId, Principal principal) implements LoginResult {
        @java.lang.Override
        public String toString() {
            return "Login[" + principal.username() + "]";
        }
    }

    /** A wrong password, an unknown or a disabled user: the same answer for all three. */
    public record WrongCredentials() implements LoginResult {
    }

    /** Too many failed logins for this username or from this address: refused without a password check. */
    public record Locked(LoginThrottle.Scope scope, Duration retryAfter) implements LoginResult {
    }

    public Instant now() {
        return clock.instant();
    }

    /**
     * Checks the password and opens a session, unless the throttle refuses the attempt first (then the password is
     * not looked at, and nothing about the user is read).
     *
     * @param address the client's address as the server sees it (the TCP peer)
     */
    public LoginResult login(String username, String password, String userAgent, String address) {
        if (username == null || password == null) return new WrongCredentials();
        Instant now = clock.instant();
        LoginThrottle.Admission admission = throttle.begin(username, address, now);
        if (admission instanceof LoginThrottle.Refused r) {
            // debug: a flood of refused attempts must not flood the log; the lock itself was logged as a warning
            LOG.debug("console: login for '{}' from {} refused: {} locked for {} s more", printable(username), address,
                    r.scope() == LoginThrottle.Scope.USERNAME ? "username" : "address", seconds(r.retryAfter()));
            return new Locked(r.scope(), r.retryAfter());
        }
        LoginThrottle.Admitted attempt = (LoginThrottle.Admitted) admission;
        Optional<ConsoleUser> user = users.get(username.trim().toLowerCase(java.util.Locale.ROOT));
        boolean ok = passwords.verify(password, user.map(ConsoleUser::passwordHash).orElse(dummyHash));
        if (user.isEmpty() || !ok || user.get().disabled()) {
            Instant failedAt = clock.instant();
            LOG.info("console: failed login for '{}' from {}", printable(username), address);
            for (LoginThrottle.Lock lock : throttle.failed(attempt, failedAt)) locked(lock, user.isPresent());
            return new WrongCredentials();
        }
        throttle.succeeded(attempt);
        ConsoleUser u = user.get();
        String id = Secrets.random("vzs_");
        SessionStore.Session s = new SessionStore.Session(Secrets.sha256(id), u.username(), Secrets.random(""), now, now);
        sessions.create(s, userAgent);
        LOG.info("console: {} logged in ({})", u.username(), u.role().word());
        return new Login(id, principal(u, s));
    }

    /**
     * Logs a lock and tells the admins' consoles. A username lock is raised only for a user that exists (a flood of
     * made-up names must not fill the consoles, nor put a stranger's text on them); address locks at most once per
     * window.
     */
    private void locked(LoginThrottle.Lock lock, boolean knownUser) {
        Duration window = throttle.limits().window();
        boolean byUser = lock.scope() == LoginThrottle.Scope.USERNAME;
        if (byUser) {
            LOG.warn("console: {} failed logins for '{}' within {} min: username locked until {}", lock.failures(),
                    printable(lock.key()), window.toMinutes(), lock.until());
        } else {
            LOG.warn("console: {} failed logins from {} within {} min: address locked until {}", lock.failures(),
                    lock.key(), window.toMinutes(), lock.until());
        }
        boolean alert;
        synchronized (this) {
            alert = byUser ? knownUser
                    : lastAddressAlert == null || !lock.at().isBefore(lastAddressAlert.plus(window));
            if (alert && !byUser) lastAddressAlert = lock.at();
        }
        if (!alert) return;
        JsonObject a = new JsonObject().put("type", "login-locked").put("audience", CallFeed.ADMINS)
                .put("failures", lock.failures()).put("at", lock.at().toString()).put("until", lock.until().toString())
                .put("text", (byUser ? "Console login for '" + lock.key() + "'" : "Console logins from " + lock.key())
                        + " locked until " + lock.until() + " after " + lock.failures() + " failed attempts");
        if (byUser) a.put("user", lock.key());
        else a.put("address", lock.key());
        alerts.accept(a);
    }

    /** A username as typed, safe for one log line: control characters replaced, at most 64 characters. */
    static String printable(String s) {
        return Printable.clip(s, 64);
    }

    private static long seconds(Duration d) {
        return (d.toMillis() + 999) / 1000;
    }

    /** The principal of a live session for this cookie value, or empty if unknown, expired, or the user is gone. */
    public Optional<Principal> session(String sessionId) {
        if (sessionId == null || sessionId.isEmpty() || sessionId.length() > 200) return Optional.empty();
        String key = Secrets.sha256(sessionId);
        Optional<SessionStore.Session> found = sessions.get(key);
        if (found.isEmpty()) return Optional.empty();
        SessionStore.Session s = found.get();
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.delete(key);
            return Optional.empty();
        }
        Optional<ConsoleUser> u = users.get(s.username());
        if (u.isEmpty() || u.get().disabled()) {
            sessions.delete(key);
            return Optional.empty();
        }
        if (Duration.between(s.lastSeenAt(), now).compareTo(TOUCH_EVERY) >= 0) sessions.touch(key, now);
        return Optional.of(principal(u.get(), s));
    }

    static boolean expired(SessionStore.Session s, Instant now) {
        return !now.isBefore(s.lastSeenAt().plus(IDLE)) || !now.isBefore(s.createdAt().plus(ABSOLUTE));
    }

    /** The principal for an API token, or empty if unknown or revoked. Tokens act with admin rights. */
    public Optional<Principal> token(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) return Optional.empty();
        Optional<ApiTokenStore.ApiToken> t = tokens.findValid(Secrets.sha256(token));
        if (t.isEmpty()) return Optional.empty();
        Instant now = clock.instant();
        Instant last = t.get().lastUsedAt();
        if (last == null || Duration.between(last, now).compareTo(TOUCH_EVERY) >= 0) tokens.touch(t.get().id(), now);
        return Optional.of(new Principal("token:" + t.get().name(), Role.ADMIN, null, t.get().name(), null, null));
    }

    public void logout(Principal p) {
        if (p.viaSession()) sessions.delete(p.sessionKey());
    }

    /** Creates or updates a user with a new password; ends the user's sessions when the password changes. */
    public ConsoleUser setUser(String username, Role role, String secretaryId, String displayName, String password,
                               boolean disabled) {
        Instant now = clock.instant();
        Optional<ConsoleUser> old = users.get(username);
        String hash;
        if (password != null) {
            checkPassword(password);
            hash = passwords.hash(password);
        } else if (old.isPresent()) {
            hash = old.get().passwordHash();
        } else {
            throw ApiException.field("password-missing", "password", "field 'password' is missing; a new user needs one");
        }
        ConsoleUser u = new ConsoleUser(username, role, secretaryId, displayName, hash,
                old.map(ConsoleUser::createdAt).orElse(now), now, disabled);
        users.put(u);
        if (old.isPresent() && (password != null || disabled)) sessions.deleteForUser(username);
        return u;
    }

    public boolean deleteUser(String username) {
        sessions.deleteForUser(username);
        return users.delete(username);
    }

    /** Creates the admin with {@code password} unless an admin exists; true if one was created. */
    public boolean bootstrapAdmin(String username, String password) {
        if (users.anyAdmin()) return false;
        setUser(username, Role.ADMIN, null, "Administrator", password, false);
        LOG.info("console: admin '{}' created", username);
        return true;
    }

    /** A new API token: the token in clear (shown once) and its id. */
    public record NewToken(long id, String token) {
        @java.lang.Override
        public String toString() {
            return "NewToken[" + id + "]";
        }
    }

    public NewToken createToken(String name, String by) {
        String token = Secrets.random("vzt_");
        long id = tokens.add(name, Secrets.sha256(token), clock.instant(), by);
        LOG.info("console: API token {} '{}' created by {}", id, name, by);
        return new NewToken(id, token);
    }

    public boolean revokeToken(long id) {
        return tokens.revoke(id, clock.instant());
    }

    public UserStore users() {
        return users;
    }

    public ApiTokenStore tokens() {
        return tokens;
    }

    static void checkPassword(String password) {
        if (password.length() < MIN_PASSWORD) {
            throw ApiException.field("password-too-short", "password", "password must have at least " + MIN_PASSWORD + " characters");
        }
        if (password.length() > MAX_PASSWORD) {
            throw ApiException.field("password-too-long", "password", "password must have at most " + MAX_PASSWORD + " characters");
        }
    }

    private static Principal principal(ConsoleUser u, SessionStore.Session s) {
        return new Principal(u.username(), u.role(), u.secretaryId(), u.displayName(), s.key(), s.csrfToken());
    }
}

package de.vorzimmer.console;

import de.vorzimmer.book.PinHasher;
import de.vorzimmer.store.ApiTokenStore;
import de.vorzimmer.store.SessionStore;
import de.vorzimmer.store.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logins, sessions and API tokens. Every method blocks on JDBC: call it off the event loop. Sessions live in the
 * database (several nodes can share them) and end after {@link #IDLE} without use or {@link #ABSOLUTE} after the
 * login, whichever comes first. Passwords, session ids and tokens are never logged.
 */
public final class ConsoleAuth {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAuth.class);
    public static final Duration IDLE = Duration.ofHours(8);
    public static final Duration ABSOLUTE = Duration.ofHours(24);
    /** last_seen_at is written at most this often per session, so reads do not each cost a commit. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    public static final int MIN_PASSWORD = 8;
    /** OWASP's 2023 guidance for PBKDF2-HMAC-SHA256. */
    public static final int PASSWORD_ITERATIONS = 600_000;

    private final UserStore users;
    private final SessionStore sessions;
    private final ApiTokenStore tokens;
    private final PinHasher passwords;
    private final Clock clock;
    /** Verified against when the user does not exist, so a wrong username costs as long as a wrong password. */
    private final String dummyHash;

    public ConsoleAuth(UserStore users, SessionStore sessions, ApiTokenStore tokens, PinHasher passwords, Clock clock) {
        this.users = Objects.requireNonNull(users, "users == null");
        this.sessions = Objects.requireNonNull(sessions, "sessions == null");
        this.tokens = Objects.requireNonNull(tokens, "tokens == null");
        this.passwords = Objects.requireNonNull(passwords, "passwords == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.dummyHash = passwords.hash(Secrets.random(""));
    }

    /** A new login: the cookie value to hand out (only here in clear) and who it is. */
    public record Login(String sessionId, Principal principal) {
        @java.lang.Override
        public String toString() {
            return "Login[" + principal.username() + "]";
        }
    }

    public Instant now() {
        return clock.instant();
    }

    /** Checks the password and opens a session, or empty for a wrong or disabled user (the same answer for both). */
    public Optional<Login> login(String username, String password, String userAgent) {
        if (username == null || password == null) return Optional.empty();
        Optional<ConsoleUser> user = users.get(username.trim().toLowerCase(java.util.Locale.ROOT));
        boolean ok = passwords.verify(password, user.map(ConsoleUser::passwordHash).orElse(dummyHash));
        if (user.isEmpty() || !ok || user.get().disabled()) {
            LOG.info("console: failed login for '{}'", username.length() > 64 ? username.substring(0, 64) : username);
            return Optional.empty();
        }
        ConsoleUser u = user.get();
        Instant now = clock.instant();
        String id = Secrets.random("vzs_");
        SessionStore.Session s = new SessionStore.Session(Secrets.sha256(id), u.username(), Secrets.random(""), now, now);
        sessions.create(s, userAgent);
        LOG.info("console: {} logged in ({})", u.username(), u.role().word());
        return Optional.of(new Login(id, principal(u, s)));
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
            throw ApiException.badRequest("field 'password' is missing; a new user needs one");
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

    /** Deletes expired sessions; returns how many. */
    public int purgeExpired() {
        Instant now = clock.instant();
        return sessions.purge(now.minus(IDLE), now.minus(ABSOLUTE));
    }

    static void checkPassword(String password) {
        if (password.length() < MIN_PASSWORD) {
            throw ApiException.badRequest("password must have at least " + MIN_PASSWORD + " characters");
        }
        if (password.length() > 200) throw ApiException.badRequest("password must have at most 200 characters");
    }

    private static Principal principal(ConsoleUser u, SessionStore.Session s) {
        return new Principal(u.username(), u.role(), u.secretaryId(), u.displayName(), s.key(), s.csrfToken());
    }
}

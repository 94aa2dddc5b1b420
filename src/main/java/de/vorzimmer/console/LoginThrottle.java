package de.vorzimmer.console;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Brute-force protection for the console login, kept in memory on this node. Failed logins are counted per
 * username and per remote address in a fixed window that opens with the first failure; the failure that fills a
 * quota still gets its ordinary answer, and every later attempt is refused for {@link Limits#window} from that
 * failure without the password being looked at, not even a right one. A success clears the username's count.
 *
 * <p>An attempt is counted when it {@linkplain #begin begins}, before the (slow) password check, so many parallel
 * attempts cannot overshoot a quota; a success hands the address its attempt back (an office behind one address
 * logs in many times a day). Unknown usernames are counted exactly like known ones. IPv6 addresses count by their
 * /64 network, which one client usually holds whole.
 *
 * <p>Memory stays bounded under a flood of made-up usernames or addresses: each table keeps at most
 * {@link Limits#maxEntries} keys and, when full, drops the entries whose window and lock are over (a sweep at most
 * every {@link #SWEEP_EVERY}), then the one seen least recently. Thread-safe.
 */
public final class LoginThrottle {
    /** Keys per table (usernames, addresses): a few MB at most. */
    public static final int MAX_ENTRIES = 10_000;
    /** A full table is swept for finished entries at most this often (a sweep walks the whole table). */
    static final Duration SWEEP_EVERY = Duration.ofSeconds(10);

    /**
     * @param perUser    failures per username within the window that lock it (0: no per-username limit)
     * @param perAddress failures per remote address within the window that lock it (0: no per-address limit)
     * @param window     the counting window and the length of a lock
     * @param maxEntries keys kept per table
     */
    public record Limits(int perUser, int perAddress, Duration window, int maxEntries) {
        public Limits {
            if (perUser < 0) throw new IllegalArgumentException("perUser " + perUser + " < 0");
            if (perAddress < 0) throw new IllegalArgumentException("perAddress " + perAddress + " < 0");
            Objects.requireNonNull(window, "window == null");
            if (window.isNegative() || window.isZero()) throw new IllegalArgumentException("window " + window + " is not positive");
            if (maxEntries < 1) throw new IllegalArgumentException("maxEntries " + maxEntries + " < 1");
        }
    }

    /** What a lock is on. */
    public enum Scope {
        USERNAME, ADDRESS
    }

    /** The answer to {@link #begin}. */
    public sealed interface Admission permits Admitted, Refused {
    }

    /** The attempt may check its password; report its outcome with {@link #failed} or {@link #succeeded}. */
    public record Admitted(String username, String address) implements Admission {
    }

    /** The attempt is refused without a password check; try again after {@code retryAfter}. */
    public record Refused(Scope scope, Duration retryAfter) implements Admission {
    }

    /** A lock imposed by a failure: on {@code key} (a username or an address) until {@code until}. */
    public record Lock(Scope scope, String key, int failures, Instant at, Instant until) {
    }

    private final Limits limits;
    private final Table usernames;
    private final Table addresses;

    public LoginThrottle(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits == null");
        this.usernames = new Table(Scope.USERNAME, limits.perUser());
        this.addresses = new Table(Scope.ADDRESS, limits.perAddress());
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Admits or refuses a login attempt for {@code username} from {@code address} at {@code now}. An admitted one is
     * counted as a failure until {@link #succeeded} says otherwise.
     */
    public synchronized Admission begin(String username, String address, Instant now) {
        Objects.requireNonNull(now, "now == null");
        String user = usernameKey(username);
        String from = addressKey(address);
        Refused byUser = usernames.refusal(user, now);
        Refused byAddress = addresses.refusal(from, now);
        if (byUser != null || byAddress != null) {
            if (byUser == null) return byAddress;
            if (byAddress == null) return byUser;
            return byUser.retryAfter().compareTo(byAddress.retryAfter()) >= 0 ? byUser : byAddress;
        }
        usernames.count(user, now);
        addresses.count(from, now);
        return new Admitted(user, from);
    }

    /** The admitted attempt failed; returns the locks this failure imposed (none, or one per filled quota). */
    public synchronized List<Lock> failed(Admitted attempt, Instant now) {
        List<Lock> locks = new ArrayList<>(2);
        Lock u = usernames.lockIfFull(attempt.username(), now);
        if (u != null) locks.add(u);
        Lock a = addresses.lockIfFull(attempt.address(), now);
        if (a != null) locks.add(a);
        return locks;
    }

    /** The admitted attempt logged in: the username starts afresh, the address gets its attempt back. */
    public synchronized void succeeded(Admitted attempt) {
        usernames.forget(attempt.username());
        addresses.giveBack(attempt.address());
    }

    synchronized int trackedUsernames() {
        return usernames.size();
    }

    synchronized int trackedAddresses() {
        return addresses.size();
    }

    /** Usernames compare as the login looks them up: trimmed, lower case. */
    static String usernameKey(String username) {
        return username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
    }

    /** An IPv4 address as it is, an IPv6 address as its /64 network ({@code 2001:db8:1:2::/64}). */
    static String addressKey(String address) {
        if (address == null || address.isBlank()) return "unknown";
        String a = address.trim();
        if (a.startsWith("[") && a.endsWith("]")) a = a.substring(1, a.length() - 1);
        if (a.indexOf(':') < 0) return a;
        int zone = a.indexOf('%');
        if (zone >= 0) a = a.substring(0, zone);
        // only literals get here (a socket's peer), so getByName parses and never asks DNS; a non-literal is kept as is
        if (!a.matches("[0-9A-Fa-f:.]+")) return a;
        try {
            byte[] b = InetAddress.getByName(a).getAddress();
            if (b.length != 16) return InetAddress.getByAddress(b).getHostAddress();
            return String.format("%x:%x:%x:%x::/64", ((b[0] & 0xff) << 8) | (b[1] & 0xff),
                    ((b[2] & 0xff) << 8) | (b[3] & 0xff), ((b[4] & 0xff) << 8) | (b[5] & 0xff),
                    ((b[6] & 0xff) << 8) | (b[7] & 0xff));
        } catch (UnknownHostException e) {
            return a;
        }
    }

    /** Counts for one kind of key, least recently seen first. */
    private final class Table {
        private final Scope scope;
        private final int max;
        private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
        private long lastSweep;

        Table(Scope scope, int max) {
            this.scope = scope;
            this.max = max;
        }

        Refused refusal(String key, Instant now) {
            if (max == 0) return null;
            Entry e = entries.get(key);
            if (e == null) return null;
            long t = now.toEpochMilli();
            if (e.lockedUntil > t) return new Refused(scope, Duration.ofMillis(e.lockedUntil - t));
            // the quota is taken by failures and attempts still being checked: wait for the window to end
            if (e.attempts >= max && !e.windowOver(t)) {
                return new Refused(scope, Duration.ofMillis(e.windowStart + limits.window().toMillis() - t));
            }
            return null;
        }

        void count(String key, Instant now) {
            if (max == 0) return;
            long t = now.toEpochMilli();
            Entry e = entries.get(key);
            if (e == null) {
                makeRoom(t);
                e = new Entry();
                e.windowStart = t;
                entries.put(key, e);
            } else if (e.windowOver(t) && e.lockedUntil <= t) {
                e.windowStart = t;
                e.attempts = 0;
                e.failures = 0;
            }
            e.attempts++;
        }

        Lock lockIfFull(String key, Instant now) {
            if (max == 0) return null;
            Entry e = entries.get(key);
            if (e == null) return null; // made room for others meanwhile
            long t = now.toEpochMilli();
            e.failures++;
            if (e.failures < max || e.lockedUntil > t) return null;
            e.lockedUntil = t + limits.window().toMillis();
            return new Lock(scope, key, e.failures, now, Instant.ofEpochMilli(e.lockedUntil));
        }

        void forget(String key) {
            entries.remove(key);
        }

        void giveBack(String key) {
            Entry e = entries.get(key);
            if (e != null && e.attempts > 0) e.attempts--;
        }

        int size() {
            return entries.size();
        }

        /** Before adding a key to a full table: drop the finished entries, and if none was, the one seen least recently. */
        private void makeRoom(long t) {
            if (entries.size() < limits.maxEntries()) return;
            if (t - lastSweep >= SWEEP_EVERY.toMillis()) {
                lastSweep = t;
                entries.values().removeIf(e -> e.finished(t));
            }
            Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
            while (entries.size() >= limits.maxEntries() && it.hasNext()) {
                it.next();
                it.remove();
            }
        }
    }

    private final class Entry {
        long windowStart;
        /** Attempts begun in the window, less those that succeeded: failures and those still being checked. */
        int attempts;
        int failures;
        long lockedUntil;

        boolean windowOver(long t) {
            return t >= windowStart + limits.window().toMillis();
        }

        boolean finished(long t) {
            return lockedUntil <= t && (attempts == 0 || windowOver(t));
        }
    }
}

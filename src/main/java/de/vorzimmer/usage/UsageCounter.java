package de.vorzimmer.usage;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.Client;
import de.vorzimmer.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Counts what each client's calls cost in a month, from what the store keeps: the call log (calls, put-throughs
 * routed so), the secretaries' choices (put through from the console), {@code call_times} (secretary time),
 * messages and the SMS outbox (urgent notifications). A month is the calendar month in each client's own time zone.
 * Rows of the call log with channel {@value #DRY_RUN_CHANNEL} (dry runs of {@code POST /api/v1/route} that older
 * releases logged) are never counted. Blocking JDBC.
 *
 * <p>The report can only count what is still stored: the call log and the choices are kept for
 * {@code retention.call-log} and {@code retention.call-choices} (90 days by default).
 */
public final class UsageCounter {
    /** The call-log channel older releases wrote dry runs of the routing API with. */
    public static final String DRY_RUN_CHANNEL = "api";

    private final Database db;

    public UsageCounter(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
    }

    /**
     * The time billed for a call a secretary talked on for {@code talked}: whole steps, rounded up, at least one
     * (29 s, 30 s at a 30 s step: 30 s; 31 s: 60 s).
     */
    public static long billedSeconds(Duration talked, Duration step) {
        if (step.isZero() || step.isNegative()) throw new IllegalArgumentException("step " + step + " is not positive");
        long ms = Math.max(0, talked.toMillis());
        long stepMs = step.toMillis();
        long steps = Math.max(1, (ms + stepMs - 1) / stepMs);
        return steps * stepMs / 1000;
    }

    /**
     * @param clientId only this client, or null for every client in the book and any other the month's data names
     * @param book     the book in force (names and time zones); clients not in it count in its default zone
     */
    public UsageReport month(YearMonth month, String clientId, Duration step, Book book) {
        Objects.requireNonNull(month, "month == null");
        Objects.requireNonNull(step, "step == null");
        Objects.requireNonNull(book, "book == null");
        Map<String, Client> clients = new LinkedHashMap<>();
        book.clients().stream().sorted(Comparator.comparing(c -> c.name().toLowerCase(Locale.ROOT)))
                .forEach(c -> clients.put(c.id(), c));
        ZoneId fallback = book.defaults().timezone();
        // every zone's month lies within a day of the UTC month: read that once, sort by zone in Java
        Instant from = month.atDay(1).atStartOfDay(ZoneId.of("UTC")).toInstant().minus(Duration.ofHours(15));
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneId.of("UTC")).toInstant().plus(Duration.ofHours(15));
        Tally tally = new Tally(month, clientId, id -> {
            Client c = id == null ? null : clients.get(id);
            return c == null ? fallback : c.timezone();
        });
        db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id, client_id, call_id, at, action FROM call_log "
                    + "WHERE at >= ? AND at < ? AND channel <> ?")) {
                p.setLong(1, from.toEpochMilli());
                p.setLong(2, to.toEpochMilli());
                p.setString(3, DRY_RUN_CHANNEL);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        String call = rs.getString("call_id");
                        tally.call(rs.getString("client_id"), call == null ? "#" + rs.getLong("id") : call,
                                Instant.ofEpochMilli(rs.getLong("at")), "put-through".equals(rs.getString("action")));
                    }
                }
            }
            try (PreparedStatement p = c.prepareStatement("SELECT DISTINCT l.client_id, ch.call_id, ch.chosen_at "
                    + "FROM call_choices ch JOIN call_log l ON l.call_id = ch.call_id WHERE ch.choice = 'put-through' "
                    + "AND ch.carried_out = ? AND ch.chosen_at >= ? AND ch.chosen_at < ? AND l.channel <> ?")) {
                p.setBoolean(1, true);
                p.setLong(2, from.toEpochMilli());
                p.setLong(3, to.toEpochMilli());
                p.setString(4, DRY_RUN_CHANNEL);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        tally.putThrough(rs.getString("client_id"), rs.getString("call_id"),
                                Instant.ofEpochMilli(rs.getLong("chosen_at")));
                    }
                }
            }
            tally.counted(c, "SELECT client_id, created_at FROM messages WHERE created_at >= ? AND created_at < ?",
                    from, to, Tally::message);
            tally.counted(c, "SELECT client_id, created_at FROM outbox WHERE kind = 'urgent' AND state <> 'failed' "
                    + "AND created_at >= ? AND created_at < ?", from, to, Tally::urgent);
            return null;
        });
        for (CallTimes.Answered a : new CallTimes(db).answeredBetween(from, to)) {
            if (a.bySecretary() && a.endedAt() != null) {
                tally.secretary(a.clientId(), a.answeredAt(),
                        billedSeconds(Duration.between(a.answeredAt(), a.endedAt()), step));
            }
        }
        return tally.report(step, clients);
    }

    /** Counts per client and per day, keeping only what falls into the month in the client's zone. */
    private static final class Tally {
        private final YearMonth month;
        private final String only;
        private final java.util.function.Function<String, ZoneId> zones;
        private final Map<String, Line> lines = new HashMap<>();
        private final long[] dayCalls;
        private final long[] daySeconds;

        Tally(YearMonth month, String only, java.util.function.Function<String, ZoneId> zones) {
            this.month = month;
            this.only = only;
            this.zones = zones;
            this.dayCalls = new long[month.lengthOfMonth() + 1];
            this.daySeconds = new long[month.lengthOfMonth() + 1];
        }

        private static final class Line {
            final Set<String> calls = new HashSet<>();
            final Set<String> putThroughs = new HashSet<>();
            int secretaryCalls;
            long secretarySeconds;
            int messages;
            int urgent;
        }

        /** The day of the month {@code at} falls on for the client, or 0 when outside the month (or another client). */
        private int day(String client, Instant at) {
            if (only != null && !only.equals(client)) return 0;
            ZonedDateTime local = at.atZone(zones.apply(client));
            return YearMonth.from(local).equals(month) ? local.getDayOfMonth() : 0;
        }

        private Line line(String client) {
            return lines.computeIfAbsent(client == null ? "" : client, k -> new Line());
        }

        void call(String client, String call, Instant at, boolean putThrough) {
            int day = day(client, at);
            if (day == 0) return;
            Line l = line(client);
            if (l.calls.add(call)) dayCalls[day]++;
            if (putThrough) l.putThroughs.add(call);
        }

        void putThrough(String client, String call, Instant at) {
            if (day(client, at) != 0) line(client).putThroughs.add(call);
        }

        void secretary(String client, Instant at, long seconds) {
            int day = day(client, at);
            if (day == 0) return;
            Line l = line(client);
            l.secretaryCalls++;
            l.secretarySeconds += seconds;
            daySeconds[day] += seconds;
        }

        void message(String client, Instant at) {
            if (day(client, at) != 0) line(client).messages++;
        }

        void urgent(String client, Instant at) {
            if (day(client, at) != 0) line(client).urgent++;
        }

        interface Counter {
            void count(Tally t, String client, Instant at);
        }

        void counted(java.sql.Connection c, String sql, Instant from, Instant to, Counter counter)
                throws java.sql.SQLException {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setLong(1, from.toEpochMilli());
                p.setLong(2, to.toEpochMilli());
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) counter.count(this, rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
                }
            }
        }

        UsageReport report(Duration step, Map<String, Client> book) {
            List<ClientUsage> out = new ArrayList<>();
            Set<String> done = new HashSet<>();
            for (Client c : book.values()) {
                if (only != null && !only.equals(c.id())) continue;
                out.add(usage(c.id(), c.name(), lines.get(c.id())));
                done.add(c.id());
            }
            lines.keySet().stream().filter(id -> !done.contains(id)).sorted().forEach(id ->
                    out.add(usage(id, id.isEmpty() ? "" : id, lines.get(id))));
            List<UsageReport.Day> days = new ArrayList<>();
            for (int d = 1; d < dayCalls.length; d++) days.add(new UsageReport.Day(d, (int) dayCalls[d], daySeconds[d]));
            return new UsageReport(month, step, out, days);
        }

        private static ClientUsage usage(String id, String name, Line l) {
            if (l == null) return new ClientUsage(id, name, 0, 0, 0, 0, 0, 0);
            return new ClientUsage(id, name, l.calls.size(), l.secretaryCalls, l.secretarySeconds, l.putThroughs.size(),
                    l.messages, l.urgent);
        }
    }
}

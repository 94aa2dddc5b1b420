package de.vorzimmer.calendar;

import de.vorzimmer.status.CalendarView.Busy;
import de.vorzimmer.store.Database;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The table {@code calendar_feeds}: per client the last good copy of its calendar (raw, gzip) and its busy events
 * expanded for a window, the validators for conditional requests, and the fetch state (last success, first and
 * last failure, back-off). Several nodes share it: a fetch is claimed with a conditional update first.
 */
public final class CalendarStore {
    private static final String STATE = "client_id, url, etag, last_modified, busy, expanded_from, expanded_to, "
            + "good_at, checked_at, failing_since, failures, last_error, next_at, updated_at";
    private static final int MAX_ERROR = 2000;
    private static final int BUSY_FORMAT = 1;

    private final Database db;

    public CalendarStore(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
    }

    /** Every stored state (without the raw copies). */
    public List<FeedState> all() {
        return db.read(c -> select(c, "SELECT " + STATE + " FROM calendar_feeds ORDER BY client_id"));
    }

    /**
     * The states written at or after {@code updatedAt} (by this or another process). At, not only after: two writes
     * can share a millisecond, so the caller compares what it already has.
     */
    public List<FeedState> changedSince(Instant updatedAt) {
        return db.read(c -> select(c, "SELECT " + STATE + " FROM calendar_feeds WHERE updated_at >= ? ORDER BY client_id",
                updatedAt.toEpochMilli()));
    }

    public Optional<FeedState> get(String clientId) {
        return db.read(c -> select(c, "SELECT " + STATE + " FROM calendar_feeds WHERE client_id = ?", clientId))
                .stream().findFirst();
    }

    /** The raw last good copy, if any. */
    public Optional<String> copy(String clientId) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT ics_gz FROM calendar_feeds WHERE client_id = ?")) {
                p.setString(1, clientId);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) return Optional.<String>empty();
                    byte[] gz = rs.getBytes(1);
                    return gz == null ? Optional.<String>empty() : Optional.of(gunzip(gz));
                }
            }
        });
    }

    /**
     * Takes the fetch of one client's calendar for this node until {@code until}; true if it got it. Makes the row
     * for a new client, and starts afresh (no copy, no validators) when the book's URL changed.
     *
     * @param force a fetch asked for now: ignores {@code next_at} and another node's claim (two fetches of one
     *              calendar do no harm; the later answer is kept)
     */
    public boolean claim(String clientId, String url, Instant now, Instant until, boolean force) {
        return db.write(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO calendar_feeds (client_id, url, failures, next_at, "
                    + "updated_at) VALUES (?, ?, 0, ?, ?) ON CONFLICT (client_id) DO NOTHING")) {
                p.setString(1, clientId);
                p.setString(2, url);
                p.setLong(3, now.toEpochMilli());
                p.setLong(4, now.toEpochMilli());
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE calendar_feeds SET url = ?, etag = NULL, "
                    + "last_modified = NULL, ics_gz = NULL, busy = NULL, expanded_from = NULL, expanded_to = NULL, "
                    + "good_at = NULL, failing_since = NULL, failures = 0, last_error = NULL, next_at = ?, updated_at = ? "
                    + "WHERE client_id = ? AND url <> ?")) {
                p.setString(1, url);
                p.setLong(2, now.toEpochMilli());
                p.setLong(3, now.toEpochMilli());
                p.setString(4, clientId);
                p.setString(5, url);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE calendar_feeds SET claimed_until = ? WHERE client_id = ?"
                    + (force ? "" : " AND (claimed_until IS NULL OR claimed_until <= ?) AND next_at <= ?"))) {
                p.setLong(1, until.toEpochMilli());
                p.setString(2, clientId);
                if (!force) {
                    p.setLong(3, now.toEpochMilli());
                    p.setLong(4, now.toEpochMilli());
                }
                return p.executeUpdate() == 1;
            }
        });
    }

    /** A fetch brought a new good copy: keep it with its expansion and validators; fresh again. */
    public void good(String clientId, String url, String etag, String lastModified, String ics, List<Busy> busy,
                     Instant from, Instant to, Instant now, Instant nextAt) {
        byte[] gz = gzip(ics);
        byte[] encoded = encode(busy);
        db.write(c -> update(c, "UPDATE calendar_feeds SET etag = ?, last_modified = ?, ics_gz = ?, busy = ?, "
                + "expanded_from = ?, expanded_to = ?, good_at = ?, checked_at = ?, failing_since = NULL, failures = 0, "
                + "last_error = NULL, next_at = ?, claimed_until = NULL, updated_at = ? WHERE client_id = ? AND url = ?",
                etag, lastModified, gz, encoded, from.toEpochMilli(), to.toEpochMilli(), now.toEpochMilli(),
                now.toEpochMilli(), nextAt.toEpochMilli(), now.toEpochMilli(), clientId, url));
    }

    /** The server answered "not modified": the copy holds; fresh again. */
    public void unchanged(String clientId, String url, Instant now, Instant nextAt) {
        db.write(c -> update(c, "UPDATE calendar_feeds SET good_at = ?, checked_at = ?, failing_since = NULL, "
                + "failures = 0, last_error = NULL, next_at = ?, claimed_until = NULL, updated_at = ? "
                + "WHERE client_id = ? AND url = ?", now.toEpochMilli(), now.toEpochMilli(), nextAt.toEpochMilli(),
                now.toEpochMilli(), clientId, url));
    }

    /** A fetch or parse failed: the last good copy stays; the error and the back-off are kept. */
    public void failed(String clientId, String url, String error, Instant now, Instant nextAt) {
        String e = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR - 3) + "..." : error;
        db.write(c -> update(c, "UPDATE calendar_feeds SET checked_at = ?, "
                + "failing_since = COALESCE(failing_since, ?), failures = failures + 1, last_error = ?, next_at = ?, "
                + "claimed_until = NULL, updated_at = ? WHERE client_id = ? AND url = ?", now.toEpochMilli(),
                now.toEpochMilli(), e, nextAt.toEpochMilli(), now.toEpochMilli(), clientId, url));
    }

    /** The copy expanded again for a later window (no fetch). */
    public void expanded(String clientId, String url, List<Busy> busy, Instant from, Instant to, Instant now) {
        byte[] encoded = encode(busy);
        db.write(c -> update(c, "UPDATE calendar_feeds SET busy = ?, expanded_from = ?, expanded_to = ?, updated_at = ? "
                + "WHERE client_id = ? AND url = ?", encoded, from.toEpochMilli(), to.toEpochMilli(), now.toEpochMilli(),
                clientId, url));
    }

    /** Forgets clients that no longer have a calendar in the book. */
    public int retainOnly(java.util.Set<String> clientIds) {
        return db.write(c -> {
            List<String> gone = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT client_id FROM calendar_feeds");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) if (!clientIds.contains(rs.getString(1))) gone.add(rs.getString(1));
            }
            for (String id : gone) update(c, "DELETE FROM calendar_feeds WHERE client_id = ?", id);
            return gone.size();
        });
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                Object o = params[i];
                if (o == null) p.setNull(i + 1, Types.VARCHAR);
                else if (o instanceof byte[] b) p.setBytes(i + 1, b);
                else p.setObject(i + 1, o);
            }
            return p.executeUpdate();
        }
    }

    private static List<FeedState> select(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) p.setObject(i + 1, params[i]);
            try (ResultSet rs = p.executeQuery()) {
                List<FeedState> out = new ArrayList<>();
                while (rs.next()) {
                    byte[] busy = rs.getBytes("busy");
                    out.add(new FeedState(rs.getString("client_id"), rs.getString("url"), rs.getString("etag"),
                            rs.getString("last_modified"), busy == null ? null : decode(busy),
                            instant(rs, "expanded_from"), instant(rs, "expanded_to"), instant(rs, "good_at"),
                            instant(rs, "checked_at"), instant(rs, "failing_since"), rs.getInt("failures"),
                            rs.getString("last_error"), instant(rs, "next_at"), instant(rs, "updated_at")));
                }
                return out;
            }
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    /** Busy events as bytes: format, count, then start, end, flags and summary of each. */
    static byte[] encode(List<Busy> busy) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + busy.size() * 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(BUSY_FORMAT);
            out.writeInt(busy.size());
            for (Busy b : busy) {
                out.writeLong(b.start().toEpochMilli());
                out.writeLong(b.end().toEpochMilli());
                out.writeByte((b.hidden() ? 1 : 0) | (b.summary() == null ? 2 : 0));
                if (b.summary() != null) {
                    byte[] s = b.summary().getBytes(StandardCharsets.UTF_8);
                    out.writeInt(s.length);
                    out.write(s);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static List<Busy> decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readUnsignedByte();
            if (format != BUSY_FORMAT) return null;
            int n = in.readInt();
            if (n < 0 || n > bytes.length / 17) return null;
            List<Busy> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Instant start = Instant.ofEpochMilli(in.readLong());
                Instant end = Instant.ofEpochMilli(in.readLong());
                int flags = in.readUnsignedByte();
                String summary = null;
                if ((flags & 2) == 0) {
                    int len = in.readInt();
                    if (len < 0 || len > bytes.length) return null;
                    summary = new String(in.readNBytes(len), StandardCharsets.UTF_8);
                }
                out.add(new Busy(summary, (flags & 1) != 0, start, end));
            }
            return out;
        } catch (IOException | IllegalArgumentException e) {
            // a damaged expansion is made again from the copy
            return null;
        }
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(64, text.length() / 4));
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String gunzip(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("calendar copy damaged: " + e.getMessage(), e);
        }
    }
}

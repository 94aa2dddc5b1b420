package de.vorzimmer.calls;

import de.vorzimmer.store.Database;
import de.vorzimmer.store.Sql;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Objects;

/** What secretaries chose on ringing calls (put-through, message, voicemail), kept for the record. */
public final class CallChoiceStore {
    private final Database db;

    public CallChoiceStore(Database db) {
        this.db = Objects.requireNonNull(db, "db == null");
    }

    /** Records a choice; {@code carriedOut} says whether the PBX acted on it. Returns the row id. */
    public long add(String callId, String choice, String by, Instant at, boolean carriedOut) {
        return db.write(c -> {
            try (PreparedStatement p = Sql.insert(c, "INSERT INTO call_choices "
                    + "(call_id, choice, chosen_by, chosen_at, carried_out) VALUES (?, ?, ?, ?, ?)")) {
                p.setString(1, callId);
                p.setString(2, choice);
                p.setString(3, by);
                Sql.setInstant(p, 4, at);
                p.setBoolean(5, carriedOut);
                p.executeUpdate();
                return Sql.generatedId(p);
            }
        });
    }

    /** Deletes up to {@code limit} choices made before {@code before}, oldest first; returns how many. */
    public int purgeBefore(Instant before, int limit) {
        Objects.requireNonNull(before, "before == null");
        return db.write(c -> Sql.deleteBatch(c, "call_choices", "id", "chosen_at < ?", limit, before.toEpochMilli()));
    }
}

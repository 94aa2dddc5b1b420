package de.vorzimmer.store;

/**
 * How hard SQLite works to keep a commit. Both keep every committed transaction when the process dies
 * (even by SIGKILL), because in WAL mode a commit is in the operating system's page cache before it returns.
 * They differ on power loss or a kernel crash:
 * <ul>
 *   <li>{@code FULL} (default) fsyncs the WAL on every commit, so an acknowledged message survives power loss.</li>
 *   <li>{@code NORMAL} fsyncs only at checkpoints: faster, but the last commits may be lost on power loss
 *       (the database stays consistent). Acceptable only where losing a few seconds of messages is.</li>
 * </ul>
 */
public enum Durability {
    FULL, NORMAL;

    /** The value for {@code PRAGMA synchronous}. */
    String pragma() {
        return name();
    }

    public static Durability parse(String word) {
        if (word != null) {
            for (Durability d : values()) {
                if (d.name().equalsIgnoreCase(word.trim())) return d;
            }
        }
        throw new IllegalArgumentException("unknown durability '" + word + "', expected full or normal");
    }
}

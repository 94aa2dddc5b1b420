package de.vorzimmer.store;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Which database the suite runs on: SQLite files (the first pass of {@code scripts/test}), or PostgreSQL when
 * {@link Database#TEST_POSTGRES_ENV} is set (the second pass; every SQLite file a test opens is then a PostgreSQL
 * database of its own). A test about SQLite itself (its PRAGMAs, its file format) says so with {@link #sqliteOnly},
 * which skips it on the PostgreSQL pass with that reason in the report.
 */
public final class TestDb {
    private TestDb() {
    }

    /** The PostgreSQL server of the second pass, or null on the SQLite pass. */
    public static String postgresServer() {
        String url = System.getenv(Database.TEST_POSTGRES_ENV);
        return url == null || url.isBlank() ? null : url;
    }

    public static boolean postgres() {
        return postgresServer() != null;
    }

    /** Skips the calling test on the PostgreSQL pass: {@code why} names what about SQLite it checks. */
    public static void sqliteOnly(String why) {
        assumeFalse(postgres(), "SQLite only: " + why);
    }
}

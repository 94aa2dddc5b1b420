-- Vorzimmer schema, version 20: the state of each client's calendar (calendar.CalendarStore), so a restart keeps
-- the last good copy and a decision never waits for a fetch. Portable SQL (see V1); instants are BIGINT epoch
-- milliseconds, ${bytes} is BLOB in SQLite and BYTEA in PostgreSQL.
CREATE TABLE calendar_feeds (
    client_id     VARCHAR(100)  NOT NULL PRIMARY KEY,
    -- the URL this state belongs to; a client whose book URL changed starts afresh
    url           VARCHAR(2000) NOT NULL,
    -- conditional requests: the server's ETag / Last-Modified (a CalDAV collection's ctag) of the last good copy
    etag          VARCHAR(500),
    last_modified VARCHAR(100),
    -- the last good copy as fetched (gzip), and its busy events expanded for [expanded_from, expanded_to)
    ics_gz        ${bytes},
    busy          ${bytes},
    expanded_from BIGINT,
    expanded_to   BIGINT,
    good_at       BIGINT,
    checked_at    BIGINT,
    -- the first failure since the last success (the board's "stale since"), how many, and the last error
    failing_since BIGINT,
    failures      INTEGER       NOT NULL DEFAULT 0,
    last_error    VARCHAR(2000),
    -- when the next fetch is due (back-off after failures), and until when a node fetching it holds it
    next_at       BIGINT        NOT NULL,
    claimed_until BIGINT,
    updated_at    BIGINT        NOT NULL
);
CREATE INDEX calendar_feeds_due ON calendar_feeds (next_at);
CREATE INDEX calendar_feeds_updated ON calendar_feeds (updated_at);

-- Vorzimmer schema, version 1.
-- Portable SQL: SQLite now, PostgreSQL later. ${id} is the auto-assigned key (see Migrations).
-- Instants are BIGINT milliseconds since the epoch (UTC), booleans are BOOLEAN (0/1 in SQLite).

-- Every imported client book, newest last; the latest row is the book in force.
CREATE TABLE book_versions (
    id        ${id},
    loaded_at BIGINT       NOT NULL,
    source    VARCHAR(500) NOT NULL,
    yaml      TEXT         NOT NULL
);

-- Status and expect overrides (kind: available, unavailable, dnd, schedule, expect).
CREATE TABLE overrides (
    id        ${id},
    client_id VARCHAR(100) NOT NULL,
    kind      VARCHAR(20)  NOT NULL,
    number    VARCHAR(40),
    set_at    BIGINT       NOT NULL,
    until_at  BIGINT,
    note      VARCHAR(1000),
    source    VARCHAR(100) NOT NULL,
    CHECK (kind IN ('available', 'unavailable', 'dnd', 'schedule', 'expect')),
    CHECK ((kind = 'expect') = (number IS NOT NULL))
);
CREATE INDEX overrides_by_client ON overrides (client_id, set_at);
CREATE INDEX overrides_by_until ON overrides (until_at);

-- Secretaries whose duty state was recorded; one not listed counts as on duty.
CREATE TABLE secretary_duty (
    secretary_id VARCHAR(100) PRIMARY KEY,
    on_duty      BOOLEAN      NOT NULL,
    changed_at   BIGINT       NOT NULL,
    source       VARCHAR(100) NOT NULL
);

-- One row per decision acted on; decision_json is the decision as DecisionJson writes it.
CREATE TABLE call_log (
    id            ${id},
    at            BIGINT       NOT NULL,
    call_id       VARCHAR(200),
    channel       VARCHAR(40)  NOT NULL,
    client_id     VARCHAR(100),
    line          VARCHAR(40),
    caller_number VARCHAR(40),
    caller_class  VARCHAR(20),
    status        VARCHAR(20),
    action        VARCHAR(20)  NOT NULL,
    urgent        BOOLEAN      NOT NULL,
    decision_json TEXT         NOT NULL
);
CREATE INDEX call_log_by_at ON call_log (at);
CREATE INDEX call_log_by_call ON call_log (call_id);

-- Messages for clients. An SMS outbox (a later migration) will reference messages(id) and move state
-- from 'new' to 'notified' in the same transaction in which it queues the SMS.
CREATE TABLE messages (
    id               ${id},
    created_at       BIGINT        NOT NULL,
    client_id        VARCHAR(100),
    line             VARCHAR(40),
    caller_number    VARCHAR(40),
    caller_name      VARCHAR(200),
    kind             VARCHAR(20)   NOT NULL,
    text             TEXT,
    recording_path   VARCHAR(1000),
    urgent           BOOLEAN       NOT NULL,
    state            VARCHAR(20)   NOT NULL,
    state_changed_at BIGINT        NOT NULL,
    state_changed_by VARCHAR(100),
    call_id          VARCHAR(200),
    CHECK (kind IN ('recording', 'missed', 'typed')),
    CHECK (state IN ('new', 'notified', 'read', 'done'))
);
CREATE INDEX messages_by_client ON messages (client_id, created_at);
CREATE INDEX messages_by_state ON messages (state, created_at);

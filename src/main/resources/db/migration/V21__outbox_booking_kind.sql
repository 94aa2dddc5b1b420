-- Vorzimmer schema, version 21: the outbox also carries the SMS that confirms a booked appointment to the caller
-- (kind 'booking'), and kinds to come: the kind is no longer limited by a CHECK constraint (notify.NotificationKind
-- is the list). A CHECK constraint cannot be changed in place in SQLite, so the outbox is rebuilt with the same
-- columns, rows and ids: the new table is filled, the link table is kept aside without its reference, both old
-- tables are dropped (the link table first, so nothing refers to the outbox while it goes), the new one takes the
-- name, and the link table comes back with its reference and its rows. Portable SQL (see V1). On PostgreSQL the
-- copied ids do not advance the identity sequence; the PostgreSQL store starts from an empty database.
CREATE TABLE outbox_v21 (
    id              ${id},
    dedupe_key      VARCHAR(200)  NOT NULL UNIQUE,
    kind            VARCHAR(20)   NOT NULL,
    client_id       VARCHAR(100),
    to_number       VARCHAR(40)   NOT NULL,
    body            TEXT          NOT NULL,
    state           VARCHAR(20)   NOT NULL,
    created_at      BIGINT        NOT NULL,
    next_attempt_at BIGINT        NOT NULL,
    give_up_at      BIGINT        NOT NULL,
    attempts        INTEGER       NOT NULL,
    claimed_at      BIGINT,
    sent_at         BIGINT,
    provider_id     VARCHAR(64),
    last_error      VARCHAR(1000),
    delivery        VARCHAR(100),
    delivery_at     BIGINT,
    CHECK (state IN ('pending', 'sending', 'sent', 'failed'))
);
INSERT INTO outbox_v21 (id, dedupe_key, kind, client_id, to_number, body, state, created_at, next_attempt_at,
                        give_up_at, attempts, claimed_at, sent_at, provider_id, last_error, delivery, delivery_at)
    SELECT id, dedupe_key, kind, client_id, to_number, body, state, created_at, next_attempt_at, give_up_at, attempts,
           claimed_at, sent_at, provider_id, last_error, delivery, delivery_at FROM outbox;
CREATE TABLE outbox_messages_v21 (
    outbox_id  BIGINT NOT NULL,
    message_id BIGINT NOT NULL
);
INSERT INTO outbox_messages_v21 (outbox_id, message_id) SELECT outbox_id, message_id FROM outbox_messages;
DROP TABLE outbox_messages;
DROP TABLE outbox;
ALTER TABLE outbox_v21 RENAME TO outbox;
CREATE TABLE outbox_messages (
    outbox_id  BIGINT NOT NULL REFERENCES outbox (id),
    message_id BIGINT NOT NULL REFERENCES messages (id),
    PRIMARY KEY (outbox_id, message_id)
);
INSERT INTO outbox_messages (outbox_id, message_id) SELECT outbox_id, message_id FROM outbox_messages_v21;
DROP TABLE outbox_messages_v21;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_by_state_created ON outbox (state, created_at);
CREATE INDEX outbox_messages_by_message ON outbox_messages (message_id);
CREATE INDEX outbox_by_provider ON outbox (provider_id);

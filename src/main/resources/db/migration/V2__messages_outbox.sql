-- Vorzimmer schema, version 2: message details, state history and the notification outbox.
-- Portable SQL as in V1: ${id} is the auto-assigned key, instants are BIGINT epoch milliseconds.

-- What the secretary filled in: the caller's callback wish and the client's intake fields as a JSON object.
ALTER TABLE messages ADD COLUMN callback_wanted BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE messages ADD COLUMN intake_json TEXT;

-- Every state change of a message, oldest first; the first row (from_state NULL) is its creation.
CREATE TABLE message_history (
    id         ${id},
    message_id BIGINT       NOT NULL REFERENCES messages (id),
    at         BIGINT       NOT NULL,
    from_state VARCHAR(20),
    to_state   VARCHAR(20)  NOT NULL,
    changed_by VARCHAR(100),
    CHECK (to_state IN ('new', 'notified', 'read', 'done'))
);
CREATE INDEX message_history_by_message ON message_history (message_id, id);

-- Notifications to send (SMS), written in the same transaction as what they are about.
-- dedupe_key makes enqueueing idempotent: 'urgent:<message id>', 'digest:<client>:<local date>'.
-- state: pending (due at next_attempt_at), sending (claimed at claimed_at, provider call in flight),
-- sent (provider accepted; provider_id is its message SID), failed (permanent error or gave up).
CREATE TABLE outbox (
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
    CHECK (kind IN ('urgent', 'digest')),
    CHECK (state IN ('pending', 'sending', 'sent', 'failed'))
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

-- The messages a notification tells about (one for an urgent SMS, several for a digest); once it is sent they
-- move from 'new' to 'notified'.
CREATE TABLE outbox_messages (
    outbox_id  BIGINT NOT NULL REFERENCES outbox (id),
    message_id BIGINT NOT NULL REFERENCES messages (id),
    PRIMARY KEY (outbox_id, message_id)
);
CREATE INDEX outbox_messages_by_message ON outbox_messages (message_id);

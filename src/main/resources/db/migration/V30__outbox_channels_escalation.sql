-- Vorzimmer schema, version 30: the outbox carries more than SMS, and urgent messages climb an escalation chain.
-- Portable SQL (see V1). The outbox is rebuilt as V21 rebuilt it (same rows and ids, the delivery columns of V9 kept,
-- the link table kept aside without its reference and brought back with it), now with a channel, the cancelled
-- state, and to_number long enough for an e-mail address. The kind stays unchecked (notify.NotificationKind is the
-- list since V21). On PostgreSQL the copied ids do not advance the identity sequence; the PostgreSQL store starts
-- from an empty database.
--   kind:    urgent (about one urgent message), digest, booking (V21), message (one other message, by e-mail),
--            callout (a step of an escalation chain)
--   channel: sms, call (a call-out that reads the message), email; rows written without one are SMS
--   state:   pending, sending, sent, failed, cancelled (a step of an escalation that was confirmed or stopped)
CREATE TABLE outbox_v30 (
    id              ${id},
    dedupe_key      VARCHAR(200)  NOT NULL UNIQUE,
    kind            VARCHAR(20)   NOT NULL,
    channel         VARCHAR(10)   DEFAULT 'sms' NOT NULL,
    client_id       VARCHAR(100),
    to_number       VARCHAR(320)  NOT NULL,
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
    CHECK (channel IN ('sms', 'call', 'email')),
    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled'))
);
INSERT INTO outbox_v30 (id, dedupe_key, kind, channel, client_id, to_number, body, state, created_at, next_attempt_at,
                        give_up_at, attempts, claimed_at, sent_at, provider_id, last_error, delivery, delivery_at)
    SELECT id, dedupe_key, kind, 'sms', client_id, to_number, body, state, created_at, next_attempt_at, give_up_at,
           attempts, claimed_at, sent_at, provider_id, last_error, delivery, delivery_at FROM outbox;
CREATE TABLE outbox_messages_v30 (
    outbox_id  BIGINT NOT NULL,
    message_id BIGINT NOT NULL
);
INSERT INTO outbox_messages_v30 (outbox_id, message_id) SELECT outbox_id, message_id FROM outbox_messages;
DROP TABLE outbox_messages;
DROP TABLE outbox;
ALTER TABLE outbox_v30 RENAME TO outbox;
CREATE TABLE outbox_messages (
    outbox_id  BIGINT NOT NULL REFERENCES outbox (id),
    message_id BIGINT NOT NULL REFERENCES messages (id),
    PRIMARY KEY (outbox_id, message_id)
);
INSERT INTO outbox_messages (outbox_id, message_id) SELECT outbox_id, message_id FROM outbox_messages_v30;
DROP TABLE outbox_messages_v30;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_by_state_created ON outbox (state, created_at);
CREATE INDEX outbox_messages_by_message ON outbox_messages (message_id);
CREATE INDEX outbox_by_provider ON outbox (provider_id);

-- One escalation chain per urgent message: who must confirm it, tried in turn (escalation.Chain).
--   state: running, confirmed, stopped (by a secretary), exhausted (everyone tried, every round)
--   steps: how many steps were planned (the next step's number); awaiting: the call whose end moves the chain on
CREATE TABLE escalations (
    message_id    BIGINT        NOT NULL PRIMARY KEY REFERENCES messages (id),
    client_id     VARCHAR(100)  NOT NULL,
    state         VARCHAR(20)   NOT NULL,
    round         INTEGER       NOT NULL,
    position      INTEGER       NOT NULL,
    steps         INTEGER       NOT NULL,
    awaiting      INTEGER       NOT NULL,
    started_at    BIGINT        NOT NULL,
    updated_at    BIGINT        NOT NULL,
    confirmed_at  BIGINT,
    confirmed_by  VARCHAR(200),
    confirmed_via VARCHAR(20),
    stopped_at    BIGINT,
    stopped_by    VARCHAR(100),
    CHECK (state IN ('running', 'confirmed', 'stopped', 'exhausted'))
);
CREATE INDEX escalations_by_state ON escalations (state, updated_at);

-- Each step of a chain: the urgent SMS (step 0) and the call-outs, with the outbox row that carries it out.
-- placed_at: a call-out was handed to the PBX (set before the request; it keeps that number's line for this step);
-- outcome: sent (SMS), confirmed, answered (no 1 pressed), no-answer, busy, failed, unknown, cancelled.
CREATE TABLE escalation_steps (
    message_id BIGINT        NOT NULL REFERENCES messages (id),
    step       INTEGER       NOT NULL,
    channel    VARCHAR(10)   NOT NULL,
    person     VARCHAR(200)  NOT NULL,
    number     VARCHAR(40)   NOT NULL,
    outbox_id  BIGINT,
    due_at     BIGINT        NOT NULL,
    placed_at  BIGINT,
    outcome    VARCHAR(20),
    ended_at   BIGINT,
    PRIMARY KEY (message_id, step)
);
CREATE INDEX escalation_steps_by_outbox ON escalation_steps (outbox_id);
CREATE INDEX escalation_steps_open_lines ON escalation_steps (number, outcome);

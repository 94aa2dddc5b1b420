-- Vorzimmer schema, version 5: the client phone-in line. Portable SQL (see V1).

-- Every PIN entered on the phone-in line for a known client, right or wrong: five wrong ones within an hour
-- (after the last right one) lock phone-in for that client (see phonein.PinLockout).
CREATE TABLE phonein_pin_attempts (
    id        ${id},
    client_id VARCHAR(100) NOT NULL,
    at        BIGINT       NOT NULL,
    ok        BOOLEAN      NOT NULL,
    channel   VARCHAR(20)  NOT NULL,
    call_id   VARCHAR(200),
    caller    VARCHAR(40)
);
CREATE INDEX phonein_pin_attempts_by_client ON phonein_pin_attempts (client_id, at);

-- Locks imposed after too many wrong PINs; phone-in for the client is refused until locked_until.
CREATE TABLE phonein_lockouts (
    id           ${id},
    client_id    VARCHAR(100) NOT NULL,
    locked_at    BIGINT       NOT NULL,
    locked_until BIGINT       NOT NULL,
    failures     INTEGER      NOT NULL,
    channel      VARCHAR(20)  NOT NULL,
    call_id      VARCHAR(200),
    caller       VARCHAR(40)
);
CREATE INDEX phonein_lockouts_by_client ON phonein_lockouts (client_id, locked_until);

-- Phone-in calls over Twilio in progress: the dialog state between two webhooks, keyed by CallSid.
CREATE TABLE phonein_sessions (
    call_sid   VARCHAR(64) PRIMARY KEY,
    state_json TEXT        NOT NULL,
    created_at BIGINT      NOT NULL,
    updated_at BIGINT      NOT NULL
);
CREATE INDEX phonein_sessions_by_updated ON phonein_sessions (updated_at);

-- Twilio calls in progress, keyed by CallSid: what /twilio/voice decided, so the later legs (whisper,
-- dial result, recording, status) act on the same decision, and whether the call ended answered, recorded,
-- rejected or missed (so a caller who hangs up early leaves exactly one missed-call message).
-- One row per call; rows are small and kept like the call log.
CREATE TABLE IF NOT EXISTS twilio_calls (
    call_sid       VARCHAR(64)   PRIMARY KEY,
    created_at     BIGINT        NOT NULL,
    client_id      VARCHAR(100),
    line           VARCHAR(40),
    caller_number  VARCHAR(40),
    caller_name    VARCHAR(200),
    action         VARCHAR(20)   NOT NULL,
    urgent         BOOLEAN       NOT NULL,
    language       VARCHAR(20)   NOT NULL,
    screen_targets TEXT          NOT NULL,
    accepted       BOOLEAN       NOT NULL,
    outcome        VARCHAR(20),
    message_id     BIGINT,
    updated_at     BIGINT        NOT NULL,
    CHECK (outcome IS NULL OR outcome IN ('answered', 'recorded', 'missed', 'rejected'))
);
CREATE INDEX IF NOT EXISTS twilio_calls_by_created ON twilio_calls (created_at);

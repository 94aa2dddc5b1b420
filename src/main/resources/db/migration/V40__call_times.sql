-- Vorzimmer schema, version 40: when each call was answered and when it ended, for the usage report (what each
-- client costs: the minutes a secretary spent on its calls). Neither PBX's store kept the answer time: Asterisk calls
-- live only in the AMI call tracker's memory, and twilio_calls has no answer time and is deleted after a week. The
-- rows are written from the live call state both PBXs publish (usage.CallTimesRecorder), on every node that sees it;
-- the conditional writes make that idempotent. stage: what the call was answered in (screen, fallback: a secretary;
-- put-through: the client). Portable SQL (see V1).
CREATE TABLE call_times (
    call_id     VARCHAR(200) PRIMARY KEY,
    client_id   VARCHAR(100),
    stage       VARCHAR(20),
    answered_by VARCHAR(200),
    answered_at BIGINT       NOT NULL,
    ended_at    BIGINT
);
CREATE INDEX call_times_by_answered ON call_times (answered_at);

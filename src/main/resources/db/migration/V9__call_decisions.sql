-- Vorzimmer schema, version 9: the decision a Twilio call was routed with travels with its row, so the later legs
-- (whisper, dial result, recording, status, the console's choices) and the console's screen-pop use the decision
-- that was made instead of deciding again. decision_json: the call's decision as calls.CallDecision writes it
-- (NULL on rows stored by an earlier release). Portable SQL (see V1).
ALTER TABLE twilio_calls ADD COLUMN decision_json TEXT;

-- What the SMS provider last reported about a sent notification's delivery (Twilio's status callback:
-- delivered, undelivered, failed, with its error code), and when.
ALTER TABLE outbox ADD COLUMN delivery VARCHAR(100);
ALTER TABLE outbox ADD COLUMN delivery_at BIGINT;

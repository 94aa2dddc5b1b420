-- Vorzimmer schema, version 7: how far a Twilio call has got, so its live state (the console's screen-pop on the
-- event bus) is published once per change even when Twilio retries a webhook or another node answers the retry.
-- stage: what is being done with the call now (put-through, screen, message, reject); NULL on older rows, which
-- then are still at their action. ended_at: when a webhook first learnt that the call is over (NULL while it runs).
-- Portable SQL (see V1).
ALTER TABLE twilio_calls ADD COLUMN stage VARCHAR(20);
ALTER TABLE twilio_calls ADD COLUMN ended_at BIGINT;

-- Vorzimmer schema, version 6: indexes for the housekeeping job (server.Housekeeping), which deletes rows
-- older than their retention period in small batches; without these each batch would scan its table.
-- Portable SQL (see V1).
CREATE INDEX twilio_calls_by_updated ON twilio_calls (updated_at);
CREATE INDEX call_choices_by_chosen ON call_choices (chosen_at);
CREATE INDEX outbox_by_state_created ON outbox (state, created_at);
CREATE INDEX phonein_pin_attempts_by_at ON phonein_pin_attempts (at);
CREATE INDEX phonein_lockouts_by_until ON phonein_lockouts (locked_until);
CREATE INDEX console_sessions_by_created ON console_sessions (created_at);

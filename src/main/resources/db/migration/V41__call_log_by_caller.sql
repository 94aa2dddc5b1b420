-- Vorzimmer schema, version 41: the console's screen-pop lists a caller's earlier calls to the same client
-- (console.CallHistory); without this index each ringing call would scan the call log. Portable SQL (see V1).
CREATE INDEX call_log_by_client_caller ON call_log (client_id, caller_number, at);

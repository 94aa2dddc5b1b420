-- Vorzimmer schema, version 70: the screen-pop's "earlier messages of this caller" read through an index instead of
-- reading up to 1,000 of the client's messages per ringing call (messages are never deleted, so that read grew with
-- the years). Callers' numbers are kept as they came (a typed message as the secretary wrote it, a PBX's national
-- spelling), so the index is on the last 7 digits, which every spelling of a number shares ("030 987 65 43",
-- "+49 30 9876543" -> "9876543"); the console compares the candidates in E.164 as before
-- (messages.MessageStore.callerKey writes the same for new rows). Portable SQL (see V1).
ALTER TABLE messages ADD COLUMN caller_key VARCHAR(7);
UPDATE messages SET caller_key = CASE
    WHEN LENGTH(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(caller_number, ' ', ''), '-', ''), '/', ''),
                 '(', ''), ')', ''), '+', ''), '.', '')) <= 7
    THEN REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(caller_number, ' ', ''), '-', ''), '/', ''),
                 '(', ''), ')', ''), '+', ''), '.', '')
    ELSE SUBSTR(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(caller_number, ' ', ''), '-', ''), '/', ''),
                 '(', ''), ')', ''), '+', ''), '.', ''),
                LENGTH(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(caller_number, ' ', ''), '-', ''), '/', ''),
                 '(', ''), ')', ''), '+', ''), '.', '')) - 6)
    END
WHERE caller_number IS NOT NULL AND caller_number <> '';
CREATE INDEX messages_by_client_caller ON messages (client_id, caller_key, created_at);

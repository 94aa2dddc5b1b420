-- Who took a ringing call: the first secretary's choice wins, on every node (the primary key guards it).
-- A row is removed again when the phone system refused to carry the choice out; housekeeping deletes old rows
-- with the call choices (retention.call-choices).
CREATE TABLE call_claims (
    call_id    VARCHAR(200) PRIMARY KEY,
    choice     VARCHAR(20)  NOT NULL,
    claimed_by VARCHAR(100) NOT NULL,
    claimed_at BIGINT       NOT NULL
);
CREATE INDEX call_claims_by_time ON call_claims (claimed_at);

-- Vorzimmer schema, version 60: leases for the work that must run on one node at a time when several nodes share one
-- database (the SMS outbox, the digests, housekeeping, the AMI connection to each PBX with its recordings). A node
-- holds a lease while it renews it before expires_at; another node takes it over after that with a conditional
-- update (cluster.LeaseStore). Portable SQL (see V1); instants are BIGINT epoch milliseconds.
CREATE TABLE leases (
    name        VARCHAR(200) NOT NULL PRIMARY KEY,
    holder      VARCHAR(200) NOT NULL,
    acquired_at BIGINT       NOT NULL,
    renewed_at  BIGINT       NOT NULL,
    expires_at  BIGINT       NOT NULL
);

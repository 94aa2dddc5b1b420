-- Vorzimmer schema, version 4: the web console's users, sessions and API tokens, and the choices
-- secretaries made on ringing calls. Portable SQL (see V1).

-- People who log in to the console: secretaries (linked to a book secretary id) and admins.
-- password_hash is a salted PBKDF2 hash (pbkdf2-sha256$ITER$SALT$HASH); the password itself is never stored.
CREATE TABLE console_users (
    username      VARCHAR(100) PRIMARY KEY,
    role          VARCHAR(20)  NOT NULL,
    secretary_id  VARCHAR(100),
    display_name  VARCHAR(200),
    password_hash VARCHAR(300) NOT NULL,
    created_at    BIGINT       NOT NULL,
    changed_at    BIGINT       NOT NULL,
    disabled      BOOLEAN      NOT NULL,
    CHECK (role IN ('admin', 'secretary'))
);

-- Console sessions, shared by every node on the same database. id_hash is the SHA-256 of the cookie value,
-- so a copy of the table does not hand out live sessions. Expiry: idle and absolute, checked on every use.
CREATE TABLE console_sessions (
    id_hash      VARCHAR(64)  PRIMARY KEY,
    username     VARCHAR(100) NOT NULL,
    csrf_token   VARCHAR(64)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    last_seen_at BIGINT       NOT NULL,
    user_agent   VARCHAR(300)
);
CREATE INDEX console_sessions_by_user ON console_sessions (username);
CREATE INDEX console_sessions_by_seen ON console_sessions (last_seen_at);

-- API tokens for machines (Authorization: Bearer ...). Only the SHA-256 of the token is kept.
CREATE TABLE api_tokens (
    id          ${id},
    name        VARCHAR(100) NOT NULL,
    token_hash  VARCHAR(64)  NOT NULL UNIQUE,
    created_at  BIGINT       NOT NULL,
    created_by  VARCHAR(100) NOT NULL,
    last_used_at BIGINT,
    revoked_at  BIGINT
);

-- What a secretary chose for a ringing call (put-through, message, voicemail), for the record and for
-- the PBX adapter that carries it out.
CREATE TABLE call_choices (
    id         ${id},
    call_id    VARCHAR(200) NOT NULL,
    choice     VARCHAR(20)  NOT NULL,
    chosen_by  VARCHAR(100) NOT NULL,
    chosen_at  BIGINT       NOT NULL,
    carried_out BOOLEAN     NOT NULL,
    CHECK (choice IN ('put-through', 'message', 'voicemail'))
);
CREATE INDEX call_choices_by_call ON call_choices (call_id);

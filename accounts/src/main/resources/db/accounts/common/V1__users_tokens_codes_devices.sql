-- Users. username_key and email_key are the lower-case forms that make both unique whatever their case.
CREATE TABLE users (
    id            TEXT    PRIMARY KEY,
    username      TEXT    NOT NULL,
    username_key  TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,          -- Argon2id PHC string
    email         TEXT,
    email_key     TEXT    UNIQUE,
    display_name  TEXT,
    role          TEXT    NOT NULL,          -- admin | user
    status        TEXT    NOT NULL,          -- active | disabled
    created_at    BIGINT  NOT NULL,
    last_login_at BIGINT
);

-- Sign-in sessions: one family of refresh tokens each. revoked_at ends every token of the family.
CREATE TABLE refresh_families (
    id         TEXT   PRIMARY KEY,
    user_id    TEXT   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_id  TEXT,                          -- set when a device signed in
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX refresh_families_user ON refresh_families (user_id);

-- Refresh tokens, as their SHA-256 only. used_at is set once the token was exchanged.
CREATE TABLE refresh_tokens (
    hash       TEXT   PRIMARY KEY,
    family_id  TEXT   NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
    user_id    TEXT   NOT NULL,
    issued_at  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- One-time codes (invites, links), as the SHA-256 of purpose and code only.
CREATE TABLE one_time_codes (
    hash       TEXT   PRIMARY KEY,
    purpose    TEXT   NOT NULL,
    subject    TEXT   NOT NULL,
    expires_at BIGINT NOT NULL
);

-- Devices that sign in with an Ed25519 key instead of a password.
CREATE TABLE devices (
    id         TEXT   PRIMARY KEY,
    user_id    TEXT   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT   NOT NULL,
    public_key TEXT   NOT NULL,               -- base64url of the raw 32 bytes
    created_at BIGINT NOT NULL
);
CREATE INDEX devices_user ON devices (user_id);

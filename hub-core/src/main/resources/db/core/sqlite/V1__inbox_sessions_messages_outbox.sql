-- Every message that arrived, keyed by the platform's id, so a redelivery is handled once.
CREATE TABLE inbox (
    channel      TEXT    NOT NULL,
    message_id   TEXT    NOT NULL,
    session_key  TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    owner        TEXT,
    lease_until  INTEGER,
    received_at  INTEGER NOT NULL,
    completed_at INTEGER,
    PRIMARY KEY (channel, message_id)
);
CREATE INDEX inbox_unfinished ON inbox (state, received_at) WHERE state IN ('pending', 'processing');
CREATE INDEX inbox_completed ON inbox (completed_at) WHERE completed_at IS NOT NULL;

CREATE TABLE sessions (
    session_key   TEXT    PRIMARY KEY,
    channel       TEXT    NOT NULL,
    chat_id       TEXT    NOT NULL,
    message_count INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX sessions_recent ON sessions (updated_at);

CREATE TABLE messages (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT    NOT NULL UNIQUE,
    session_key TEXT    NOT NULL,
    role        TEXT    NOT NULL,
    content     TEXT    NOT NULL,
    sender_id   TEXT,
    created_at  INTEGER NOT NULL
);
CREATE INDEX messages_by_session ON messages (session_key, seq);

-- Replies waiting to be sent; written in the transaction that finishes their inbound message.
CREATE TABLE outbox (
    id          TEXT    PRIMARY KEY,
    channel     TEXT    NOT NULL,
    chat_id     TEXT    NOT NULL,
    in_reply_to TEXT,
    payload     TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    last_error  TEXT,
    created_at  INTEGER NOT NULL,
    done_at     INTEGER
);
CREATE INDEX outbox_unsent ON outbox (created_at) WHERE state = 'pending';
CREATE INDEX outbox_by_inbound ON outbox (channel, in_reply_to);

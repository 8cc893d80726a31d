-- Outbound webhook endpoints (event subscriptions). Secrets are kept to sign deliveries.
CREATE TABLE webhook_endpoints (
    id              TEXT    PRIMARY KEY,
    url             TEXT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    events          TEXT    NOT NULL,  -- JSON array of event types, "*" for all
    enabled         INTEGER NOT NULL,
    disabled_reason TEXT,
    secret          TEXT    NOT NULL,
    previous_secret TEXT,              -- still signs until previous_until (rotation grace)
    previous_until  INTEGER,
    failing_since   INTEGER,           -- first failure since the last success
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

-- Inbound hooks: POST /hooks/{id}. The token is kept as its SHA-256 only.
CREATE TABLE hooks (
    id          TEXT    PRIMARY KEY,
    description TEXT    NOT NULL DEFAULT '',
    token_hash  TEXT    NOT NULL,
    secret      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

-- Messages that came in through a hook, and their replies once the agent answered.
CREATE TABLE hook_messages (
    message_id   TEXT    PRIMARY KEY,
    hook_id      TEXT    NOT NULL,
    callback_url TEXT,
    reply_id     TEXT,
    reply        TEXT,
    created_at   INTEGER NOT NULL,
    replied_at   INTEGER
);

-- Every delivery is written here before it is sent (the outbox) and kept as the delivery log.
-- Exactly one of endpoint_id (an event) and hook_id (a hook's reply callback) is set.
CREATE TABLE webhook_deliveries (
    id              TEXT    PRIMARY KEY,  -- the webhook-id header, the same on every attempt
    endpoint_id     TEXT,
    hook_id         TEXT,
    url             TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    state           TEXT    NOT NULL,     -- pending, delivered, failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    done_at         INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, created_at);

CREATE TABLE webhook_attempts (
    delivery_id TEXT    NOT NULL,
    attempt     INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    status      INTEGER,                  -- HTTP status, null when no response came
    error       TEXT,
    duration_ms INTEGER NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);

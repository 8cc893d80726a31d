-- The tables of sqlite/V1 in PostgreSQL: times are epoch milliseconds in BIGINT, hashes BYTEA.

-- Remote agent gateways, registered by admins through /api/v1/gateways.
CREATE TABLE gateways (
    name           TEXT    PRIMARY KEY,
    url            TEXT    NOT NULL,
    token          TEXT    NOT NULL,
    weight         INTEGER NOT NULL,
    status         TEXT    NOT NULL,
    last_heartbeat BIGINT,
    created_at     BIGINT  NOT NULL
);

-- Tasks posted to gateways. The callback token is kept only as its SHA-256.
CREATE TABLE agent_tasks (
    id          TEXT   PRIMARY KEY,
    agent       TEXT   NOT NULL,
    gateway     TEXT   NOT NULL,
    session_key TEXT   NOT NULL,
    token_hash  BYTEA  NOT NULL,
    status      TEXT   NOT NULL,
    result      TEXT,
    error       TEXT,
    created_at  BIGINT NOT NULL,
    deadline    BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX agent_tasks_running ON agent_tasks (status) WHERE status = 'running';

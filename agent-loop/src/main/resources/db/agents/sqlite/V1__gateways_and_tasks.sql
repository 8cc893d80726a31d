-- Remote agent gateways, registered by admins through /api/v1/gateways.
CREATE TABLE gateways (
    name           TEXT PRIMARY KEY,
    url            TEXT NOT NULL,
    token          TEXT NOT NULL,          -- shared with the gateway: sent on task posts, checked on heartbeats
    weight         INTEGER NOT NULL,
    status         TEXT NOT NULL,          -- what the gateway last reported: online, draining (offline until then)
    last_heartbeat INTEGER,                -- epoch millis; stale means offline
    created_at     INTEGER NOT NULL
);

-- Tasks posted to gateways. The callback token is kept only as its SHA-256; a finished task (status other than
-- running) refuses further callbacks, also after a restart.
CREATE TABLE agent_tasks (
    id          TEXT PRIMARY KEY,
    agent       TEXT NOT NULL,
    gateway     TEXT NOT NULL,
    session_key TEXT NOT NULL,
    token_hash  BLOB NOT NULL,
    status      TEXT NOT NULL,             -- running, completed, failed, timed_out
    result      TEXT,
    error       TEXT,
    created_at  INTEGER NOT NULL,
    deadline    INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX agent_tasks_running ON agent_tasks (status) WHERE status = 'running';

-- The hub instances using this database, one row each, written by its heartbeat every cluster.heartbeat and removed
-- on a clean stop. An instance whose last_seen is older than cluster.deadAfter is dead: the others take over the
-- inbox messages it held. queues is JSON: {"inbound":0,"outbound":0}.
CREATE TABLE instances (
    id         TEXT   PRIMARY KEY,
    started_at BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL,
    queues     TEXT   NOT NULL
);

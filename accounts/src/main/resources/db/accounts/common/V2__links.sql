-- Chat accounts linked to users: a sender id on a channel belongs to at most one user.
CREATE TABLE links (
    channel   TEXT   NOT NULL,
    sender_id TEXT   NOT NULL,
    user_id   TEXT   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (channel, sender_id)
);
CREATE INDEX links_user ON links (user_id);

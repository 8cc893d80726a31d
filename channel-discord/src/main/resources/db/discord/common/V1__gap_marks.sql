-- The newest message seen in each Discord channel (a snowflake, below 2^63), so that the instance that opens the
-- gateway next fetches the messages written since: after a restart, or on another instance after a take-over.
CREATE TABLE discord_gap_marks (
    channel_id TEXT   PRIMARY KEY,
    message_id BIGINT NOT NULL,
    dm_user_id TEXT,              -- the user of a direct-message channel, to open it again
    updated_at BIGINT NOT NULL
);
CREATE INDEX discord_gap_marks_age ON discord_gap_marks (updated_at);

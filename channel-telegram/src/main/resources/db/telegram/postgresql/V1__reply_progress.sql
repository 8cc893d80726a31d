-- The table of sqlite/V1 in PostgreSQL: how far the delivery of a Telegram reply got.
CREATE TABLE telegram_reply_progress (
    reply_id   TEXT    PRIMARY KEY,
    preview_id BIGINT,
    parts_sent INTEGER NOT NULL,
    updated_at BIGINT  NOT NULL
);
CREATE INDEX telegram_reply_progress_age ON telegram_reply_progress (updated_at);

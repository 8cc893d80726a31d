-- How far the delivery of a Telegram reply got, so a reply sent again (the outbox resends what was pending at a
-- stop) skips the parts Telegram already has. A row lives from the first delivered piece to the last part.
CREATE TABLE telegram_reply_progress (
    reply_id   TEXT    PRIMARY KEY,
    preview_id INTEGER,           -- the message showing the streamed reply, still to be edited into part 1
    parts_sent INTEGER NOT NULL,  -- parts of the final reply Telegram has accepted
    updated_at INTEGER NOT NULL
);
CREATE INDEX telegram_reply_progress_age ON telegram_reply_progress (updated_at);

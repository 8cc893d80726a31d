-- The test channel's own table: every reply it handed back, by chat.
CREATE TABLE echo_test_replies (
    chat TEXT NOT NULL,
    reply TEXT NOT NULL,
    sent_at INTEGER NOT NULL
);

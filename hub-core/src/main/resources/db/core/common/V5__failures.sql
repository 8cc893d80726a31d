-- Failed credential checks and sign-ins, one row per failure, so that lockouts hold across the instances sharing the
-- database: scope names the counter (auth: admin.authFailuresPerMinute; the accounts module's login and code
-- throttles), subject what is counted (a client IP, a username, a chat sender), at the time in epoch milliseconds.
-- Rows older than an hour are deleted whenever a failure is recorded.
CREATE TABLE failures (
    scope   TEXT   NOT NULL,
    subject TEXT   NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX failures_subject ON failures (scope, subject, at);
CREATE INDEX failures_at ON failures (at);

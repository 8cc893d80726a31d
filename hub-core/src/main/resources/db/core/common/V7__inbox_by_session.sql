-- The unfinished messages of a session, which a claim checks so that a session's messages are answered in order,
-- one at a time, across instances.
CREATE INDEX inbox_session_unfinished ON inbox (session_key, received_at) WHERE state IN ('pending', 'processing');

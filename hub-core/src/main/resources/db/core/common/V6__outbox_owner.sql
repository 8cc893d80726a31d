-- The instance that is to send an unsent reply: the one whose worker stored it (it held the message answered), or,
-- once that instance stopped beating or gave its replies back on a clean stop (owner NULL), the one that took it over.
ALTER TABLE outbox ADD COLUMN owner TEXT;

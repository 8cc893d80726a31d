-- The session key of a linked account's direct conversation with the bot, recorded when the hub handles a direct
-- message from it: a Discord DM's key is its DM channel's, not the sender's, so it cannot be derived from the link.
ALTER TABLE links ADD COLUMN direct_session TEXT;

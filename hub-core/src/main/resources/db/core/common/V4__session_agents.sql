-- The agent a user chose for a conversation (POST /api/v1/me/sessions {agent}); NULL: the routing chooses.
ALTER TABLE sessions ADD COLUMN agent TEXT;

-- A title a user gives a conversation (GET/POST/PATCH /api/v1/me/sessions); NULL until they do.
ALTER TABLE sessions ADD COLUMN title TEXT;

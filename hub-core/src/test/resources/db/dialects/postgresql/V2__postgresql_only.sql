-- What only PostgreSQL gets; must never run on SQLite.
CREATE TABLE dialects_postgresql (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY);

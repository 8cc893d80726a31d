-- A module's script for every database.
CREATE TABLE dialects_common (id INTEGER PRIMARY KEY, note TEXT NOT NULL);

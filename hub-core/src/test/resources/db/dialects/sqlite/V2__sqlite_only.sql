-- What only SQLite gets.
CREATE TABLE dialects_sqlite (id INTEGER PRIMARY KEY AUTOINCREMENT);

-- Tables whose names sort before the tables their foreign keys name, as accounts' devices sort before users.
CREATE TABLE zz_owners (
    id     TEXT   PRIMARY KEY,
    secret TEXT   NOT NULL,
    born   BIGINT NOT NULL
);
CREATE TABLE aa_keys (
    id       TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES zz_owners (id)
);
CREATE TABLE mm_uses (
    key_id TEXT   NOT NULL REFERENCES aa_keys (id),
    at     BIGINT NOT NULL
);

-- Challenges handed to devices, waiting for their signed answer: single use, valid 60 s. In the database so that a
-- device may answer on any instance.
CREATE TABLE device_nonces (
    nonce      TEXT   PRIMARY KEY,
    device_id  TEXT   NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX device_nonces_expiry ON device_nonces (expires_at);

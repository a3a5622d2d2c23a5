-- Sign-in and sign-up attempt counters, shared by every node (an in-memory limiter doubles with
-- each node). One row per key: a SHA-256 of what is limited (an account from an address, an
-- address, an account from anywhere), never the e-mail or address itself. A window starts at its
-- first attempt and lasts the limit's window; attempts then start a new one.
CREATE TABLE auth_limits (
    key          bytea PRIMARY KEY,
    window_start timestamptz NOT NULL,
    hits         integer NOT NULL CHECK (hits > 0)
);
CREATE INDEX auth_limits_window_start ON auth_limits (window_start);

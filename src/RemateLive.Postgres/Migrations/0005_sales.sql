-- Remate Live schema, version 5: live sales (an auctioneer calls a catalogue of lots one by one).
-- "state" is the whole SaleState (lots, the lot on offer, absentee maxima and who holds which paddle:
-- secrets that never leave the server). "version" moves on every commit (compare-and-set); "seq" is the
-- seq of the latest public event (an absentee bid changes the state without an event).
CREATE TABLE {schema}.sales (
    id         uuid        PRIMARY KEY,
    status     text        NOT NULL CHECK (status IN ('scheduled', 'running', 'paused', 'ended')),
    starts_at  timestamptz NOT NULL,
    version    bigint      NOT NULL CHECK (version >= 0),
    seq        bigint      NOT NULL CHECK (seq >= 0),
    state      jsonb       NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX sales_starts_idx ON {schema}.sales (starts_at);

-- The public event log of each sale; seq is gap-free per sale from 1.
CREATE TABLE {schema}.sale_events (
    sale_id     uuid        NOT NULL REFERENCES {schema}.sales (id),
    seq         bigint      NOT NULL CHECK (seq > 0),
    type        text        NOT NULL,
    payload     jsonb       NOT NULL,
    occurred_at timestamptz NOT NULL,
    PRIMARY KEY (sale_id, seq)
);

-- Remate Live schema, version 1. {schema} is replaced by the configured, quoted schema name.
-- The database enforces atomicity and invariants (unique seq, positive and rising amounts, one close
-- per auction, final states stay final); business rules (increments, proxy, reserve) live in C#.

CREATE TABLE {schema}.users (
    id            uuid        PRIMARY KEY,
    username      text        NOT NULL CHECK (length(username) BETWEEN 1 AND 64),
    display_name  text        NOT NULL,
    password_hash text,
    role          text        NOT NULL CHECK (role IN ('bidder', 'admin')),
    created_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_username_ci_key ON {schema}.users (lower(username));

-- One row per auction. "state" is the full AuctionState (increment rule, soft close, reserve and the
-- leader's maximum: secrets that never leave the server); the columns beside it are copies the
-- database needs for locking decisions, indexes and constraints.
CREATE TABLE {schema}.auctions (
    id            uuid        PRIMARY KEY,
    status        text        NOT NULL CHECK (status IN ('scheduled', 'open', 'closed', 'cancelled')),
    ends_at       timestamptz NOT NULL,
    version       bigint      NOT NULL CHECK (version >= 0),
    price_cents   bigint      CHECK (price_cents > 0),
    winner_id     uuid,
    state         jsonb       NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK (winner_id IS NULL OR status = 'closed')
);
CREATE INDEX auctions_due_idx ON {schema}.auctions (ends_at) WHERE status IN ('scheduled', 'open');
CREATE INDEX auctions_status_ends_idx ON {schema}.auctions (status, ends_at);

-- Accepted bids (manual, proxy, buy-now); seq is the bid's event seq.
CREATE TABLE {schema}.bids (
    auction_id    uuid        NOT NULL REFERENCES {schema}.auctions (id),
    seq           bigint      NOT NULL CHECK (seq > 0),
    id            uuid        NOT NULL UNIQUE,
    bidder_id     uuid        NOT NULL,
    bidder_name   text        NOT NULL,
    amount_cents  bigint      NOT NULL CHECK (amount_cents > 0),
    kind          text        NOT NULL CHECK (kind IN ('manual', 'proxy', 'buy_now')),
    placed_at     timestamptz NOT NULL,
    PRIMARY KEY (auction_id, seq)
);

-- The per-auction durable event log, gap-free from seq 1, replayed to clients that reconnect.
CREATE TABLE {schema}.events (
    auction_id    uuid        NOT NULL REFERENCES {schema}.auctions (id),
    seq           bigint      NOT NULL CHECK (seq > 0),
    type          text        NOT NULL CHECK (type IN ('bid_placed', 'auction_extended', 'auction_closed', 'auction_cancelled')),
    occurred_at   timestamptz NOT NULL,
    payload       jsonb       NOT NULL,
    PRIMARY KEY (auction_id, seq)
);
-- An auction ends once: at most one close or cancel event, hence at most one winner.
CREATE UNIQUE INDEX events_one_ending_key ON {schema}.events (auction_id)
    WHERE type IN ('auction_closed', 'auction_cancelled');

-- The first outcome of each idempotency key: the accepted bid's seq, or the rejection.
CREATE TABLE {schema}.bid_outcomes (
    auction_id      uuid        NOT NULL,
    user_id         uuid        NOT NULL,
    idempotency_key text        NOT NULL,
    seq             bigint      CHECK (seq > 0),
    error_code      text,
    error_message   text,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (auction_id, user_id, idempotency_key),
    CHECK ((seq IS NULL) <> (error_code IS NULL))
);

-- One round trip per commit: lock the auction row, check the expected version, the deadline (by the
-- database clock) and the idempotency key, then append the events and bids the domain decided and
-- replace the state. Returns the outcome; on a conflict also the current state, so the caller can
-- re-decide without another read. p_deadline: 0 none, 1 before ends_at (bids), 2 after (timed close).
CREATE FUNCTION {schema}.place_bid(
    p_auction_id       uuid,
    p_expected_version bigint,
    p_deadline         smallint,
    p_state            jsonb,
    p_status           text,
    p_ends_at          timestamptz,
    p_winner_id        uuid,
    p_event_seqs       bigint[],
    p_event_types      text[],
    p_event_times      timestamptz[],
    p_event_payloads   jsonb[],
    p_bid_seqs         bigint[],
    p_bid_ids          uuid[],
    p_bidder_ids       uuid[],
    p_bidder_names     text[],
    p_bid_amounts      bigint[],
    p_bid_kinds        text[],
    p_bid_times        timestamptz[],
    p_outcome_user     uuid,
    p_outcome_key      text,
    p_outcome_seq      bigint,
    p_outcome_at       timestamptz)
RETURNS TABLE (
    result          text,
    current_state   jsonb,
    outcome_seq     bigint,
    outcome_code    text,
    outcome_message text,
    outcome_at      timestamptz)
LANGUAGE plpgsql
AS $$
DECLARE
    cur       {schema}.auctions%ROWTYPE;
    n_events  int := coalesce(cardinality(p_event_seqs), 0);
    n_bids    int := coalesce(cardinality(p_bid_seqs), 0);
    new_price bigint;
BEGIN
    -- A stale caller is answered from the latest committed row without queueing for the lock: under a
    -- hot auction only callers that can still win wait for it (no convoy of doomed requests).
    SELECT * INTO cur FROM {schema}.auctions a WHERE a.id = p_auction_id;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'not_found'::text, NULL::jsonb, NULL::bigint, NULL::text, NULL::text, NULL::timestamptz;
        RETURN;
    END IF;
    IF cur.version = p_expected_version THEN
        SELECT * INTO cur FROM {schema}.auctions a WHERE a.id = p_auction_id FOR UPDATE;
    END IF;

    IF cur.version <> p_expected_version THEN
        RETURN QUERY SELECT 'version_conflict'::text, cur.state, NULL::bigint, NULL::text, NULL::text, NULL::timestamptz;
        RETURN;
    END IF;

    -- The database clock decides at the deadline: a bid and a timed close of the same version cannot both pass.
    IF (p_deadline = 1 AND clock_timestamp() >= cur.ends_at) OR (p_deadline = 2 AND clock_timestamp() < cur.ends_at) THEN
        RETURN QUERY SELECT 'deadline_missed'::text, cur.state, NULL::bigint, NULL::text, NULL::text, NULL::timestamptz;
        RETURN;
    END IF;

    IF p_outcome_key IS NOT NULL THEN
        INSERT INTO {schema}.bid_outcomes (auction_id, user_id, idempotency_key, seq, created_at)
        VALUES (p_auction_id, p_outcome_user, p_outcome_key, p_outcome_seq, p_outcome_at)
        ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN
            RETURN QUERY SELECT 'duplicate_key'::text, cur.state, o.seq, o.error_code, o.error_message, o.created_at
                FROM {schema}.bid_outcomes o
                WHERE o.auction_id = p_auction_id AND o.user_id = p_outcome_user AND o.idempotency_key = p_outcome_key;
            RETURN;
        END IF;
    END IF;

    -- Invariants a buggy caller must not break (the C# side checks them too).
    IF cur.status IN ('closed', 'cancelled') THEN
        RAISE EXCEPTION 'auction % is % (final); nothing may be appended', p_auction_id, cur.status USING ERRCODE = 'check_violation';
    END IF;
    IF n_events = 0 OR p_event_seqs <> ARRAY(SELECT generate_series(p_expected_version + 1, p_expected_version + n_events)) THEN
        RAISE EXCEPTION 'events of auction % must continue version % without gaps', p_auction_id, p_expected_version USING ERRCODE = 'check_violation';
    END IF;
    IF p_outcome_seq IS NOT NULL AND NOT (p_outcome_seq = ANY (p_bid_seqs)) THEN
        RAISE EXCEPTION 'the idempotency outcome must point at a bid of this commit' USING ERRCODE = 'check_violation';
    END IF;
    IF n_bids > 0 THEN
        -- Accepted amounts strictly rise in seq order.
        SELECT max(x.amount) INTO new_price FROM unnest(p_bid_amounts) AS x(amount);
        IF EXISTS (
            SELECT 1
            FROM (SELECT amount, lag(amount) OVER (ORDER BY seq) AS prev
                  FROM unnest(p_bid_seqs, p_bid_amounts) AS b(seq, amount)) s
            WHERE s.amount <= coalesce(s.prev, cur.price_cents, 0))
        THEN
            RAISE EXCEPTION 'bid amounts of auction % must strictly increase', p_auction_id USING ERRCODE = 'check_violation';
        END IF;
    END IF;

    INSERT INTO {schema}.events (auction_id, seq, type, occurred_at, payload)
    SELECT p_auction_id, e.seq, e.type, e.occurred, e.payload
    FROM unnest(p_event_seqs, p_event_types, p_event_times, p_event_payloads) AS e(seq, type, occurred, payload);

    IF n_bids > 0 THEN
        INSERT INTO {schema}.bids (auction_id, seq, id, bidder_id, bidder_name, amount_cents, kind, placed_at)
        SELECT p_auction_id, b.seq, b.id, b.bidder, b.name, b.amount, b.kind, b.placed
        FROM unnest(p_bid_seqs, p_bid_ids, p_bidder_ids, p_bidder_names, p_bid_amounts, p_bid_kinds, p_bid_times)
             AS b(seq, id, bidder, name, amount, kind, placed);
    END IF;

    UPDATE {schema}.auctions
    SET status = p_status,
        ends_at = p_ends_at,
        version = p_expected_version + n_events,
        price_cents = coalesce(new_price, cur.price_cents),
        winner_id = p_winner_id,
        state = p_state,
        updated_at = clock_timestamp()
    WHERE id = p_auction_id;

    RETURN QUERY SELECT 'committed'::text, NULL::jsonb, NULL::bigint, NULL::text, NULL::text, NULL::timestamptz;
END;
$$;

-- Remate Live schema, version 2: group commit. Each auction's writer commits a whole batch of decisions
-- (bids, their proxy answers and extensions, close/cancel, the idempotency outcomes of accepted AND
-- rejected bids) in one call of append_batch(): one round trip, one transaction, one WAL flush.
-- place_bid() (one decision per call) is replaced.

DROP FUNCTION {schema}.place_bid(uuid, bigint, smallint, jsonb, text, timestamptz, uuid, bigint[], text[], timestamptz[], jsonb[],
    bigint[], uuid[], uuid[], text[], bigint[], text[], timestamptz[], uuid, text, bigint, timestamptz);

-- Outcomes are kept for a retention period (RemateLive:Postgres:OutcomeRetention); pruning walks this index.
CREATE INDEX bid_outcomes_created_idx ON {schema}.bid_outcomes (created_at);

-- Under the auction's row lock: check the expected version and the deadline (by the database clock) when
-- the batch has events, refuse the whole batch if any outcome's key is stored already (returning every
-- stored first outcome), then append the events and bids, store the outcomes and replace the state.
-- A batch without events only stores outcomes (no version or deadline check: a rejection decided on an
-- older state stays true). p_deadline: 0 none, 1 before ends_at (bids), 2 after (timed close).
CREATE FUNCTION {schema}.append_batch(
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
    p_outcome_users    uuid[],
    p_outcome_keys     text[],
    p_outcome_seqs     bigint[],
    p_outcome_codes    text[],
    p_outcome_messages text[],
    p_outcome_at       timestamptz)
RETURNS TABLE (
    result          text,
    current_state   jsonb,
    dup_user        uuid,
    dup_key         text,
    dup_seq         bigint,
    dup_code        text,
    dup_message     text,
    dup_at          timestamptz)
LANGUAGE plpgsql
AS $$
DECLARE
    cur        {schema}.auctions%ROWTYPE;
    n_events   int := coalesce(cardinality(p_event_seqs), 0);
    n_bids     int := coalesce(cardinality(p_bid_seqs), 0);
    n_outcomes int := coalesce(cardinality(p_outcome_keys), 0);
    new_price  bigint;
BEGIN
    -- A stale batch is answered from the latest committed row without queueing for the lock.
    SELECT * INTO cur FROM {schema}.auctions a WHERE a.id = p_auction_id;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'not_found'::text, NULL::jsonb, NULL::uuid, NULL::text, NULL::bigint, NULL::text, NULL::text, NULL::timestamptz;
        RETURN;
    END IF;
    IF n_events = 0 OR cur.version = p_expected_version THEN
        -- Every write of an auction's events and outcomes happens under this lock.
        SELECT * INTO cur FROM {schema}.auctions a WHERE a.id = p_auction_id FOR UPDATE;
    END IF;

    IF n_events > 0 THEN
        IF cur.version <> p_expected_version THEN
            RETURN QUERY SELECT 'version_conflict'::text, cur.state, NULL::uuid, NULL::text, NULL::bigint, NULL::text, NULL::text, NULL::timestamptz;
            RETURN;
        END IF;

        -- The database clock decides at the deadline: a bid and a timed close of the same version cannot both pass.
        IF (p_deadline = 1 AND clock_timestamp() >= cur.ends_at) OR (p_deadline = 2 AND clock_timestamp() < cur.ends_at) THEN
            RETURN QUERY SELECT 'deadline_missed'::text, cur.state, NULL::uuid, NULL::text, NULL::bigint, NULL::text, NULL::text, NULL::timestamptz;
            RETURN;
        END IF;
    END IF;

    IF n_outcomes > 0 THEN
        RETURN QUERY
            SELECT 'duplicate_key'::text, cur.state, o.user_id, o.idempotency_key, o.seq, o.error_code, o.error_message, o.created_at
            FROM unnest(p_outcome_users, p_outcome_keys) AS k(usr, idem)
            JOIN {schema}.bid_outcomes o
              ON o.auction_id = p_auction_id AND o.user_id = k.usr AND o.idempotency_key = k.idem;
        IF FOUND THEN
            RETURN; -- nothing of the batch is written
        END IF;
    END IF;

    IF n_events > 0 THEN
        -- Invariants a buggy caller must not break (the C# side checks them too).
        IF cur.status IN ('closed', 'cancelled') THEN
            RAISE EXCEPTION 'auction % is % (final); nothing may be appended', p_auction_id, cur.status USING ERRCODE = 'check_violation';
        END IF;
        IF p_event_seqs <> ARRAY(SELECT generate_series(p_expected_version + 1, p_expected_version + n_events)) THEN
            RAISE EXCEPTION 'events of auction % must continue version % without gaps', p_auction_id, p_expected_version USING ERRCODE = 'check_violation';
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
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(p_outcome_seqs) AS o(seq) WHERE o.seq IS NOT NULL AND NOT (o.seq = ANY (coalesce(p_bid_seqs, '{}'))))
    THEN
        RAISE EXCEPTION 'an accepted outcome must point at a bid of this batch' USING ERRCODE = 'check_violation';
    END IF;

    IF n_events > 0 THEN
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
    END IF;

    IF n_outcomes > 0 THEN
        INSERT INTO {schema}.bid_outcomes (auction_id, user_id, idempotency_key, seq, error_code, error_message, created_at)
        SELECT p_auction_id, o.usr, o.idem, o.seq, o.code, o.message, p_outcome_at
        FROM unnest(p_outcome_users, p_outcome_keys, p_outcome_seqs, p_outcome_codes, p_outcome_messages)
             AS o(usr, idem, seq, code, message);
    END IF;

    RETURN QUERY SELECT 'committed'::text, NULL::jsonb, NULL::uuid, NULL::text, NULL::bigint, NULL::text, NULL::text, NULL::timestamptz;
END;
$$;

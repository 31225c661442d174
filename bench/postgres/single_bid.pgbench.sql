-- pgbench ceiling, client protocol (the store's): read the auction's version and price, then call
-- append_batch() with the expected version in a second statement, the same argument shapes the store sends
-- (state jsonb, event payload jsonb, one bid). A concurrent winner in between turns the attempt into a
-- version conflict (nothing written); the next transaction reads again. run.sh substitutes :AUCTION_ID and :SCHEMA.
SELECT version AS v, coalesce(price_cents, 900) AS p FROM :SCHEMA.auctions WHERE id = ':AUCTION_ID' \gset
SELECT result FROM :SCHEMA.append_batch(
    ':AUCTION_ID'::uuid, (:v), 1::smallint,
    jsonb_build_object('id', ':AUCTION_ID', 'title', 'Hot lot (benchmark)', 'description', 'One auction, every bidder at once.',
        'image_url', NULL, 'currency', 'USD', 'seller_id', '0195a000-0000-7000-8000-000000000001', 'starting_price', 1000,
        'increment', jsonb_build_object('kind', 'fixed', 'amount_cents', 100, 'basis_points', NULL, 'tiers', NULL),
        'reserve_price', 50000, 'buy_now_price', NULL, 'soft_close', NULL, 'starts_at', '2026-01-01T00:00:00+00:00',
        'ends_at', '2099-01-01T00:00:00+00:00', 'status', 'open', 'current_price', (:p) + 100,
        'leader_id', '0195a000-0000-7000-8000-000000000002', 'leader_name', 'pgbench', 'leader_max', (:p) + 100,
        'bid_count', (:v) + 1, 'extensions', 0, 'version', (:v) + 1, 'created_at', '2026-01-01T00:00:00+00:00',
        'closed_at', NULL, 'winner_id', NULL, 'winner_name', NULL),
    'open', '2099-01-01T00:00:00+00', NULL,
    ARRAY[(:v) + 1], ARRAY['bid_placed'], ARRAY[clock_timestamp()],
    ARRAY[jsonb_build_object('type', 'bid_placed', 'auction_id', ':AUCTION_ID', 'seq', (:v) + 1, 'occurred_at', clock_timestamp(),
        'bid', jsonb_build_object('id', gen_random_uuid(), 'auction_id', ':AUCTION_ID', 'bidder_id', '0195a000-0000-7000-8000-000000000002',
            'bidder_name', 'pgbench', 'amount', (:p) + 100, 'seq', (:v) + 1, 'placed_at', clock_timestamp(), 'kind', 'manual'),
        'min_next_bid', (:p) + 200, 'bid_count', (:v) + 1, 'ends_at', '2099-01-01T00:00:00+00:00', 'reserve_met', false,
        'buy_now_price', NULL, 'outbid_user_id', NULL, 'idempotency_key', NULL)],
    ARRAY[(:v) + 1], ARRAY[gen_random_uuid()], ARRAY['0195a000-0000-7000-8000-000000000002'::uuid], ARRAY['pgbench'],
    ARRAY[(:p) + 100], ARRAY['manual'], ARRAY[clock_timestamp()],
    ARRAY[]::uuid[], ARRAY[]::text[], ARRAY[]::bigint[], ARRAY[]::text[], ARRAY[]::text[], clock_timestamp());

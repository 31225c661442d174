-- Remate Live schema, version 7: the leader may raise their secret maximum without bidding, recorded as a
-- 'max_raised' event (it takes a seq like any event, so versions and replays stay gap-free), and its
-- idempotency outcome points at that event.
ALTER TABLE {schema}.events DROP CONSTRAINT events_type_check;
ALTER TABLE {schema}.events ADD CONSTRAINT events_type_check
    CHECK (type IN ('bid_placed', 'auction_extended', 'auction_closed', 'auction_cancelled', 'max_raised'));

-- append_batch() accepted an outcome only when it pointed at a bid of the batch; a raise's points at its
-- max_raised event. Only that one condition changes, so the installed definition is edited in place rather
-- than restated (a second copy of the function to keep in step).
DO $migrate$
DECLARE
    -- The body is kept as written in 0002 (only the header is normalised).
    old_check text := 'NOT (o.seq = ANY (coalesce(p_bid_seqs, ''{}'')))';
    definition text := pg_get_functiondef('{schema}.append_batch'::regproc);
BEGIN
    IF position(old_check IN definition) = 0 THEN
        RAISE EXCEPTION 'append_batch() does not hold the expected outcome check; was it changed by hand?';
    END IF;
    EXECUTE replace(definition, old_check,
        'NOT (o.seq = ANY (coalesce(p_bid_seqs, ''{}'')) OR EXISTS (SELECT 1 FROM unnest(p_event_seqs, p_event_types) AS e(seq, type) WHERE e.seq = o.seq AND e.type = ''max_raised''))');
END
$migrate$;

-- Remate Live schema, version 6: the catalogue (search, status filter, sort, keyset paging) answered
-- from indexes instead of reading every auction. The new columns are copies of the state the queries
-- need: starts_at (a scheduled auction past its start counts as open), the shown price and the words
-- of the title and description ('simple' configuration: lower-cased words, no stemming, any language).
-- Also "my bids" (an index on the bidder) and watchlists.
ALTER TABLE {schema}.auctions ADD COLUMN starts_at timestamptz;
UPDATE {schema}.auctions SET starts_at = (state->>'starts_at')::timestamptz;
ALTER TABLE {schema}.auctions ALTER COLUMN starts_at SET NOT NULL;
ALTER TABLE {schema}.auctions
    ADD COLUMN shown_price_cents bigint
        GENERATED ALWAYS AS (coalesce(price_cents, (state->>'starting_price')::bigint)) STORED,
    ADD COLUMN search tsvector
        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig,
            coalesce(state->>'title', '') || ' ' || coalesce(state->>'description', ''))) STORED;

CREATE INDEX auctions_catalogue_ending_idx ON {schema}.auctions (ends_at, id);
CREATE INDEX auctions_catalogue_newest_idx ON {schema}.auctions (created_at, id);
CREATE INDEX auctions_catalogue_price_idx ON {schema}.auctions (shown_price_cents, id);
CREATE INDEX auctions_catalogue_search_idx ON {schema}.auctions USING gin (search);

CREATE INDEX bids_bidder_idx ON {schema}.bids (bidder_id, auction_id, amount_cents, placed_at);

-- Watchlists: the auctions each user follows (bounded per user by the use case).
CREATE TABLE {schema}.watchlist (
    user_id    uuid        NOT NULL,
    auction_id uuid        NOT NULL REFERENCES {schema}.auctions (id),
    added_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, auction_id)
);

-- Remate Live schema, version 4: paddle numbers. Each bidder gets an opaque number per auction on their
-- first bid (like registering at an auction house); bids and events carry it, so bidders are told apart
-- without showing names.
CREATE TABLE {schema}.paddles (
    auction_id uuid NOT NULL REFERENCES {schema}.auctions (id),
    user_id    uuid NOT NULL,
    paddle     int  NOT NULL CHECK (paddle > 0),
    PRIMARY KEY (auction_id, user_id),
    UNIQUE (auction_id, paddle)
);

-- The last number given per auction: its upsert serializes concurrent first bids (no retries, no gaps
-- between distinct bidders).
CREATE TABLE {schema}.paddle_counters (
    auction_id uuid PRIMARY KEY REFERENCES {schema}.auctions (id),
    last       int  NOT NULL CHECK (last > 0)
);

// Wire types of the Remate Live contract (v1): snake_case, money as integer minor units ("cents").

export type AuctionStatus = 'scheduled' | 'open' | 'closed' | 'cancelled';
export type BidKind = 'manual' | 'proxy' | 'buy_now';

export interface Auction {
  id: string;
  title: string;
  description: string;
  image_url: string | null;
  currency: string;
  status: AuctionStatus;
  starting_price_cents: number;
  current_price_cents: number;
  min_next_bid_cents: number;
  bid_count: number;
  leader_name: string | null;
  reserve_met: boolean | null;
  buy_now_price_cents: number | null;
  starts_at: string;
  ends_at: string;
  extensions: number;
  version: number;
  server_time: string;
  /** Not in the spec's object list; some hosts include it once closed. */
  winner_name?: string | null;
  /** Paddle numbers: how bidders are told apart (display names are not identities). */
  leader_paddle?: number | null;
  winner_paddle?: number | null;
  anonymous_bidding?: boolean;
}

export interface Bid {
  bid_id: string;
  auction_id?: string;
  bidder_name: string;
  amount_cents: number;
  seq: number;
  placed_at: string;
  kind: BidKind;
  /** The bidder's paddle number on this auction. */
  paddle?: number;
  /** True on the signed-in user's own bids. */
  yours?: boolean;
}

export interface Session {
  user_id: string;
  username: string;
  display_name: string;
  role: string;
  token: string;
}

export type BidErrorCode =
  | 'BID_TOO_LOW'
  | 'CONCURRENCY'
  | 'AUCTION_CLOSED'
  | 'AUCTION_NOT_OPEN'
  | 'RATE_LIMITED'
  | 'NOT_AUTHENTICATED'
  | 'SELLER_CANNOT_BID'
  | 'INVALID_AMOUNT'
  | 'NOT_FOUND'
  | 'UNAVAILABLE'
  | 'INVALID_MESSAGE'
  | 'VALIDATION_FAILED'
  | 'USERNAME_TAKEN'
  | 'FORBIDDEN';

// ---- server → client socket messages ----
export interface AuthOkPayload {
  user_id: string;
  token?: string;
  auction: Auction;
  recent_bids: Bid[];
  online_count: number;
  server_time: string;
}
export interface BidPlacedPayload {
  bid_id: string;
  bidder_name: string;
  amount_cents: number;
  new_version: number;
  seq: number;
  placed_at: string;
  ends_at: string;
  min_next_bid_cents: number;
  bid_count: number;
  kind: BidKind;
  paddle?: number;
  yours?: boolean;
  idempotency_key?: string;
  server_time?: string;
}
export interface BidErrorPayload {
  error: string;
  code: BidErrorCode | string;
  idempotency_key?: string | null;
  current_price_cents?: number | null;
  min_next_bid_cents?: number | null;
  version?: number | null;
  retry_after_seconds?: number | null;
}
export interface OutbidPayload {
  amount_cents: number;
  bidder_name: string;
  paddle?: number;
  seq: number;
}
export interface AuctionExtendedPayload {
  ends_at: string;
  extensions: number;
  seq: number;
  server_time?: string;
}
export interface PresencePayload {
  username: string;
  display_name?: string;
  online_count: number;
}
export interface AuctionClosedPayload {
  winner_name: string | null;
  winner_paddle?: number | null;
  final_price_cents: number;
  reserve_met: boolean | null;
  seq: number;
}
export interface AuctionCancelledPayload {
  reason: string;
  seq: number;
}

export type ServerMessage =
  | { type: 'auth_ok'; payload: AuthOkPayload }
  | { type: 'auth_error'; payload: { error: string; code: string } }
  | { type: 'bid_placed'; payload: BidPlacedPayload }
  | { type: 'bid_error'; payload: BidErrorPayload }
  | { type: 'outbid'; payload: OutbidPayload }
  | { type: 'auction_extended'; payload: AuctionExtendedPayload }
  | { type: 'user_joined'; payload: PresencePayload }
  | { type: 'user_left'; payload: PresencePayload }
  | { type: 'auction_closed'; payload: AuctionClosedPayload }
  | { type: 'auction_cancelled'; payload: AuctionCancelledPayload }
  | { type: 'error'; payload: { error: string; code: string } }
  | { type: 'ping'; payload?: { server_time?: string } };

/** The durable events: they carry a gap-free per-auction `seq`. */
export type DurableEvent = Extract<
  ServerMessage,
  { type: 'bid_placed' | 'auction_extended' | 'auction_closed' | 'auction_cancelled' }
>;

export const DURABLE_TYPES: ReadonlySet<string> = new Set([
  'bid_placed',
  'auction_extended',
  'auction_closed',
  'auction_cancelled',
]);

export function isDurable(msg: ServerMessage): msg is DurableEvent {
  return DURABLE_TYPES.has(msg.type);
}

// ---- client → server ----
export interface BidCommand {
  amount_cents: number;
  version?: number;
  idempotency_key?: string;
  max_amount_cents?: number;
}
export type ClientMessage =
  | {
      type: 'auth';
      payload: { username: string; display_name: string; token?: string; last_seq: number };
    }
  | { type: 'bid'; payload: BidCommand }
  | { type: 'pong' }
  | { type: 'resume'; payload: { last_seq: number } };

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'offline' | 'closed';

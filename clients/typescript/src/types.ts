// Wire types of the Remate Live socket protocol (docs/protocol.md): snake_case, money as integer minor
// units ("cents"). The REST types are generated from the server's OpenAPI document (src/generated/api.ts);
// test/unit/types.test.ts checks that the REST auction and bid objects fit these.

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
  | 'FORBIDDEN'
  | 'NOT_LEADING'
  | 'MAX_TOO_LOW';

// ---- server → client socket messages ----
export interface AuthOkPayload {
  user_id: string;
  username?: string;
  display_name?: string;
  /** A token to reuse on reconnect (null when the identity came from the upgrade request). */
  token?: string | null;
  auction: Auction;
  recent_bids: Bid[];
  online_count: number;
  server_time: string;
  /** The signed-in user's own maximum (automatic bid): non-null only while they lead. */
  your_max_cents?: number | null;
}
export interface BidPlacedPayload {
  auction_id?: string;
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
  reserve_met?: boolean | null;
  buy_now_price_cents?: number | null;
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
  auction_id?: string;
  min_next_bid_cents?: number;
  amount_cents: number;
  bidder_name: string;
  paddle?: number;
  seq: number;
}
export interface AuctionExtendedPayload {
  auction_id?: string;
  ends_at: string;
  extensions: number;
  seq: number;
  server_time?: string;
}
export interface PresencePayload {
  auction_id?: string;
  username: string;
  display_name?: string;
  online_count: number;
}
/**
 * `max_raised`: the leader raised their own maximum (a sequenced event; the price does not move). Only the
 * leader's own copy (`yours: true`) carries the new `max_amount_cents` and the `idempotency_key`.
 */
export interface MaxRaisedPayload {
  auction_id?: string;
  seq: number;
  paddle?: number;
  server_time?: string;
  yours?: boolean;
  max_amount_cents?: number;
  idempotency_key?: string;
}
export interface AuctionClosedPayload {
  auction_id?: string;
  reason?: 'ended' | 'admin' | 'buy_now' | string;
  server_time?: string;
  winner_name: string | null;
  winner_paddle?: number | null;
  final_price_cents: number | null;
  reserve_met: boolean | null;
  seq: number;
}
export interface AuctionCancelledPayload {
  auction_id?: string;
  server_time?: string;
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
  | { type: 'max_raised'; payload: MaxRaisedPayload }
  | { type: 'ping'; payload?: { server_time?: string } }
  | { type: 'pong'; payload?: { nonce?: string; server_time?: string } };

/** The durable events: they carry a gap-free per-auction `seq`. */
export type DurableEvent = Extract<
  ServerMessage,
  { type: 'bid_placed' | 'max_raised' | 'auction_extended' | 'auction_closed' | 'auction_cancelled' }
>;

export const DURABLE_TYPES: ReadonlySet<string> = new Set([
  'bid_placed',
  'max_raised',
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
/** `raise_max`: the leader raises their own maximum without bidding against themselves. */
export interface RaiseMaxCommand {
  max_amount_cents: number;
  idempotency_key?: string;
}
/** `auth`: a token alone, username + display name (+ token or password), or nothing (identity from the upgrade request). */
export interface AuthPayload {
  username?: string;
  display_name?: string;
  token?: string;
  password?: string;
  last_seq?: number;
}
export type ClientMessage =
  | { type: 'auth'; payload: AuthPayload }
  | { type: 'bid'; payload: BidCommand }
  | { type: 'raise_max'; payload: RaiseMaxCommand }
  | { type: 'pong' }
  | { type: 'ping'; payload: { nonce: string } }
  | { type: 'resume'; payload: { last_seq: number } };

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'offline' | 'closed';

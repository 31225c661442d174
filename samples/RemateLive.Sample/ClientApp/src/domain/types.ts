// Wire types of the Remate Live contract come from the client package (@remate-live/client);
// only what is the UI's own lives here.
export type {
  Auction,
  AuctionCancelledPayload,
  AuctionClosedPayload,
  AuctionExtendedPayload,
  AuctionStatus,
  AuthOkPayload,
  Bid,
  BidCommand,
  BidErrorCode,
  BidErrorPayload,
  BidKind,
  BidPlacedPayload,
  ClientMessage,
  ConnectionState,
  DurableEvent,
  OutbidPayload,
  PresencePayload,
  ServerMessage,
} from '@remate-live/client';
export { DURABLE_TYPES, isDurable } from '@remate-live/client';

/** The signed-in user, as `POST /api/auth/login` returns it (kept in localStorage). */
export interface Session {
  user_id: string;
  username: string;
  display_name: string;
  role: string;
  token: string;
}

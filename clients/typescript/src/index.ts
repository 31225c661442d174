// @remate-live/client: the Remate Live protocol for browsers and Node (docs/clients.md).
export { AuctionSocket, socketUrl, restEventSource, normalizeEvents, DEFAULT_HEARTBEAT } from './realtime.js';
export type {
  AuctionSocketHandlers,
  AuctionSocketOptions,
  BidOutcome,
  EventSource,
  HeartbeatOptions,
  RaiseMaxOutcome,
  Identity,
  NetworkEvents,
  WebSocketConstructor,
  WsLike,
} from './realtime.js';
export { RestClient, createRestClient, ApiError, nextCursorFromLink } from './rest.js';
export type {
  AuctionView,
  BidView,
  CataloguePage,
  CatalogueQuery,
  CatalogueSort,
  MaxRaisedView,
  MyBid,
  MyBidStatus,
  RaiseMaxResult,
  CreateAuctionRequest,
  LoginInput,
  LoginRequest,
  LoginResponse,
  PlaceBidRequest,
  RemateLivePaths,
  RestClientOptions,
  Schemas,
} from './rest.js';
export { EventSequencer } from './sequencer.js';
export type { SequencerResult } from './sequencer.js';
export { BidIntents } from './bidIntents.js';
export type { BidIntent } from './bidIntents.js';
export { ClockOffset } from './clock.js';
export { backoffCeiling, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export * from './types.js';

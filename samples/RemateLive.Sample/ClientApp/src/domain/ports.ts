import type { CataloguePage, CatalogueQuery, MyBid } from '@remate-live/client';
import type { Auction, Bid, BidCommand, ConnectionState, DurableEvent, ServerMessage, Session } from './types';

/** REST side of the contract. */
export interface AuctionApi {
  login(req: { username: string; display_name: string; password?: string }, token?: string): Promise<Session>;
  /** Revokes every token of the user (server-side sign out). */
  logout(token: string): Promise<void>;
  listAuctions(status?: string): Promise<Auction[]>;
  getAuction(id: string): Promise<Auction>;
  listBids(id: string, limit?: number): Promise<Bid[]>;
  events(id: string, afterSeq: number, limit?: number): Promise<DurableEvent[]>;
  // Bidder: catalogue, my bids, watchlist.
  searchAuctions(query: CatalogueQuery): Promise<CataloguePage>;
  myBids(): Promise<MyBid[]>;
  watchlist(): Promise<Auction[]>;
  watch(id: string): Promise<void>;
  unwatch(id: string): Promise<void>;
}

/** The live room connection (native WebSocket in this client). */
export interface RoomConnection {
  start(): void;
  stop(): void;
  placeBid(bid: Omit<BidCommand, 'idempotency_key' | 'version'>): string;
  readonly state: ConnectionState;
}

export interface RoomListener {
  onMessage(msg: ServerMessage): void;
  onState(state: ConnectionState, info?: { attempt: number; retryInMs?: number }): void;
}

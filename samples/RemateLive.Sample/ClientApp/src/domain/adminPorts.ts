import type { CreateAuctionRequest } from '@remate-live/client';
import type { Auction, DurableEvent } from './types';

/** The admin side of the REST contract (the admin policy; 401/403 problems otherwise). */
export interface AdminApi {
  createAuction(body: CreateAuctionRequest): Promise<Auction>;
  closeAuction(id: string): Promise<Auction>;
  cancelAuction(id: string, reason: string): Promise<Auction>;
  /** Every durable event of the auction, in seq order (the audit trail). */
  history(id: string): Promise<AuditEvent[]>;
}

/** A durable event with the admin who caused it (`actor_*` on auction_closed / auction_cancelled; null otherwise). */
export type AuditEvent = DurableEvent & { payload: { actor_id?: string | null; actor_name?: string | null } };

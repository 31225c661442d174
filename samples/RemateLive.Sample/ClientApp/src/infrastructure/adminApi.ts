import { ApiError, RestClient } from '@remate-live/client';
import type { CreateAuctionRequest } from '@remate-live/client';
import type { AdminApi, AuditEvent } from '../domain/adminPorts';
import type { Auction } from '../domain/types';

/** The AdminApi port over the package's REST client (same origin, the signed-in user's bearer token). */
export class HttpAdminApi implements AdminApi {
  private readonly rest: RestClient;

  constructor(getToken: () => string | undefined, baseUrl = '') {
    this.rest = new RestClient({ baseUrl, token: getToken });
  }

  createAuction(body: CreateAuctionRequest): Promise<Auction> {
    return this.rest.createAuction(body);
  }

  async closeAuction(id: string): Promise<Auction> {
    return (await this.rest.closeAuction(id)) as Auction;
  }

  async cancelAuction(id: string, reason: string): Promise<Auction> {
    const { data, error, response } = await this.rest.raw.POST('/api/auctions/{id}/cancel', {
      params: { path: { id } },
      body: { reason },
    });
    if (!response.ok) {
      const p = (error ?? {}) as { code?: string; detail?: string; title?: string; errors?: Record<string, string[]> };
      throw new ApiError(response.status, p.code ?? `HTTP_${response.status}`, p.detail ?? p.title ?? response.statusText, p.errors);
    }
    return data!;
  }

  async history(id: string): Promise<AuditEvent[]> {
    return (await this.rest.history(id)) as AuditEvent[];
  }
}

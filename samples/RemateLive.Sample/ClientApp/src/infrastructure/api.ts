import { RestClient, type CataloguePage, type CatalogueQuery, type MyBid, type RestClientOptions } from '@remate-live/client';
import type { AuctionApi } from '../domain/ports';
import type { Auction, Bid, DurableEvent, Session } from '../domain/types';

export { ApiError } from '@remate-live/client';

/**
 * The UI's AuctionApi port over the package's REST client (types generated from the server's
 * OpenAPI document). Same origin by default; `getToken` supplies the bearer token when signed in.
 */
export class HttpAuctionApi implements AuctionApi {
  private readonly rest: RestClient;

  constructor(getToken: () => string | undefined = () => undefined, baseUrl = '', onServerTime?: (serverTime: string) => void) {
    const options: RestClientOptions = { baseUrl, token: getToken };
    if (onServerTime) options.onServerTime = onServerTime;
    this.rest = new RestClient(options);
  }

  login(req: { username: string; display_name: string; password?: string }, token?: string): Promise<Session> {
    return this.rest.login(req, token);
  }

  /** Revokes every token of the signed-in user on the server (sign out everywhere). */
  logout(token: string): Promise<void> {
    return this.rest.logout(token);
  }

  listAuctions(status?: string): Promise<Auction[]> {
    return this.rest.listAuctions(status);
  }

  getAuction(id: string): Promise<Auction> {
    return this.rest.getAuction(id);
  }

  listBids(id: string, limit = 50): Promise<Bid[]> {
    return this.rest.listBids(id, limit);
  }

  events(id: string, afterSeq: number, limit = 500): Promise<DurableEvent[]> {
    return this.rest.events(id, afterSeq, limit);
  }

  searchAuctions(query: CatalogueQuery): Promise<CataloguePage> {
    return this.rest.searchAuctions(query);
  }

  myBids(): Promise<MyBid[]> {
    return this.rest.myBids(100);
  }

  watchlist(): Promise<Auction[]> {
    return this.rest.watchlist();
  }

  watch(id: string): Promise<void> {
    return this.rest.watch(id);
  }

  unwatch(id: string): Promise<void> {
    return this.rest.unwatch(id);
  }
}

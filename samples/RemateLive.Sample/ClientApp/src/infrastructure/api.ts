import type { AuctionApi } from '../domain/ports';
import type { Auction, Bid, DurableEvent, Session } from '../domain/types';

/** An RFC 9457 problem details response, with the contract's extra `code`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function problem(res: Response): Promise<ApiError> {
  let body: { code?: string; title?: string; detail?: string; errors?: Record<string, string[]> } = {};
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  const code = body.code ?? (res.status === 404 ? 'NOT_FOUND' : res.status === 401 ? 'NOT_AUTHENTICATED' : 'HTTP_' + res.status);
  return new ApiError(res.status, code, body.detail ?? body.title ?? res.statusText, body.errors);
}

/** REST client for `/api` (same origin). `getToken` supplies the bearer token when signed in. */
export class HttpAuctionApi implements AuctionApi {
  constructor(
    private readonly getToken: () => string | undefined = () => undefined,
    private readonly base = '/api',
    private readonly onServerTime?: (serverTime: string) => void,
  ) {}

  private async request<T>(path: string, init: RequestInit = {}, token = this.getToken()): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('Accept', 'application/json');
    if (init.body) headers.set('Content-Type', 'application/json');
    if (token) headers.set('Authorization', `Bearer ${token}`);
    const res = await fetch(this.base + path, { ...init, headers });
    if (!res.ok) throw await problem(res);
    const data = (await res.json()) as T;
    if (this.onServerTime) {
      const one = (Array.isArray(data) ? data[0] : data) as { server_time?: string } | undefined;
      if (one?.server_time) this.onServerTime(one.server_time);
    }
    return data;
  }

  login(req: { username: string; display_name: string; password?: string }, token?: string): Promise<Session> {
    const body: Record<string, string> = { username: req.username, display_name: req.display_name };
    if (req.password) body.password = req.password;
    return this.request<Session>('/auth/login', { method: 'POST', body: JSON.stringify(body) }, token);
  }

  /** Revokes every token of the signed-in user on the server (sign out everywhere). */
  async logout(token: string): Promise<void> {
    const res = await fetch(this.base + '/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    if (!res.ok && res.status !== 401) throw await problem(res);
  }

  listAuctions(status?: string): Promise<Auction[]> {
    return this.request<Auction[]>('/auctions' + (status ? `?status=${encodeURIComponent(status)}` : ''));
  }

  getAuction(id: string): Promise<Auction> {
    return this.request<Auction>(`/auctions/${encodeURIComponent(id)}`);
  }

  listBids(id: string, limit = 50): Promise<Bid[]> {
    return this.request<Bid[]>(`/auctions/${encodeURIComponent(id)}/bids?limit=${limit}`);
  }

  async events(id: string, afterSeq: number, limit = 500): Promise<DurableEvent[]> {
    const raw = await this.request<Array<DurableEvent | (DurableEvent['payload'] & { type: string })>>(
      `/auctions/${encodeURIComponent(id)}/events?after_seq=${afterSeq}&limit=${limit}`,
    );
    // Events are documented as "the same payloads as the socket messages, each with type": accept both
    // {type, payload:{…}} and a flattened {type, …payload}.
    return raw.map((e) => ('payload' in e && e.payload ? (e as DurableEvent) : ({ type: e.type, payload: e } as DurableEvent)));
  }
}

import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './generated/api.js';
import { normalizeEvents, type EventSource } from './realtime.js';
import type { DurableEvent } from './types.js';

/** The REST API's schemas, generated from the server's OpenAPI document (`npm run gen:api`). */
export type Schemas = components['schemas'];
export type AuctionView = Schemas['AuctionView'];
export type BidView = Schemas['BidObjectPayload'];
export type LoginRequest = Schemas['LoginRequest'];
export type LoginResponse = Schemas['LoginResponse'];
export type CreateAuctionRequest = Schemas['CreateAuctionRequest'];
export type PlaceBidRequest = Schemas['PlaceBidRequest'];
export type MyBid = Schemas['MyBid'];
export type RaiseMaxRequest = Schemas['RaiseMaxRequest'];
export type MaxRaisedView = Schemas['MaxRaisedResponse'];
/** `POST /api/auctions/{id}/max`: the maximum went up (`raised`), or it reached an unmet reserve and lifted the price there (`bid`). */
export type RaiseMaxResult = { raised: MaxRaisedView; bid?: undefined } | { bid: BidView; raised?: undefined };
export type MyBidStatus = Schemas['MyBidStatus'];
export type CatalogueSort = 'ending_soon' | 'newest' | 'price_asc' | 'price_desc';

/** `GET /api/auctions` parameters (docs/protocol.md, "Catalogue"). */
export interface CatalogueQuery {
  /** Words; every one must start a word of the title or description. */
  q?: string;
  status?: 'scheduled' | 'open' | 'closed' | 'cancelled';
  sort?: CatalogueSort;
  /** The `nextCursor` of the previous page (same query and sort). */
  cursor?: string;
  /** 1–100 (server default 50). */
  limit?: number;
}

/** One catalogue page and the cursor of the next one (from the `Link: <…>; rel="next"` header), null on the last. */
export interface CataloguePage {
  items: AuctionView[];
  nextCursor: string | null;
}

/** The `cursor` of a `Link` header's `rel="next"` target (RFC 8288), or null when there is none. */
export function nextCursorFromLink(link: string | null | undefined): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    const rel = m ? /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(m[2]!) : null;
    if (!m || !rel || !(rel[1] ?? rel[2] ?? '').toLowerCase().split(/\s+/).includes('next')) continue;
    return new URL(m[1]!, 'http://link.invalid').searchParams.get('cursor');
  }
  return null;
}
export type { paths as RemateLivePaths };
export interface LoginInput {
  username: string;
  display_name: string;
  password?: string;
}

/** An RFC 9457 problem details response, with the contract's extra `code` (same codes as the socket). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: Record<string, string[]>,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RestClientOptions {
  /** The host's origin (and path prefix, if any), e.g. `https://auctions.example.com`. Default: same origin. */
  baseUrl?: string;
  /** Supplies the bearer token (from `login` or the socket's `auth_ok`) for calls that need one. */
  token?: () => string | undefined | null;
  /** Called with every `server_time` seen (feed it to a ClockOffset). */
  onServerTime?: (serverTime: string) => void;
  fetch?: typeof fetch;
}

interface Problem {
  code?: string;
  title?: string;
  detail?: string;
  errors?: Record<string, string[]>;
}

function toError(res: Response, body: unknown): ApiError {
  const p = (body && typeof body === 'object' ? body : {}) as Problem;
  const code = p.code ?? (res.status === 404 ? 'NOT_FOUND' : res.status === 401 ? 'NOT_AUTHENTICATED' : `HTTP_${res.status}`);
  const retry = Number(res.headers.get('Retry-After'));
  return new ApiError(res.status, code, p.detail ?? p.title ?? res.statusText, p.errors, Number.isFinite(retry) && retry > 0 ? retry : undefined);
}

/**
 * REST client for `/api`: every path, parameter and body is type-checked against the server's
 * OpenAPI document (openapi-fetch over the generated `paths`). The helpers unwrap the response and
 * throw ApiError on problem details; `raw` is the typed openapi-fetch client for anything else.
 */
export class RestClient implements EventSource {
  readonly raw: Client<paths>;

  constructor(private readonly options: RestClientOptions = {}) {
    const base = (options.baseUrl ?? '').replace(/\/$/, '');
    const fetchImpl = options.fetch ?? ((input: Request) => globalThis.fetch(input));
    this.raw = createClient<paths>({ baseUrl: base, fetch: fetchImpl });
    this.raw.use({
      onRequest: ({ request }) => {
        const token = options.token?.();
        if (token && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${token}`);
        return request;
      },
    });
  }

  private async unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    const { data, error, response } = await call;
    if (!response.ok) throw toError(response, error);
    if (this.options.onServerTime) {
      const one = (Array.isArray(data) ? data[0] : data) as { server_time?: string } | undefined;
      if (one && typeof one.server_time === 'string') this.options.onServerTime(one.server_time);
    }
    return data as T;
  }

  private auth(token: string | undefined) {
    return token ? { Authorization: `Bearer ${token}` } : undefined;
  }

  /** Claims a new username or signs in to a claimed one (with its password, or `token`). */
  login(req: LoginInput, token?: string): Promise<LoginResponse> {
    // The document marks every field required-but-nullable; the server treats a missing password as none.
    const body = { username: req.username, display_name: req.display_name, ...(req.password ? { password: req.password } : {}) };
    return this.unwrap(this.raw.POST('/api/auth/login', { body: body as LoginRequest, headers: this.auth(token) }));
  }

  /** Revokes every token of the user (sign out everywhere). A token that is already invalid is fine. */
  async logout(token?: string): Promise<void> {
    const { response, error } = await this.raw.POST('/api/auth/logout', { headers: this.auth(token) });
    if (!response.ok && response.status !== 401) throw toError(response, error);
  }

  listAuctions(status?: string): Promise<AuctionView[]> {
    return this.unwrap(this.raw.GET('/api/auctions', { params: { query: status ? { status } : {} } }));
  }

  /** One page of the catalogue: search, filter and sort on the server; page on with `nextCursor`. */
  async searchAuctions(query: CatalogueQuery = {}): Promise<CataloguePage> {
    const q: Record<string, string> = {};
    if (query.q?.trim()) q.q = query.q.trim();
    if (query.status) q.status = query.status;
    if (query.sort) q.sort = query.sort;
    if (query.cursor) q.cursor = query.cursor;
    if (query.limit !== undefined) q.limit = String(query.limit);
    const call = this.raw.GET('/api/auctions', { params: { query: q } });
    const { response } = await call;
    const items = await this.unwrap(call);
    return { items, nextCursor: nextCursorFromLink(response.headers.get('Link')) };
  }

  /** The signed-in user's auctions: leading, outbid, won, lost or cancelled, most recently bid first. */
  myBids(limit = 50): Promise<MyBid[]> {
    return this.unwrap(this.raw.GET('/api/me/bids', { params: { query: { limit: String(limit) } } }));
  }

  /** The signed-in user's watchlist, most recently watched first. */
  watchlist(): Promise<AuctionView[]> {
    return this.unwrap(this.raw.GET('/api/me/watchlist'));
  }

  /** Watches an auction (idempotent). */
  async watch(id: string): Promise<void> {
    const { response, error } = await this.raw.PUT('/api/me/watchlist/{id}', { params: { path: { id } } });
    if (!response.ok) throw toError(response, error);
  }

  /** Stops watching an auction (idempotent). */
  async unwatch(id: string): Promise<void> {
    const { response, error } = await this.raw.DELETE('/api/me/watchlist/{id}', { params: { path: { id } } });
    if (!response.ok) throw toError(response, error);
  }

  getAuction(id: string): Promise<AuctionView> {
    return this.unwrap(this.raw.GET('/api/auctions/{id}', { params: { path: { id } } }));
  }

  /** Bids, newest first. */
  listBids(id: string, limit = 50, beforeSeq?: number): Promise<BidView[]> {
    const query: Record<string, string> = { limit: String(limit) };
    if (beforeSeq !== undefined) query.before_seq = String(beforeSeq);
    return this.unwrap(this.raw.GET('/api/auctions/{id}/bids', { params: { path: { id }, query } }));
  }

  /** Durable events after `afterSeq`, in seq order, shaped like the socket messages. */
  async events(id: string, afterSeq = 0, limit = 500): Promise<DurableEvent[]> {
    const raw = await this.unwrap(
      this.raw.GET('/api/auctions/{id}/events', {
        params: { path: { id }, query: { after_seq: String(afterSeq), limit: String(limit) } },
      }),
    );
    return normalizeEvents(raw);
  }

  /** Every durable event of an auction (pages through `events`). */
  async history(id: string, afterSeq = 0): Promise<DurableEvent[]> {
    const all: DurableEvent[] = [];
    for (let after = afterSeq; ; ) {
      const page = await this.events(id, after);
      all.push(...page);
      if (page.length < 500) return all;
      after = page[page.length - 1]!.payload.seq;
    }
  }

  /** Places a bid over REST (same idempotency rules as the socket). */
  placeBid(id: string, body: PlaceBidRequest): Promise<BidView> {
    return this.unwrap(this.raw.POST('/api/auctions/{id}/bids', { params: { path: { id } }, body }));
  }

  /**
   * The leader raises their own maximum over REST (same rules and idempotency keys as the socket's
   * `raise_max`); ApiError `NOT_LEADING`, `MAX_TOO_LOW`, `AUCTION_CLOSED`… otherwise.
   */
  async raiseMax(id: string, body: { max_amount_cents: number; idempotency_key?: string }): Promise<RaiseMaxResult> {
    const call = this.raw.POST('/api/auctions/{id}/max', { params: { path: { id } }, body: body as RaiseMaxRequest });
    const { response } = await call;
    const data = await this.unwrap(call);
    return response.status === 201 ? { bid: data as unknown as BidView } : { raised: data as MaxRaisedView };
  }

  createAuction(body: CreateAuctionRequest): Promise<AuctionView> {
    return this.unwrap(this.raw.POST('/api/auctions', { body }));
  }

  closeAuction(id: string): Promise<unknown> {
    return this.unwrap(this.raw.POST('/api/auctions/{id}/close', { params: { path: { id } } }));
  }
}

/** Shorthand for `new RestClient(options)`. */
export function createRestClient(options: RestClientOptions = {}): RestClient {
  return new RestClient(options);
}

import { describe, expect, it } from 'vitest';
import { ApiError, nextCursorFromLink, RestClient } from '../../src/rest';

function fakeFetch(respond: (req: Request) => Response) {
  const seen: Request[] = [];
  const f = async (input: Request) => {
    seen.push(input);
    return respond(input);
  };
  return { fetch: f as unknown as typeof fetch, seen };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

describe('RestClient', () => {
  it('sends the bearer token and reports server_time', async () => {
    const f = fakeFetch(() => json({ id: 'a1', version: 3, server_time: '2026-11-28T12:00:00.000Z' }));
    const times: string[] = [];
    const rest = new RestClient({ baseUrl: 'http://h:1/', token: () => 'tok', fetch: f.fetch, onServerTime: (t) => times.push(t) });
    const a = await rest.getAuction('a 1');
    expect(a.version).toBe(3);
    expect(f.seen[0]!.url).toBe('http://h:1/api/auctions/a%201');
    expect(f.seen[0]!.headers.get('Authorization')).toBe('Bearer tok');
    expect(times).toEqual(['2026-11-28T12:00:00.000Z']);
  });

  it('turns problem details into ApiError with the contract code and Retry-After', async () => {
    const f = fakeFetch(() =>
      json({ title: 'Too many requests', detail: 'Too many bids; retry after 2 s.', code: 'RATE_LIMITED' }, 429, { 'Retry-After': '2' }),
    );
    const rest = new RestClient({ baseUrl: 'http://h:1', fetch: f.fetch });
    const err = await rest.placeBid('a1', { amount_cents: 100 } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 2, message: 'Too many bids; retry after 2 s.' });
  });

  it('reads events as socket messages, flattened ones too, and pages through the history', async () => {
    const page = (after: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ type: 'bid_placed', payload: { seq: after + i + 1, amount_cents: 100 } }));
    const f = fakeFetch((req) => {
      const after = Number(new URL(req.url).searchParams.get('after_seq'));
      return json(after === 0 ? page(0, 500) : [{ type: 'auction_closed', seq: 501 }]);
    });
    const rest = new RestClient({ baseUrl: 'http://h:1', fetch: f.fetch });
    const all = await rest.history('a1');
    expect(all).toHaveLength(501);
    expect(all[500]).toEqual({ type: 'auction_closed', payload: { type: 'auction_closed', seq: 501 } });
    expect(f.seen.map((r) => new URL(r.url).searchParams.get('after_seq'))).toEqual(['0', '500']);
  });

  it('logout ignores a token that is already invalid', async () => {
    const rest = new RestClient({ baseUrl: 'http://h:1', fetch: fakeFetch(() => new Response(null, { status: 401 })).fetch });
    await expect(rest.logout('old')).resolves.toBeUndefined();
  });

  it('searches the catalogue and exposes the next cursor from the Link header', async () => {
    const f = fakeFetch((req) => {
      const u = new URL(req.url);
      return u.searchParams.get('cursor')
        ? json([{ id: 'a3' }])
        : json([{ id: 'a1' }, { id: 'a2' }], 200, { Link: '</api/auctions?q=cam&sort=price_asc&limit=2&cursor=c%2B2>; rel="next"' });
    });
    const rest = new RestClient({ baseUrl: 'http://h:1', fetch: f.fetch });
    const first = await rest.searchAuctions({ q: ' cam ', sort: 'price_asc', status: 'open', limit: 2 });
    expect(first.items.map((a) => a.id)).toEqual(['a1', 'a2']);
    expect(first.nextCursor).toBe('c+2');
    const q = new URL(f.seen[0]!.url).searchParams;
    expect(Object.fromEntries(q)).toEqual({ q: 'cam', sort: 'price_asc', status: 'open', limit: '2' });
    const second = await rest.searchAuctions({ q: 'cam', sort: 'price_asc', limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [{ id: 'a3' }], nextCursor: null });
    expect(new URL(f.seen[1]!.url).searchParams.get('cursor')).toBe('c+2');
  });

  it('reads only the rel="next" link', () => {
    expect(nextCursorFromLink(null)).toBeNull();
    expect(nextCursorFromLink('</x?cursor=p>; rel="prev"')).toBeNull();
    expect(nextCursorFromLink('</x?cursor=p>; rel="prev", <https://h/x?a=1&cursor=n1>; rel=next')).toBe('n1');
    expect(nextCursorFromLink('</x?cursor=n2>; title="a"; rel="last next"')).toBe('n2');
  });

  it('my bids, watchlist and watch/unwatch call their endpoints with the token; errors are ApiErrors', async () => {
    const f = fakeFetch((req) => {
      const path = new URL(req.url).pathname;
      if (req.method === 'GET' && path === '/api/me/bids') return json([{ status: 'outbid', auction: { id: 'a1' } }]);
      if (req.method === 'GET' && path === '/api/me/watchlist') return json([{ id: 'a2' }]);
      if (path === '/api/me/watchlist/missing') return json({ title: 'Not found', code: 'NOT_FOUND' }, 404);
      return new Response(null, { status: 204 });
    });
    const rest = new RestClient({ baseUrl: 'http://h:1', token: () => 'tok', fetch: f.fetch });
    expect(await rest.myBids(20)).toEqual([{ status: 'outbid', auction: { id: 'a1' } }]);
    expect(await rest.watchlist()).toEqual([{ id: 'a2' }]);
    await rest.watch('a2');
    await rest.unwatch('a2');
    await expect(rest.watch('missing')).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(f.seen.map((r) => `${r.method} ${new URL(r.url).pathname}${new URL(r.url).search}`)).toEqual([
      'GET /api/me/bids?limit=20',
      'GET /api/me/watchlist',
      'PUT /api/me/watchlist/a2',
      'DELETE /api/me/watchlist/a2',
      'PUT /api/me/watchlist/missing',
    ]);
    expect(f.seen.every((r) => r.headers.get('Authorization') === 'Bearer tok')).toBe(true);
  });

  it('raiseMax: 200 is the raised maximum, 201 the bid at an unmet reserve, 422 an ApiError with the code', async () => {
    const answers = [
      json({ auction_id: 'a1', max_amount_cents: 30_000, seq: 4 }),
      json({ bid_id: 'b5', amount_cents: 25_000, kind: 'proxy', seq: 5 }, 201),
      json({ title: 'Not leading', code: 'NOT_LEADING' }, 422),
    ];
    const f = fakeFetch(() => answers.shift()!);
    const rest = new RestClient({ baseUrl: 'http://h:1', token: () => 'tok', fetch: f.fetch });
    expect(await rest.raiseMax('a1', { max_amount_cents: 30_000, idempotency_key: 'k1' })).toEqual({
      raised: { auction_id: 'a1', max_amount_cents: 30_000, seq: 4 },
    });
    expect(await rest.raiseMax('a1', { max_amount_cents: 40_000 })).toMatchObject({ bid: { amount_cents: 25_000, kind: 'proxy' } });
    await expect(rest.raiseMax('a1', { max_amount_cents: 1 })).rejects.toMatchObject({ status: 422, code: 'NOT_LEADING' });
    expect(f.seen[0]!.method).toBe('POST');
    expect(new URL(f.seen[0]!.url).pathname).toBe('/api/auctions/a1/max');
    expect(await f.seen[0]!.json()).toEqual({ max_amount_cents: 30_000, idempotency_key: 'k1' });
  });
});


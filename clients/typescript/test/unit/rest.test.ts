import { describe, expect, it } from 'vitest';
import { ApiError, RestClient } from '../../src/rest';

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
});

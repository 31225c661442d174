// The client against the REAL sample host (a process, on PostgreSQL so it can be restarted), through a
// TCP proxy that breaks the network for real. Run under scripts/test-env.sh (REMATE_TEST_POSTGRES).
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ADMIN_PASSWORD, startHost, type RunningHost } from '../../scripts/host.mjs';
// The built bundle, as published: these tests also prove it runs in Node (with the `ws` WebSocket).
import { ApiError, AuctionSocket, ClockOffset, RestClient, type BidOutcome, type DurableEvent } from '../../dist/index.js';
import { FlakyProxy } from './proxy';

const pg = process.env.REMATE_TEST_POSTGRES;

let host: RunningHost;
let proxy: FlakyProxy;
let rest: RestClient;
let adminToken = '';

beforeAll(async () => {
  if (!pg) throw new Error('REMATE_TEST_POSTGRES is not set: run under scripts/test-env.sh (the host restart needs a durable store).');
  // Bid rate limits are not under test here (the REST bidder bids as fast as it can).
  host = await startHost({
    dll: inject('sampleDll'),
    env: { RemateLive__Postgres__ConnectionString: pg, RemateLive__RateLimits__BidsPerSecond: '1000', RemateLive__RateLimits__BidBurst: '1000' },
  });
  proxy = await new FlakyProxy(host.port).start();
  rest = new RestClient({ baseUrl: host.base });
  adminToken = (await rest.login({ username: 'admin', display_name: 'Admin', password: ADMIN_PASSWORD })).token;
});

afterAll(async () => {
  await proxy?.stop();
  await host?.stop();
});

const unique = (p: string) => `${p}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.slice(0, 32);

async function newAuction(): Promise<string> {
  const admin = new RestClient({ baseUrl: host.base, token: () => adminToken });
  const a = await admin.createAuction({
    title: 'Client SDK test lot',
    description: 'Created by the @remate-live/client integration tests.',
    image_url: null,
    currency: 'USD',
    starting_price_cents: 1000,
    increment: { kind: 'fixed', amount_cents: 100 },
    ends_at: new Date(Date.now() + 30 * 60_000).toISOString(),
  } as never);
  return a.id;
}

/** A second bidder over REST (the "rest of the room"). */
async function restBidder() {
  const s = await rest.login({ username: unique('rb'), display_name: 'Rest bidder' });
  const client = new RestClient({ baseUrl: host.base, token: () => s.token });
  return {
    /** Bids the current minimum (again when someone got there first, or after the rate limit's wait). */
    async bidMin(id: string) {
      for (let attempt = 0; ; attempt++) {
        const a = await client.getAuction(id);
        try {
          return await client.placeBid(id, { amount_cents: a.min_next_bid_cents } as never);
        } catch (e) {
          if (!(e instanceof ApiError) || attempt > 20 || !['BID_TOO_LOW', 'RATE_LIMITED'].includes(e.code)) throw e;
          await new Promise((r) => setTimeout(r, e.code === 'RATE_LIMITED' ? (e.retryAfterSeconds ?? 1) * 1000 : 0));
        }
      }
    },
  };
}

/** A socket client through the proxy that records every durable event it delivers. */
function socketClient(auctionId: string, clock?: ClockOffset) {
  const events: DurableEvent[] = [];
  const states: string[] = [];
  let snapshots = 0;
  const socket = new AuctionSocket(
    auctionId,
    { username: unique('ws'), display_name: 'Socket bidder' },
    {
      snapshot: () => void snapshots++,
      event: (e) => void events.push(e),
      state: (s) => void states.push(s),
    },
    {
      baseUrl: proxy.base,
      WebSocket,
      api: new RestClient({ baseUrl: host.base }),
      resumeFrom: 0, // the whole history, so it can be compared with the server's
      backoff: { baseMs: 100, maxMs: 1_000, jitter: 0.5 },
      connectTimeoutMs: 5_000,
      ...(clock ? { clock } : {}),
    },
  );
  return { socket, events, states, snapshots: () => snapshots };
}

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const shape = (e: DurableEvent) => ({
  type: e.type,
  seq: e.payload.seq,
  ...(e.type === 'bid_placed' ? { bid_id: e.payload.bid_id, amount_cents: e.payload.amount_cents } : {}),
});

/** The client's history equals the server's `GET /events`: same events, same order, none missing, none twice. */
async function expectSameHistory(auctionId: string, events: DurableEvent[]) {
  const server = await rest.history(auctionId);
  const version = (await rest.getAuction(auctionId)).version;
  await until('the client caught up', () => (events.at(-1)?.payload.seq ?? 0) >= version);
  expect(events.map(shape)).toEqual(server.map(shape));
  expect(server.map((e) => e.payload.seq)).toEqual(server.map((_, i) => i + 1));
}

describe('AuctionSocket against the real host', () => {
  it('the socket is cut mid-stream, twice: the history equals the server\'s, no gap, no duplicate', async () => {
    const id = await newAuction();
    const c = socketClient(id);
    c.socket.start();
    await until('open', () => c.socket.state === 'open');
    const b = await restBidder();
    for (let i = 0; i < 20; i++) {
      await b.bidMin(id);
      if (i === 5 || i === 12) proxy.cut(); // mid-stream: events in flight are lost with the connection
    }
    await until('reopened', () => c.socket.state === 'open');
    await expectSameHistory(id, c.events);
    expect(c.events).toHaveLength(20);
    expect(c.states.filter((s) => s === 'reconnecting').length).toBeGreaterThanOrEqual(2);
    c.socket.stop();
  });

  it('a bid placed while offline is sent after the reconnect and lands exactly once', async () => {
    const id = await newAuction();
    const c = socketClient(id);
    c.socket.start();
    await until('open', () => c.socket.state === 'open');
    const b = await restBidder();
    await b.bidMin(id);

    proxy.offline = true;
    proxy.cut();
    await until('not open', () => c.socket.state !== 'open');
    const outcome = c.socket.bid(50_000);
    const outcomeAgain = c.socket.bid(50_000); // a double click while offline is the same bid
    for (let i = 0; i < 3; i++) await b.bidMin(id); // the room goes on without us
    await new Promise((r) => setTimeout(r, 300)); // a few refused reconnect attempts
    proxy.offline = false;

    const result: BidOutcome = await outcome;
    expect(result.ok).toBe(true);
    expect((await outcomeAgain).key).toBe(result.key);
    const bids = await rest.listBids(id, 200);
    expect(bids.filter((x) => x.amount_cents === 50_000)).toHaveLength(1);
    await expectSameHistory(id, c.events);
    c.socket.stop();
  });

  it('the bid reaches the server but its answer is lost: the resend (same key) is answered, not placed again', async () => {
    const id = await newAuction();
    const c = socketClient(id);
    c.socket.start();
    await until('open', () => c.socket.state === 'open');

    proxy.blackhole = true; // our bytes reach the server, its answers never reach us
    const outcome = c.socket.bid(7_700);
    await until('the server has the bid', async () => (await rest.listBids(id)).some((x) => x.amount_cents === 7_700));
    expect(c.socket.intents.size).toBe(1); // unanswered
    proxy.cut();
    proxy.blackhole = false;

    const result = await outcome;
    expect(result).toMatchObject({ ok: true, bid: { amount_cents: 7_700, seq: 1 } });
    expect((await rest.listBids(id)).filter((x) => x.amount_cents === 7_700)).toHaveLength(1);
    await expectSameHistory(id, c.events);
    c.socket.stop();
  });

  it('the host restarts: the client resumes, a bid made while it was down lands once, history equals the server\'s', async () => {
    const id = await newAuction();
    const c = socketClient(id);
    c.socket.start();
    await until('open', () => c.socket.state === 'open');
    const b = await restBidder();
    for (let i = 0; i < 5; i++) await b.bidMin(id);
    await until('caught up', () => c.socket.lastSeq === 5);

    const restarting = host.restart();
    await until('not open', () => c.socket.state !== 'open');
    const outcome = c.socket.bid(90_000); // made while the host is down
    await restarting;
    for (let i = 0; i < 3; i++) await b.bidMin(id);

    const result = await outcome;
    expect(result.ok).toBe(true);
    for (let i = 0; i < 2; i++) await b.bidMin(id);
    expect((await rest.listBids(id, 200)).filter((x) => x.amount_cents === 90_000)).toHaveLength(1);
    await expectSameHistory(id, c.events);
    expect(c.events).toHaveLength(11);
    expect(c.socket.serverNow()).toBeGreaterThan(0);
    c.socket.stop();
  });

  it('the clock offset follows the server (server_time in auth_ok and pings)', async () => {
    const id = await newAuction();
    // The client's clock runs five minutes slow: only a measured offset brings it back to the server's time.
    const skewMs = 300_000;
    const c = socketClient(id, new ClockOffset(10, () => Date.now() - skewMs));
    c.socket.start();
    await until('open', () => c.socket.state === 'open');
    // Same machine: the offset is the skew give or take the one-way latency, well under a second.
    expect(Math.abs(c.socket.clock.offsetMs - skewMs)).toBeLessThan(1_000);
    expect(Math.abs(c.socket.serverNow() - Date.now())).toBeLessThan(1_000);
    c.socket.stop();
  });
});

describe('bidder features against the real host', () => {
  it('the final-minute heartbeat: pongs keep a quiet socket alive; a silent one is replaced within ~3 s', async () => {
    const admin = new RestClient({ baseUrl: host.base, token: () => adminToken });
    const a = await admin.createAuction({
      title: 'Heartbeat lot',
      description: 'Ends within the minute.',
      image_url: null,
      currency: 'USD',
      starting_price_cents: 1000,
      increment: { kind: 'fixed', amount_cents: 100 },
      ends_at: new Date(Date.now() + 50_000).toISOString(),
    } as never);
    const c = socketClient(a.id);
    c.socket.start();
    await until('open', () => c.socket.state === 'open');
    const opened = c.states.length;
    // Nothing happens in the room and the server's own ping is 30 s away: only pongs prove the socket alive.
    await new Promise((r) => setTimeout(r, 5_000));
    expect(c.socket.state).toBe('open');
    expect(c.states.slice(opened)).toEqual([]);

    proxy.blackhole = true; // a dead network: no close, no error, just silence
    const t0 = Date.now();
    await until('declared dead', () => c.socket.state !== 'open', 6_000);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(2_000);
    expect(took).toBeLessThan(5_000); // the next ping within 1 s, unanswered for 3 s
    proxy.cut();
    proxy.blackhole = false;
    await until('reopened', () => c.socket.state === 'open', 10_000);
    c.socket.stop();
  });

  it('the catalogue pages by the cursor of the Link header: every match once, in order', async () => {
    const admin = new RestClient({ baseUrl: host.base, token: () => adminToken });
    const word = unique('zk');
    const prices = [5_000, 1_000, 4_000, 2_000, 3_000];
    for (const [i, p] of prices.entries()) {
      await admin.createAuction({
        title: `Pocket watch ${word} ${i}`,
        description: 'Catalogue paging test.',
        image_url: null,
        currency: 'USD',
        starting_price_cents: p,
        increment: { kind: 'fixed', amount_cents: 100 },
        ends_at: new Date(Date.now() + 30 * 60_000).toISOString(),
      } as never);
    }
    const seen: number[] = [];
    const cursors: (string | null)[] = [];
    let cursor: string | undefined;
    do {
      const page = await rest.searchAuctions({ q: word, sort: 'price_asc', limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((x) => x.current_price_cents));
      cursors.push(page.nextCursor);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
    expect(cursors.map((c) => c !== null)).toEqual([true, true, false]);
    // A bad cursor is a validation problem naming it.
    await expect(rest.searchAuctions({ q: word, cursor: 'not-a-cursor' })).rejects.toMatchObject({ status: 400 });
  });

  it('my bids and the watchlist, for the signed-in user only', async () => {
    const id = await newAuction();
    const s = await rest.login({ username: unique('me'), display_name: 'Me bidder' });
    const me = new RestClient({ baseUrl: host.base, token: () => s.token });
    await me.placeBid(id, { amount_cents: 1_000, max_amount_cents: 5_000 } as never);
    const mine = (await me.myBids()).find((x) => x.auction.id === id);
    expect(mine).toMatchObject({ status: 'leading', highest_bid_cents: 1_000, max_cents: 5_000 });
    await me.watch(id);
    await me.watch(id); // idempotent
    expect((await me.watchlist()).map((x) => x.id)).toEqual([id]);
    await me.unwatch(id);
    expect(await me.watchlist()).toEqual([]);
    await expect(rest.myBids()).rejects.toMatchObject({ status: 401, code: 'NOT_AUTHENTICATED' });
  });

  it('raiseMax: the leader raises their maximum without moving the price; exactly once by key; others learn no amount', async () => {
    const id = await newAuction(); // USD 10.00, fixed increment 1.00
    const leader = socketClient(id);
    const other = socketClient(id);
    leader.socket.start();
    other.socket.start();
    await until('open', () => leader.socket.state === 'open' && other.socket.state === 'open');

    // Not leading yet: refused.
    const early = await leader.socket.raiseMax(5_000);
    expect(early).toMatchObject({ ok: false, error: { code: 'NOT_LEADING' } });

    expect((await leader.socket.bid(1_000, 2_000)).ok).toBe(true);
    const tooLow = await leader.socket.raiseMax(2_000);
    expect(tooLow).toMatchObject({ ok: false, error: { code: 'MAX_TOO_LOW' } });

    const raised = await leader.socket.raiseMax(5_000);
    expect(raised).toMatchObject({ ok: true, max_amount_cents: 5_000, raised: { yours: true, max_amount_cents: 5_000 } });
    const auction = await rest.getAuction(id);
    expect(auction.current_price_cents).toBe(1_000);
    await until('the other saw it', () => other.events.some((e) => e.type === 'max_raised'));
    const seen = other.events.find((e) => e.type === 'max_raised')!;
    expect(seen.payload).not.toHaveProperty('max_amount_cents');
    expect(seen.payload).not.toHaveProperty('idempotency_key');
    expect(seen.payload.seq).toBe(auction.version);

    // The defended lead: another bid below the new maximum is answered automatically.
    const b = await restBidder();
    await b.bidMin(id);
    await until('proxy answered', async () => (await rest.getAuction(id)).bid_count === 3);
    const after = await rest.getAuction(id);
    expect(after.current_price_cents).toBe(1_200);
    await expectSameHistory(id, other.events);
    leader.socket.stop();
    other.socket.stop();
  });
});

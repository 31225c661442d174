import { describe, expect, it } from 'vitest';
import { BidIntents } from '../../src/bidIntents';
import { ClockOffset } from '../../src/clock';
import type { DurableEvent } from '../../src/types';
import { auction, authOk, bid, bidPlaced, iso, T0 } from '../fixtures';
import { AuctionSocket, socketUrl, type AuctionSocketHandlers, type AuctionSocketOptions, type Identity, type NetworkEvents } from '../../src/realtime';

class FakeSocket {
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onclose: ((ev: CloseEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.serverClose(1006);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) } as MessageEvent);
  }
  serverClose(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code } as CloseEvent);
  }
}

function harness(
  opts: { events?: (after: number) => DurableEvent[]; identity?: Identity; network?: NetworkEvents; extra?: AuctionSocketOptions } = {},
) {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number; id: number; cleared?: boolean }[] = [];
  const log: { events: DurableEvent[]; mine: boolean[]; states: string[]; snapshots: number; bidErrors: string[]; pending: number[] } = {
    events: [],
    mine: [],
    states: [],
    snapshots: 0,
    bidErrors: [],
    pending: [],
  };
  const on: AuctionSocketHandlers = {
    snapshot: () => void log.snapshots++,
    event: (e, mine) => {
      log.events.push(e);
      log.mine.push(mine);
    },
    bidError: (p) => void log.bidErrors.push(p.code),
    message: () => undefined,
    state: (s) => void log.states.push(s),
    pending: (n) => void log.pending.push(n),
    authError: () => undefined,
  };
  let keyN = 0;
  const restCalls: number[] = [];
  const socket = new AuctionSocket('a1', opts.identity ?? { username: 'me', display_name: 'Me', token: 't0' }, on, {
    url: 'ws://test/ws/auctions/a1',
    network: opts.network ?? null,
    ...opts.extra,
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    random: () => 0,
    clock: new ClockOffset(10, () => T0 - 300_000),
    intents: new BidIntents(() => `k${++keyN}`),
    api: opts.events
      ? {
          events: async (_id, after) => {
            restCalls.push(after);
            return opts.events!(after);
          },
        }
      : undefined,
    setTimeout: (fn, ms) => {
      const t = { fn, ms, id: timers.length + 1 };
      timers.push(t);
      return t.id;
    },
    clearTimeout: (id) => {
      const t = timers.find((x) => x.id === id);
      if (t) t.cleared = true;
    },
  });
  const fire = (ms: number) => {
    const t = timers.find((x) => !x.cleared && x.ms === ms);
    if (!t) throw new Error(`no pending timer of ${ms} ms; have ${timers.filter((x) => !x.cleared).map((x) => x.ms)}`);
    t.cleared = true;
    t.fn();
  };
  const last = () => sockets[sockets.length - 1]!;
  return { socket, sockets, timers, log, fire, last, restCalls };
}

describe('socketUrl', () => {
  it('follows the page scheme', () => {
    expect(socketUrl('x 1', { protocol: 'https:', host: 'a.example:8443' })).toBe('wss://a.example:8443/ws/auctions/x%201');
    expect(socketUrl('a1', { protocol: 'http:', host: 'localhost:5173' })).toBe('ws://localhost:5173/ws/auctions/a1');
  });
  it('derives the socket URL from a base URL (Node has no page location)', () => {
    expect(socketUrl('a1', 'https://auctions.example.com/')).toBe('wss://auctions.example.com/ws/auctions/a1');
    expect(socketUrl('a1', 'http://127.0.0.1:5080/remate')).toBe('ws://127.0.0.1:5080/remate/ws/auctions/a1');
  });
});

describe('AuctionSocket', () => {
  it('authenticates first (no last_seq: start from the snapshot) and answers ping with pong', () => {
    const h = harness();
    h.socket.start();
    h.last().open();
    expect(h.last().sent[0]).toEqual({ type: 'auth', payload: { username: 'me', display_name: 'Me', token: 't0' } });
    h.last().receive({ type: 'auth_ok', payload: authOk(auction({ version: 3 }), [bid(3, 1)]) });
    expect(h.socket.state).toBe('open');
    h.last().receive({ type: 'ping', payload: { server_time: iso(T0) } });
    expect(h.last().sent.at(-1)).toEqual({ type: 'pong' });
    // The clock learnt that the local clock is 5 minutes slow.
    expect(h.socket.clock.offsetMs).toBe(300_000);
  });

  it('reconnects with backoff and resumes from last_seq without doubling', () => {
    const h = harness();
    h.socket.start();
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction({ version: 2 }), [bid(2, 2), bid(1, 1)]) });
    h.last().receive(bidPlaced(3, 300));
    expect(h.socket.sequencer.lastSeq).toBe(3);

    h.last().serverClose(1006);
    expect(h.socket.state).toBe('reconnecting');
    h.fire(250); // attempt 0: 500 ms ceiling, random 0 → 250 ms
    h.last().open();
    expect(h.sockets).toHaveLength(2);
    expect(h.last().sent[0]).toMatchObject({ type: 'auth', payload: { last_seq: 3 } });

    // Server: snapshot at version 5, then the missed 4 and 5, then live 6 — plus a stray duplicate 3.
    h.last().receive({ type: 'auth_ok', payload: authOk(auction({ version: 5 })) });
    h.last().receive(bidPlaced(3, 300));
    h.last().receive(bidPlaced(4, 400));
    h.last().receive(bidPlaced(5, 500));
    h.last().receive(bidPlaced(6, 600));
    expect(h.log.events.map((e) => e.payload.seq)).toEqual([3, 4, 5, 6]);
    expect(h.log.snapshots).toBe(2);
  });

  it('grows the delay on repeated failures and resets after success', () => {
    const h = harness();
    h.socket.start();
    h.last().serverClose();
    h.fire(250);
    h.last().serverClose();
    h.fire(500);
    h.last().serverClose();
    h.fire(1000);
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction()) });
    h.last().serverClose();
    h.fire(250);
    expect(h.sockets).toHaveLength(5);
  });

  it('sends resume on a live gap and releases held events in order', () => {
    const h = harness();
    h.socket.start();
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction({ version: 1 })) });
    h.last().receive(bidPlaced(4, 400));
    expect(h.last().sent.at(-1)).toEqual({ type: 'resume', payload: { last_seq: 1 } });
    expect(h.log.events).toHaveLength(0);
    h.last().receive(bidPlaced(3, 300)); // still missing 2: no second resume for the same last_seq
    expect(h.last().sent.filter((m) => m.type === 'resume')).toHaveLength(1);
    h.last().receive(bidPlaced(2, 200));
    expect(h.log.events.map((e) => e.payload.seq)).toEqual([2, 3, 4]);
  });

  it('falls back to REST events when the gap is not filled over the socket', async () => {
    const h = harness({ events: (after) => [bidPlaced(after + 1, 200)] });
    h.socket.start();
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction({ version: 1 })) });
    h.last().receive(bidPlaced(3, 300));
    h.fire(1500); // resume again
    h.fire(1500); // and again
    h.fire(1500); // then REST
    await Promise.resolve();
    await Promise.resolve();
    expect(h.restCalls).toEqual([1]);
    expect(h.log.events.map((e) => e.payload.seq)).toEqual([2, 3]);
  });

  it('re-sends an unanswered bid after a reconnect with the SAME idempotency key', () => {
    const h = harness();
    h.socket.start();
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction({ version: 0 })) });
    const key = h.socket.placeBid(15000, 20000);
    expect(h.last().sent.at(-1)).toEqual({
      type: 'bid',
      payload: { amount_cents: 15000, version: 0, idempotency_key: key, max_amount_cents: 20000 },
    });
    // Clicking again while unanswered does not send a second bid.
    expect(h.socket.placeBid(15000, 20000)).toBe(key);
    expect(h.last().sent.filter((m) => m.type === 'bid')).toHaveLength(1);

    h.last().serverClose();
    h.fire(250);
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction({ version: 0 })) });
    const resent = h.last().sent.filter((m) => m.type === 'bid');
    expect(resent).toHaveLength(1);
    expect(resent[0]).toMatchObject({ payload: { idempotency_key: key, amount_cents: 15000 } });

    h.last().receive(bidPlaced(1, 15000, 'Me', key));
    expect(h.log.mine).toEqual([true]);
    expect(h.socket.intents.size).toBe(0);
    expect(h.log.pending.at(-1)).toBe(0);
  });

  it('queues a bid placed while disconnected and sends it once authenticated', () => {
    const h = harness();
    h.socket.start();
    const key = h.socket.placeBid(100);
    expect(h.last().sent).toHaveLength(0);
    h.last().open();
    expect(h.last().sent.filter((m) => m.type === 'bid')).toHaveLength(0); // not before auth_ok
    h.last().receive({ type: 'auth_ok', payload: authOk(auction({ version: 7 })) });
    expect(h.last().sent.at(-1)).toEqual({ type: 'bid', payload: { amount_cents: 100, version: 7, idempotency_key: key } });
  });

  it('settles a bid on bid_error and lets the same amount be tried again with a new key', () => {
    const h = harness();
    h.socket.start();
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction()) });
    const k1 = h.socket.placeBid(100);
    h.last().receive({ type: 'bid_error', payload: { error: 'low', code: 'BID_TOO_LOW', idempotency_key: k1 } });
    expect(h.log.bidErrors).toEqual(['BID_TOO_LOW']);
    const k2 = h.socket.placeBid(100);
    expect(k2).not.toBe(k1);
  });

  it('stops for good on auth_error', () => {
    const h = harness();
    h.socket.start();
    h.last().open();
    h.last().receive({ type: 'auth_error', payload: { error: 'taken', code: 'USERNAME_TAKEN' } });
    expect(h.socket.state).toBe('closed');
    expect(h.timers.filter((t) => !t.cleared && t.ms < 70_000)).toHaveLength(0);
  });

  it('drops a silent connection after the idle timeout', () => {
    const h = harness();
    h.socket.start();
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction()) });
    h.fire(70_000);
    expect(h.socket.state).toBe('reconnecting');
  });

  it('abandons a connection that is not authenticated in time, and retries', () => {
    const h = harness();
    h.socket.start();
    h.last().open(); // handshake done, but auth_ok never comes
    h.fire(10_000);
    expect(h.socket.state).toBe('reconnecting');
    h.fire(250);
    expect(h.sockets).toHaveLength(2);
  });

  it('reconnectNow (browser back online) replaces a hung attempt instead of waiting for backoff', () => {
    const h = harness();
    h.socket.start();
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction()) });
    h.last().serverClose();
    h.fire(250);
    expect(h.sockets).toHaveLength(2); // attempt made while offline, hanging
    h.socket.reconnectNow();
    expect(h.sockets).toHaveLength(3);
    h.sockets[1]!.serverClose(); // the abandoned one closing late changes nothing
    expect(h.socket.state).toBe('reconnecting');
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction()) });
    expect(h.socket.state).toBe('open');
    h.socket.reconnectNow(); // no-op while connected
    expect(h.sockets).toHaveLength(3);
  });

  it('authenticates with a token alone', () => {
    const h = harness({ identity: { token: 'tok-only' } });
    h.socket.start();
    h.last().open();
    expect(h.last().sent[0]).toEqual({ type: 'auth', payload: { token: 'tok-only' } });
  });

  it('sends a password only when there is no token, and reports a new token', () => {
    const h = harness({ identity: { username: 'me', display_name: 'Me', password: 'secret' } });
    h.socket.start();
    h.last().open();
    expect(h.last().sent[0]).toEqual({ type: 'auth', payload: { username: 'me', display_name: 'Me', password: 'secret' } });
    h.last().receive({ type: 'auth_ok', payload: authOk(auction()) });
    h.last().serverClose();
    h.fire(250);
    h.last().open();
    // The reconnect uses the token auth_ok issued, not the password.
    expect(h.last().sent[0]).toEqual({ type: 'auth', payload: { username: 'me', display_name: 'Me', token: 'tok', last_seq: 0 } });
  });

  it('resumeFrom replays from a saved seq: the first snapshot is a resume, history is gap-free', () => {
    const h = harness({ extra: { resumeFrom: 2 } });
    h.socket.start();
    h.last().open();
    expect(h.last().sent[0]).toMatchObject({ type: 'auth', payload: { last_seq: 2 } });
    h.last().receive({ type: 'auth_ok', payload: authOk(auction({ version: 4 })) });
    expect(h.socket.sequencer.hasGap).toBe(true); // 3 and 4 are owed
    h.last().receive(bidPlaced(3, 300));
    h.last().receive(bidPlaced(4, 400));
    expect(h.log.events.map((e) => e.payload.seq)).toEqual([3, 4]);
    expect(h.socket.lastSeq).toBe(4);
  });

  it('goes offline at once on the browser offline event and reconnects at once when online', () => {
    const listeners = new Map<string, () => void>();
    const network: NetworkEvents = {
      addEventListener: (t, fn) => void listeners.set(t, fn),
      removeEventListener: (t) => void listeners.delete(t),
    };
    const h = harness({ network });
    h.socket.start();
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction()) });
    listeners.get('offline')!();
    expect(h.socket.state).toBe('offline');
    expect(h.log.states.at(-1)).toBe('offline');
    // A bid made while offline waits (no socket to send it on).
    const key = h.socket.placeBid(12_000);
    expect(h.sockets[0]!.sent.filter((m) => m.type === 'bid')).toHaveLength(0);
    listeners.get('online')!();
    expect(h.sockets).toHaveLength(2); // no back-off wait
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction()) });
    expect(h.last().sent.filter((m) => m.type === 'bid')).toEqual([
      { type: 'bid', payload: { amount_cents: 12_000, version: 0, idempotency_key: key } },
    ]);
    h.socket.stop();
    expect(listeners.size).toBe(0);
  });

  it('bid() resolves once with the outcome, across a reconnect, and a replayed copy settles it', async () => {
    const h = harness();
    h.socket.start();
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction({ version: 0 })) });
    const outcome = h.socket.bid(15_000);
    const key = h.last().sent.at(-1)!.payload as { idempotency_key: string };
    // The bid reached the server, the answer was lost with the connection.
    h.last().serverClose();
    h.fire(250);
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction({ version: 1 })) });
    // The replay delivers seq 1 (our bid, without key), then the resend is answered with the first outcome.
    h.last().receive(bidPlaced(1, 15_000, 'Me'));
    h.last().receive(bidPlaced(1, 15_000, 'Me', key.idempotency_key));
    await expect(outcome).resolves.toMatchObject({ ok: true, key: key.idempotency_key, bid: { seq: 1 } });
    expect(h.log.events.map((e) => e.payload.seq)).toEqual([1]);
    expect(h.socket.intents.size).toBe(0);
  });

  it('bid() resolves with the bid_error', async () => {
    const h = harness();
    h.socket.start();
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction()) });
    const outcome = h.socket.bid(1);
    const k = (h.last().sent.at(-1)!.payload as { idempotency_key: string }).idempotency_key;
    h.last().receive({ type: 'bid_error', payload: { error: 'low', code: 'BID_TOO_LOW', idempotency_key: k } });
    await expect(outcome).resolves.toMatchObject({ ok: false, error: { code: 'BID_TOO_LOW' } });
  });

  it('uses the WebSocket class it is given (Node) and the baseUrl', () => {
    const made: string[] = [];
    class Ws {
      readyState = 0;
      onopen = null;
      onmessage = null;
      onclose = null;
      onerror = null;
      constructor(url: string) {
        made.push(url);
      }
      send() {}
      close() {}
    }
    const s = new AuctionSocket('a 1', { token: 't' }, {}, { WebSocket: Ws, baseUrl: 'http://127.0.0.1:1234', network: null });
    s.start();
    expect(made).toEqual(['ws://127.0.0.1:1234/ws/auctions/a%201']);
    s.stop();
  });
});

describe('AuctionSocket.raiseMax', () => {
  const raised = (seq: number, key?: string, max?: number) => ({
    type: 'max_raised',
    payload: {
      auction_id: 'a1',
      seq,
      paddle: 1,
      server_time: iso(T0),
      yours: key !== undefined,
      ...(key !== undefined ? { max_amount_cents: max, idempotency_key: key } : {}),
    },
  });

  it('sends raise_max with a key and resolves on our max_raised; the event is sequenced like any other', async () => {
    const h = harness();
    h.socket.start();
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction({ version: 1 }), [bid(1, 10_000)]) });
    const outcome = h.socket.raiseMax(25_000);
    const sent = h.last().sent.at(-1)!;
    expect(sent).toEqual({ type: 'raise_max', payload: { max_amount_cents: 25_000, idempotency_key: 'k1' } });
    expect(h.log.pending.at(-1)).toBe(1);
    h.last().receive(raised(2, 'k1', 25_000));
    await expect(outcome).resolves.toMatchObject({ ok: true, key: 'k1', max_amount_cents: 25_000, raised: { seq: 2, yours: true } });
    expect(h.socket.lastSeq).toBe(2);
    expect(h.log.mine).toEqual([true]);
    // The next event follows without a gap (max_raised advanced seq).
    h.last().receive(bidPlaced(3, 11_000, 'Bea'));
    expect(h.log.events.map((e) => [e.type, e.payload.seq])).toEqual([
      ['max_raised', 2],
      ['bid_placed', 3],
    ]);
    expect(h.last().sent.filter((m) => m.type === 'resume')).toHaveLength(0);
  });

  it("someone else's max_raised (no amount) is delivered in order and settles nothing", () => {
    const h = harness();
    h.socket.start();
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction({ version: 1 })) });
    h.socket.raiseMax(30_000);
    h.last().receive(raised(3));
    expect(h.log.events).toHaveLength(0); // seq 2 is missing: held, resume asked
    expect(h.last().sent.at(-1)).toEqual({ type: 'resume', payload: { last_seq: 1 } });
    h.last().receive(raised(2));
    expect(h.log.events.map((e) => e.payload.seq)).toEqual([2, 3]);
    expect(h.log.mine).toEqual([false, false]);
    expect(h.socket.intents.size).toBe(1);
  });

  it('resolves with the bid_error (NOT_LEADING) and a retry after it gets a new key', async () => {
    const h = harness();
    h.socket.start();
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction()) });
    const outcome = h.socket.raiseMax(20_000);
    h.last().receive({ type: 'bid_error', payload: { error: 'not leading', code: 'NOT_LEADING', idempotency_key: 'k1' } });
    await expect(outcome).resolves.toMatchObject({ ok: false, key: 'k1', error: { code: 'NOT_LEADING' } });
    void h.socket.raiseMax(20_000);
    expect(h.last().sent.at(-1)).toMatchObject({ type: 'raise_max', payload: { idempotency_key: 'k2' } });
  });

  it('a raise that reaches an unmet reserve is answered by a bid_placed (proxy at the reserve)', async () => {
    const h = harness();
    h.socket.start();
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction({ version: 1 })) });
    const outcome = h.socket.raiseMax(50_000);
    const ev = bidPlaced(2, 40_000, 'Me', 'k1');
    ev.payload.kind = 'proxy';
    ev.payload.yours = true;
    h.last().receive(ev);
    await expect(outcome).resolves.toMatchObject({ ok: true, max_amount_cents: 50_000, bid: { amount_cents: 40_000, kind: 'proxy' } });
  });

  it('exactly once: the same raise twice is one key; queued while disconnected; resent with its key after a drop', async () => {
    const h = harness();
    h.socket.start();
    const first = h.socket.raiseMax(25_000); // before the connection: queued
    const again = h.socket.raiseMax(25_000); // a double click
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction({ version: 1 })) });
    expect(h.last().sent.filter((m) => m.type === 'raise_max')).toEqual([
      { type: 'raise_max', payload: { max_amount_cents: 25_000, idempotency_key: 'k1' } },
    ]);
    // The answer is lost with the connection; the resend carries the same key.
    h.last().serverClose();
    h.fire(250);
    h.last().open();
    h.last().receive({ type: 'auth_ok', payload: authOk(auction({ version: 2 })) });
    expect(h.last().sent.filter((m) => m.type === 'raise_max')).toEqual([
      { type: 'raise_max', payload: { max_amount_cents: 25_000, idempotency_key: 'k1' } },
    ]);
    // Replay of seq 2 (as everyone sees it), then the retried key answered with the first outcome.
    h.last().receive(raised(2));
    h.last().receive(raised(2, 'k1', 25_000));
    const [o1, o2] = await Promise.all([first, again]);
    expect(o1).toMatchObject({ ok: true, key: 'k1', raised: { seq: 2 } });
    expect(o2).toEqual(o1);
    expect(h.log.events.map((e) => e.payload.seq)).toEqual([2]);
    expect(h.socket.intents.size).toBe(0);
  });

  it('a raise and a bid of the same amount are different intents', () => {
    const h = harness();
    h.socket.start();
    const k1 = h.socket.placeBid(25_000);
    void h.socket.raiseMax(25_000);
    expect(h.socket.intents.all().map((i) => [i.kind, i.key])).toEqual([
      ['bid', k1],
      ['raise_max', 'k2'],
    ]);
  });
});

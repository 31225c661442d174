import { describe, expect, it } from 'vitest';
import type { SaleEvent } from '../domain/sale';
import { authOk, ev, sale } from '../test/saleFixtures';
import { SaleSocket, saleSocketUrl, type SaleSocketHandlers, type SaleWsLike } from './saleSocket';

class FakeWs implements SaleWsLike {
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  sent: Array<{ type: string; payload?: Record<string, unknown> }> = [];
  closed = false;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  // server side
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  push(type: string, payload: unknown) {
    this.onmessage?.({ data: JSON.stringify({ type, payload }) });
  }
  event(e: SaleEvent) {
    this.push(e.type, e.payload);
  }
  serverClose() {
    this.readyState = 3;
    this.onclose?.({});
  }
}

function setup() {
  const sockets: FakeWs[] = [];
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let nextTimer = 1;
  /** Runs the oldest pending timer of `ms` (reconnect delays vs the 70 s silence check). */
  const fire = (ms: number) => {
    const found = [...timers].find(([, x]) => x.ms === ms);
    if (!found) throw new Error(`no pending ${ms} ms timer; pending: ${[...timers.values()].map((x) => x.ms).join(', ')}`);
    timers.delete(found[0]);
    found[1].fn();
  };
  const events: SaleEvent[] = [];
  const states: Array<{ state: string; retryInMs?: number }> = [];
  const snapshots: number[] = [];
  const calls: string[] = [];
  const handlers: SaleSocketHandlers = {
    snapshot: (p) => snapshots.push(p.sale.seq),
    event: (e) => events.push(e),
    bidOk: (p) => calls.push(`bid_ok ${p.paddle}`),
    bidError: (p) => calls.push(`bid_error ${p.code}`),
    error: (code) => calls.push(`error ${code}`),
    authError: (code) => calls.push(`auth_error ${code}`),
    state: (state, _attempt, retryInMs) => states.push({ state, retryInMs }),
  };
  let token = 'tok-1';
  const socket = new SaleSocket('ws://h/ws/sales/sale-1', handlers, {
    token: () => token,
    createSocket: (url) => {
      const ws = new FakeWs(url);
      sockets.push(ws);
      return ws;
    },
    random: () => 0,
    setTimer: (fn, ms) => {
      timers.set(nextTimer, { fn, ms });
      return nextTimer++;
    },
    clearTimer: (h) => timers.delete(h as number),
  });
  return { socket, sockets, timers, fire, events, states, snapshots, calls, setToken: (t: string) => (token = t) };
}

describe('SaleSocket', () => {
  it('builds the socket URL from the page origin', () => {
    expect(saleSocketUrl('a b', { protocol: 'https:', host: 'x.test' })).toBe('wss://x.test/ws/sales/a%20b');
    expect(saleSocketUrl('s1', { protocol: 'http:', host: 'localhost:5080' })).toBe('ws://localhost:5080/ws/sales/s1');
  });

  it('authenticates with the token, takes the snapshot, then delivers events in order', () => {
    const t = setup();
    t.socket.start();
    const ws = t.sockets[0]!;
    ws.open();
    expect(ws.sent[0]).toEqual({ type: 'auth', payload: { token: 'tok-1' } });
    ws.push('auth_ok', authOk(sale({ seq: 4 })));
    expect(t.snapshots).toEqual([4]);
    expect(t.socket.state).toBe('open');
    ws.event(ev.asking(4, 1, 1)); // already in the snapshot
    ws.event(ev.asking(5, 1, 2));
    ws.event(ev.asking(5, 1, 2)); // duplicate
    expect(t.events.map((e) => e.payload.seq)).toEqual([5]);
    expect(t.socket.lastSeq).toBe(5);
  });

  it('a gap asks once for a replay after the last delivered seq and delivers it in order', () => {
    const t = setup();
    t.socket.start();
    const ws = t.sockets[0]!;
    ws.open();
    ws.push('auth_ok', authOk(sale({ seq: 1 })));
    ws.event(ev.asking(3, 1, 3));
    ws.event(ev.asking(4, 1, 4));
    expect(ws.sent.filter((m) => m.type === 'resume')).toEqual([{ type: 'resume', payload: { last_seq: 1 } }]);
    expect(t.events).toEqual([]);
    for (const seq of [2, 3, 4]) ws.event(ev.asking(seq, 1, seq));
    expect(t.events.map((e) => e.payload.seq)).toEqual([2, 3, 4]);
  });

  it('answers ping with pong and sends bids only while open', () => {
    const t = setup();
    t.socket.start();
    const ws = t.sockets[0]!;
    ws.open();
    expect(t.socket.bid('lot-1', 10_000)).toBe(false); // not authenticated yet
    ws.push('auth_ok', authOk());
    ws.push('ping', { server_time: 'x' });
    expect(t.socket.bid('lot-1', 10_000)).toBe(true);
    expect(ws.sent.slice(1)).toEqual([{ type: 'pong' }, { type: 'bid', payload: { lot_id: 'lot-1', amount_cents: 10_000 } }]);
    ws.push('bid_ok', { lot_id: 'lot-1', paddle: 1001, seq: 2 });
    ws.push('bid_error', { error: 'x', code: 'ALREADY_LEADING', lot_id: 'lot-1', asking_price_cents: 11_000, seq: 2 });
    ws.push('error', { error: 'x', code: 'INVALID_MESSAGE' });
    expect(t.calls).toEqual(['bid_ok 1001', 'bid_error ALREADY_LEADING', 'error INVALID_MESSAGE']);
  });

  it('reconnects with growing back-off and resumes after the last delivered seq with the current token', () => {
    const t = setup();
    t.socket.start();
    t.sockets[0]!.open();
    t.sockets[0]!.push('auth_ok', authOk(sale({ seq: 2 })));
    t.sockets[0]!.event(ev.asking(3, 1, 3));
    t.sockets[0]!.serverClose();
    expect(t.states.at(-1)).toEqual({ state: 'reconnecting', retryInMs: 250 }); // 500 ms ceiling, half jitter at random 0
    t.fire(250);
    t.sockets[1]!.serverClose(); // fails again: longer wait
    expect(t.states.at(-1)).toEqual({ state: 'reconnecting', retryInMs: 500 });
    t.setToken('tok-2');
    t.fire(500);
    const ws = t.sockets[2]!;
    ws.open();
    expect(ws.sent[0]).toEqual({ type: 'auth', payload: { token: 'tok-2', last_seq: 3 } });
    ws.push('auth_ok', authOk(sale({ seq: 5 })));
    ws.event(ev.asking(4, 1, 4));
    ws.event(ev.asking(5, 1, 5));
    expect(t.events.map((e) => e.payload.seq)).toEqual([3, 4, 5]);
    // Back-off starts over after a successful auth.
    ws.serverClose();
    expect(t.states.at(-1)).toEqual({ state: 'reconnecting', retryInMs: 250 });
  });

  it('stop closes for good; a rejected token stops reconnecting', () => {
    const t = setup();
    t.socket.start();
    t.sockets[0]!.open();
    t.sockets[0]!.push('auth_error', { error: 'revoked', code: 'NOT_AUTHENTICATED' });
    expect(t.calls).toEqual(['auth_error NOT_AUTHENTICATED']);
    expect(t.sockets[0]!.closed).toBe(true);
    expect(t.socket.state).toBe('closed');
    expect(t.timers.size).toBe(0);
  });

  it('a connection silent for 70 s is replaced; any message keeps it alive', () => {
    const t = setup();
    t.socket.start();
    const ws = t.sockets[0]!;
    ws.open();
    ws.push('auth_ok', authOk(sale({ seq: 2 })));
    ws.push('ping', {});
    expect([...t.timers.values()].filter((x) => x.ms === 70_000)).toHaveLength(1); // re-armed, not stacked
    t.fire(70_000);
    expect(ws.closed).toBe(true);
    expect(t.states.at(-1)).toEqual({ state: 'reconnecting', retryInMs: 250 });
    t.fire(250);
    t.sockets[1]!.open();
    expect(t.sockets[1]!.sent[0]).toEqual({ type: 'auth', payload: { token: 'tok-1', last_seq: 2 } });
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuctionSocket, type NetworkEvents } from '../../src/realtime';
import { auction, authOk, bidPlaced, iso, T0 } from '../fixtures';

// The final-minute heartbeat on vitest's fake timers: real setTimeout/Date semantics, time moved by hand.
class FakeSocket {
  readyState = 0;
  sent: { type: string; payload?: Record<string, unknown> }[] = [];
  closed = false;
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onclose: ((ev: CloseEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    // A dead network: the close handshake never completes, no close event comes.
    this.closed = true;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) } as MessageEvent);
  }
  pings() {
    return this.sent.filter((m) => m.type === 'ping');
  }
}

function room(endsInMs: number, network: NetworkEvents | null = null) {
  const sockets: FakeSocket[] = [];
  const states: string[] = [];
  const socket = new AuctionSocket(
    'a1',
    { token: 't' },
    { state: (s) => void states.push(s) },
    {
      url: 'ws://test/ws/auctions/a1',
      network,
      random: () => 0,
      createSocket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
    },
  );
  socket.start();
  const last = () => sockets[sockets.length - 1]!;
  const join = (ends = endsInMs) => {
    last().open();
    last().receive({ type: 'auth_ok', payload: authOk(auction({ ends_at: iso(Date.now() + ends) }), [], 2) });
  };
  join();
  return { socket, sockets, states, last, join };
}

describe('final-minute heartbeat', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it('pings every second in the final minute with a fresh nonce', () => {
    const r = room(30_000);
    expect(r.last().pings()).toEqual([{ type: 'ping', payload: { nonce: 'h1' } }]);
    r.last().receive({ type: 'pong', payload: { nonce: 'h1', server_time: iso(Date.now()) } });
    vi.advanceTimersByTime(1000);
    r.last().receive({ type: 'pong', payload: { nonce: 'h2', server_time: iso(Date.now()) } });
    vi.advanceTimersByTime(1000);
    expect(r.last().pings().map((p) => p.payload?.nonce)).toEqual(['h1', 'h2', 'h3']);
    expect(r.socket.state).toBe('open');
  });

  it('declares the socket dead when no pong comes within 3 s, and reconnects as after a drop', () => {
    const r = room(30_000);
    vi.advanceTimersByTime(2_900);
    expect(r.socket.state).toBe('open');
    expect(r.last().pings()).toHaveLength(3); // t = 0, 1, 2 s: unanswered
    vi.advanceTimersByTime(200); // 3.1 s of silence
    expect(r.socket.state).toBe('reconnecting');
    expect(r.sockets[0]!.closed).toBe(true);
    // No close event ever comes from the dead socket: the reconnect does not wait for one.
    vi.advanceTimersByTime(250);
    expect(r.sockets).toHaveLength(2);
    r.join();
    expect(r.last().sent[0]).toMatchObject({ type: 'auth', payload: { last_seq: 0 } });
    expect(r.socket.state).toBe('open');
  });

  it('counts from the oldest unanswered ping: a slow pong (2.5 s) keeps the socket; the next silence is measured afresh', () => {
    const r = room(30_000);
    vi.advanceTimersByTime(2_500); // pings h1 (0 s), h2 (1 s), h3 (2 s) unanswered
    r.last().receive({ type: 'pong', payload: { nonce: 'h1', server_time: iso(Date.now()) } });
    vi.advanceTimersByTime(3_400); // next ping at 3 s; its deadline is 6 s
    expect(r.socket.state).toBe('open');
    vi.advanceTimersByTime(200);
    expect(r.socket.state).toBe('reconnecting');
  });

  it('stays connected as long as pongs keep coming, however long the final minute', () => {
    const r = room(60_000);
    for (let i = 0; i < 20; i++) {
      r.last().receive({ type: 'pong', payload: { nonce: `h${i + 1}`, server_time: iso(Date.now()) } });
      vi.advanceTimersByTime(1000);
    }
    expect(r.sockets).toHaveLength(1);
    expect(r.socket.state).toBe('open');
  });

  it('any event is proof of life too', () => {
    const r = room(30_000);
    for (let i = 1; i <= 5; i++) {
      vi.advanceTimersByTime(2_000);
      r.last().receive(bidPlaced(i, 10_000 + i * 1000));
    }
    expect(r.socket.state).toBe('open');
  });

  it('does not ping before the final minute, and starts when it begins', () => {
    const r = room(5 * 60_000);
    vi.advanceTimersByTime(3 * 60_000);
    expect(r.last().pings()).toHaveLength(0);
    // The server pings every 30 s before the window; the long idle timeout applies.
    expect(r.socket.state).toBe('open');
    vi.advanceTimersByTime(60_000 + 10);
    expect(r.last().pings()).toHaveLength(1);
    vi.advanceTimersByTime(3_100);
    expect(r.socket.state).toBe('reconnecting');
  });

  it('a soft-close extension that moves the end into the window wakes the heartbeat; a close stops it', () => {
    const r = room(5 * 60_000);
    const ev = bidPlaced(1, 10_000);
    ev.payload.ends_at = iso(Date.now() + 20_000);
    r.last().receive(ev);
    expect(r.last().pings()).toHaveLength(1);
    r.last().receive({
      type: 'auction_closed',
      payload: { winner_name: 'Ana', final_price_cents: 10_000, reserve_met: null, seq: 2 },
    });
    vi.advanceTimersByTime(10_000);
    expect(r.last().pings()).toHaveLength(1);
    expect(r.socket.state).toBe('open');
  });

  it('measures the end on the server clock (a local clock 5 minutes slow still pings in the final minute)', () => {
    const sockets: FakeSocket[] = [];
    const socket = new AuctionSocket('a1', { token: 't' }, {}, {
      url: 'ws://x',
      network: null,
      createSocket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
    });
    socket.start();
    sockets[0]!.open();
    // Server time is 5 min ahead of Date.now(); the auction ends 30 s after the server's now.
    const serverNow = Date.now() + 300_000;
    sockets[0]!.receive({
      type: 'auth_ok',
      payload: { ...authOk(auction({ ends_at: iso(serverNow + 30_000) })), server_time: iso(serverNow) },
    });
    expect(sockets[0]!.pings()).toHaveLength(1);
    socket.stop();
  });

  it('offline at once on the browser event; online reconnects at once (no back-off wait)', () => {
    const listeners = new Map<string, () => void>();
    const r = room(30_000, {
      addEventListener: (t, fn) => void listeners.set(t, fn),
      removeEventListener: (t) => void listeners.delete(t),
    });
    listeners.get('offline')!();
    expect(r.socket.state).toBe('offline');
    const pingsBefore = r.sockets[0]!.pings().length;
    vi.advanceTimersByTime(5_000); // the heartbeat of the abandoned socket stopped with it
    expect(r.sockets[0]!.pings()).toHaveLength(pingsBefore);
    const n = r.sockets.length;
    listeners.get('online')!();
    expect(r.sockets).toHaveLength(n + 1);
    r.join();
    expect(r.socket.state).toBe('open');
    r.socket.stop();
  });
});

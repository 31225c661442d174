import { BidIntents, type BidIntent } from './bidIntents.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { ClockOffset } from './clock.js';
import { EventSequencer } from './sequencer.js';
import type {
  AuthOkPayload,
  AuthPayload,
  BidErrorPayload,
  BidPlacedPayload,
  ClientMessage,
  ConnectionState,
  DurableEvent,
  MaxRaisedPayload,
  ServerMessage,
} from './types.js';
import { isDurable } from './types.js';

/**
 * What the room hears from the socket, already de-duplicated and in seq order. Every handler is
 * optional; `message` receives everything else (outbid, presence, error…).
 */
export interface AuctionSocketHandlers {
  /** `auth_ok`: the auction snapshot. `resumed` is true on every snapshot after the first. */
  snapshot?(p: AuthOkPayload, resumed: boolean): void;
  /** A durable event (bid_placed, max_raised, auction_extended, auction_closed, auction_cancelled), each seq once, in order. `mine`: it settled one of this client's bids or raises. */
  event?(e: DurableEvent, mine: boolean): void;
  /** `bid_error`; `mine` when it answers one of this client's bids (or carries no key). */
  bidError?(p: BidErrorPayload, mine: boolean): void;
  message?(m: ServerMessage): void;
  /** Connection state changes; `retryInMs` while waiting to reconnect. */
  state?(s: ConnectionState, attempt: number, retryInMs?: number): void;
  /** Number of bids sent (or queued) and not answered yet. */
  pending?(count: number): void;
  /** The server refused the identity (`auth_error`): the client stops for good. */
  authError?(code: string, error: string): void;
  /** The server issued a (new) token for this identity: keep it to reconnect as the same user. */
  token?(token: string): void;
}

/**
 * Who connects: a `token` alone, a `username` + `display_name` (a new username is claimed; a claimed
 * one needs its `token` or `password`), or nothing when the host authenticates the upgrade request
 * (cookie/JWT).
 */
export interface Identity {
  username?: string;
  display_name?: string;
  token?: string;
  password?: string;
}

/** The part of a WebSocket this client uses: the browser's WebSocket and the `ws` package both fit. */
export interface WsLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
}

/** A WebSocket class (`globalThis.WebSocket`, or `WebSocket` from the `ws` package in Node). */
export type WebSocketConstructor = new (url: string) => unknown;

/** Source of the browser's `online`/`offline` events (`window` by default when there is one). */
export interface NetworkEvents {
  addEventListener(type: 'online' | 'offline', fn: () => void): void;
  removeEventListener(type: 'online' | 'offline', fn: () => void): void;
}

/** Fills gaps the socket could not: `GET /api/auctions/{id}/events?after_seq=`. */
export interface EventSource {
  events(auctionId: string, afterSeq: number, limit?: number): Promise<DurableEvent[]>;
}

/** The outcome of one bid, settled by its idempotency key. */
export type BidOutcome =
  | { ok: true; key: string; bid: BidPlacedPayload }
  | { ok: false; key: string; error: BidErrorPayload };

/**
 * The outcome of one `raiseMax`, settled by its idempotency key: `raised` (the maximum went up, the price
 * did not move), or `bid` when the new maximum reached an unmet reserve (the server placed a proxy bid at
 * the reserve), or the `bid_error` (`NOT_LEADING`, `MAX_TOO_LOW`, `AUCTION_CLOSED`, `INVALID_AMOUNT`…).
 */
export type RaiseMaxOutcome =
  | { ok: true; key: string; max_amount_cents: number; raised: MaxRaisedPayload; bid?: undefined }
  | { ok: true; key: string; max_amount_cents: number; bid: BidPlacedPayload; raised?: undefined }
  | { ok: false; key: string; error: BidErrorPayload };

/**
 * The tighter heartbeat of an auction's final minute: the client pings every `intervalMs` and declares
 * the socket dead when nothing (no `pong`, no event) was heard for `timeoutMs`, instead of waiting out the
 * server's 30 s ping interval.
 */
export interface HeartbeatOptions {
  /** How long before `ends_at` (server time) the tighter heartbeat starts. */
  windowMs: number;
  intervalMs: number;
  timeoutMs: number;
}

export const DEFAULT_HEARTBEAT: HeartbeatOptions = { windowMs: 60_000, intervalMs: 1_000, timeoutMs: 3_000 };

/** How an intent was answered (internal: bid() and raiseMax() turn it into their outcome). */
type Settlement =
  | { kind: 'placed'; p: BidPlacedPayload }
  | { kind: 'raised'; p: MaxRaisedPayload }
  | { kind: 'error'; p: BidErrorPayload };

export interface AuctionSocketOptions {
  /** Full socket URL. Default: from `baseUrl`, else from the page's location. */
  url?: string;
  /** The host's origin, e.g. `https://auctions.example.com` (needed outside browsers). */
  baseUrl?: string;
  /** WebSocket implementation for runtimes without a global one (Node 20: `import { WebSocket } from 'ws'`). */
  WebSocket?: WebSocketConstructor;
  /** Lowest-level hook: creates the socket (tests). Wins over `WebSocket`. */
  createSocket?: (url: string) => WsLike;
  backoff?: BackoffOptions;
  random?: () => number;
  clock?: ClockOffset;
  intents?: BidIntents;
  /** Gap fill over REST. Default: `GET {baseUrl}/api/auctions/{id}/events` when a base URL or page location is known. */
  api?: EventSource;
  /** Start after this seq (e.g. saved from an earlier session; 0 = the whole history) instead of the snapshot. */
  resumeFrom?: number;
  /** `online`/`offline` events; default `window` in browsers; `null` to ignore. */
  network?: NetworkEvents | null;
  /** Close and reconnect when nothing was heard for this long (the server pings every 30 s). */
  idleTimeoutMs?: number;
  /** Final-minute heartbeat (ping every second, dead after ~3 s of silence); `null` turns it off. */
  heartbeat?: HeartbeatOptions | null;
  /** A connection that is not authenticated within this time is abandoned and retried. */
  connectTimeoutMs?: number;
  /** How long a gap may stay open before asking again (resume, then REST). */
  gapTimeoutMs?: number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
}

/** `ws(s)://host/ws/auctions/{id}` from a base URL (`http(s)://host[:port][/prefix]`) or a page location. */
export function socketUrl(auctionId: string, base: string | Pick<Location, 'protocol' | 'host'> = location): string {
  const path = `/ws/auctions/${encodeURIComponent(auctionId)}`;
  if (typeof base === 'string') {
    const u = new URL(base);
    const scheme = u.protocol === 'https:' || u.protocol === 'wss:' ? 'wss' : 'ws';
    return `${scheme}://${u.host}${u.pathname.replace(/\/$/, '')}${path}`;
  }
  const scheme = base.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${base.host}${path}`;
}

/** Default gap fill: the REST events endpoint, with plain fetch (no generated client needed here). */
export function restEventSource(baseUrl: string, fetchImpl: typeof fetch = (...a) => fetch(...a)): EventSource {
  const base = baseUrl.replace(/\/$/, '');
  return {
    async events(auctionId, afterSeq, limit = 500) {
      const res = await fetchImpl(
        `${base}/api/auctions/${encodeURIComponent(auctionId)}/events?after_seq=${afterSeq}&limit=${limit}`,
        { headers: { Accept: 'application/json' } },
      );
      if (!res.ok) throw new Error(`GET events → ${res.status}`);
      return normalizeEvents(await res.json());
    },
  };
}

/** REST events are `{type, payload}` like socket messages; a flattened `{type, …payload}` is accepted too. */
export function normalizeEvents(raw: unknown): DurableEvent[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((e: { type: string; payload?: unknown }) =>
    (e.payload && typeof e.payload === 'object' ? e : { type: e.type, payload: e }) as DurableEvent,
  );
}

const OPEN = 1;

function defaultNetwork(): NetworkEvents | null {
  const w = (globalThis as { window?: NetworkEvents }).window;
  return w && typeof w.addEventListener === 'function' ? w : null;
}

function pageOrigin(): string | undefined {
  const loc = (globalThis as { location?: Location }).location;
  return loc?.origin && loc.origin !== 'null' ? loc.origin : undefined;
}

/**
 * Native WebSocket client of one auction room: `auth` first (with `last_seq` when resuming),
 * `pong` to every `ping`, exponential back-off with jitter on every drop (at once when the browser
 * comes back online), exactly-once in-order delivery of durable events (EventSequencer), `resume`
 * on a gap and REST gap fill when that does not help, bids with an idempotency key that is reused
 * for every resend of the same bid after a reconnect, and the server clock offset (ClockOffset).
 */
export class AuctionSocket {
  readonly clock: ClockOffset;
  readonly sequencer = new EventSequencer();
  readonly intents: BidIntents;
  private ws: WsLike | null = null;
  private authed = false;
  private hadSnapshot = false;
  private stopped = true;
  private attempt = 0;
  private _state: ConnectionState = 'closed';
  private version: number | undefined;
  private retryTimer: unknown;
  private idleTimer: unknown;
  private gapTimer: unknown;
  private heartbeatTimer: unknown;
  /** The heartbeat is waiting for the final minute (not pinging yet). */
  private heartbeatSleeping = false;
  /** Checks that our oldest unanswered ping is answered within the heartbeat timeout. */
  private deadlineTimer: unknown;
  /** When the oldest ping sent since we last heard anything went out (epoch ms); null when none is owed. */
  private unansweredSince: number | null = null;
  private nonce = 0;
  /** The auction's end (epoch ms, server clock) and whether bids are still possible: drive the heartbeat. */
  private endsAt: number | null = null;
  private biddable = false;
  private gapTries = 0;
  private resumeSentFor = -1;
  /** resumeFrom was given: the first snapshot is a resume, not a fresh start. */
  private resumingFirst = false;
  private readonly waiters = new Map<string, (s: Settlement) => void>();
  private readonly on: AuctionSocketHandlers;
  private readonly o: Required<Omit<AuctionSocketOptions, 'api' | 'url' | 'baseUrl' | 'WebSocket' | 'resumeFrom' | 'network'>> &
    Pick<AuctionSocketOptions, 'api' | 'url' | 'baseUrl' | 'network'>;
  private readonly network: NetworkEvents | null;
  private readonly onOnline = () => this.reconnectNow();
  private readonly onOffline = () => this.goOffline();

  constructor(
    private readonly auctionId: string,
    private identity: Identity,
    handlers: AuctionSocketHandlers = {},
    options: AuctionSocketOptions = {},
  ) {
    this.on = handlers;
    const Ws = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    const base = options.baseUrl ?? pageOrigin();
    this.o = {
      createSocket: (url) => {
        if (!Ws) throw new Error('No WebSocket implementation: pass options.WebSocket (e.g. from the "ws" package).');
        return new Ws(url) as WsLike;
      },
      backoff: DEFAULT_BACKOFF,
      random: Math.random,
      clock: new ClockOffset(),
      intents: new BidIntents(),
      idleTimeoutMs: 70_000,
      connectTimeoutMs: 10_000,
      gapTimeoutMs: 1_500,
      heartbeat: DEFAULT_HEARTBEAT,
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (id) => globalThis.clearTimeout(id as number),
      ...options,
      api: options.api ?? (base ? restEventSource(base) : undefined),
      url: options.url ?? (options.baseUrl ? socketUrl(auctionId, options.baseUrl) : undefined),
    };
    this.network = options.network === undefined ? defaultNetwork() : options.network;
    this.clock = this.o.clock;
    this.intents = this.o.intents;
    if (options.resumeFrom !== undefined) {
      // Resume from a known seq: the first snapshot is treated as a reconnect (events after it are replayed).
      this.sequencer.reset(options.resumeFrom);
      this.hadSnapshot = true;
      this.resumingFirst = true;
    }
  }

  get state(): ConnectionState {
    return this._state;
  }

  /** The seq of the last durable event delivered (save it to resume later with `resumeFrom`). */
  get lastSeq(): number {
    return this.sequencer.lastSeq;
  }

  /** The server's current time (epoch ms), corrected by the measured clock offset. */
  serverNow(): number {
    return this.clock.serverNow();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.network?.addEventListener('online', this.onOnline);
    this.network?.addEventListener('offline', this.onOffline);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.network?.removeEventListener('online', this.onOnline);
    this.network?.removeEventListener('offline', this.onOffline);
    const ws = this.ws;
    this.ws = null;
    this.authed = false;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
      try {
        ws.close(1000, 'bye');
      } catch {
        /* already closed */
      }
    }
    this.setState('closed');
  }

  /** Drops the current connection as if the network failed (reconnects with back-off). For tests/diagnostics. */
  drop(): void {
    try {
      this.ws?.close(4000, 'dropped by client');
    } catch {
      /* ignore */
    }
  }

  /** Reconnect now (e.g. the browser went back online) instead of waiting out the back-off. */
  reconnectNow(): void {
    if (this.stopped || this.authed) return;
    this.o.clearTimeout(this.retryTimer);
    if (this.ws) this.abandon(this.ws); // an attempt made while offline may hang: start afresh
    this.connect();
  }

  /** The browser says the network is gone: say so at once, forget the (dead) socket, keep retrying. */
  private goOffline(): void {
    if (this.stopped) return;
    this.clearTimers();
    if (this.ws) this.abandon(this.ws);
    this.authed = false;
    const delay = backoffDelay(this.attempt, this.o.backoff, this.o.random);
    this.attempt += 1;
    this.setState('offline', delay);
    this.retryTimer = this.o.setTimeout(() => this.connect(), delay);
  }

  /** Forgets a socket without waiting for its close event (which may never come). */
  private abandon(ws: WsLike): void {
    ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
    if (this.ws === ws) this.ws = null;
    this.resumeSentFor = -1;
    try {
      ws.close(4001, 'abandoned');
    } catch {
      /* not open yet */
    }
  }

  /**
   * Places a bid, or queues it until the connection is authenticated. Returns its idempotency key:
   * the same amount and maximum while still unanswered returns the same key (a double click is one
   * bid), and every resend after a reconnect reuses it, so the server places it exactly once.
   */
  placeBid(amount_cents: number, max_amount_cents?: number): string {
    const intent = this.intents.create(amount_cents, max_amount_cents);
    this.on.pending?.(this.intents.size);
    if (intent.sends === 0 && this.authed) this.sendBid(intent);
    return intent.key;
  }

  /**
   * Like placeBid, resolving with the server's answer for this bid (whatever reconnects happen
   * meanwhile). It stays pending while the client is stopped: the bid is still queued for `start()`.
   */
  bid(amount_cents: number, max_amount_cents?: number): Promise<BidOutcome> {
    const key = this.placeBid(amount_cents, max_amount_cents);
    return new Promise((resolve) =>
      this.wait(key, (s) => {
        if (s.kind === 'error') resolve({ ok: false, key, error: s.p });
        else if (s.kind === 'placed') resolve({ ok: true, key, bid: s.p });
      }),
    );
  }

  /**
   * The leader raises their own maximum (automatic bid) without bidding against themselves: the price does
   * not move. Same exactly-once rules as `bid()`: one idempotency key per unanswered raise (the same amount
   * again while unanswered is the same raise), resent with that key after every reconnect, queued while
   * disconnected, resolved once with the server's answer.
   */
  raiseMax(max_amount_cents: number): Promise<RaiseMaxOutcome> {
    const intent = this.intents.create(max_amount_cents, max_amount_cents, 'raise_max');
    this.on.pending?.(this.intents.size);
    if (intent.sends === 0 && this.authed) this.sendBid(intent);
    const key = intent.key;
    return new Promise((resolve) =>
      this.wait(key, (s) => {
        if (s.kind === 'error') resolve({ ok: false, key, error: s.p });
        else if (s.kind === 'raised') resolve({ ok: true, key, max_amount_cents, raised: s.p });
        else resolve({ ok: true, key, max_amount_cents, bid: s.p });
      }),
    );
  }

  private wait(key: string, fn: (s: Settlement) => void): void {
    const prev = this.waiters.get(key);
    this.waiters.set(key, (s) => {
      prev?.(s);
      fn(s);
    });
  }

  private sendBid(intent: BidIntent): void {
    // Counted as sent only when it really went out: a bid queued while offline is sent after auth_ok.
    if (this.ws && this.ws.readyState === OPEN) this.send(this.intents.message(intent, this.version));
  }

  private settle(key: string | null | undefined, s: Settlement): boolean {
    if (!this.intents.settle(key) || !key) return false;
    this.on.pending?.(this.intents.size);
    const w = this.waiters.get(key);
    if (w) {
      this.waiters.delete(key);
      w(s);
    }
    return true;
  }

  private setState(s: ConnectionState, retryInMs?: number): void {
    this._state = s;
    this.on.state?.(s, this.attempt, retryInMs);
  }

  private clearTimers(): void {
    this.o.clearTimeout(this.retryTimer);
    this.o.clearTimeout(this.idleTimer);
    this.o.clearTimeout(this.gapTimer);
    this.o.clearTimeout(this.heartbeatTimer);
    this.o.clearTimeout(this.deadlineTimer);
    this.unansweredSince = null;
  }

  private isOffline(): boolean {
    const nav = (globalThis as { navigator?: { onLine?: boolean } }).navigator;
    return nav?.onLine === false;
  }

  private connect(): void {
    this.authed = false;
    this.setState(this.isOffline() ? 'offline' : this.hadSnapshot ? 'reconnecting' : 'connecting');
    let ws: WsLike;
    try {
      ws = this.o.createSocket(this.o.url ?? socketUrl(this.auctionId));
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    // Not authenticated in time (a hung handshake, a server that never answers auth): retry.
    this.o.clearTimeout(this.idleTimer);
    this.idleTimer = this.o.setTimeout(() => {
      if (this.ws !== ws || this.authed) return;
      this.abandon(ws);
      this.o.clearTimeout(this.gapTimer);
      this.scheduleReconnect();
    }, this.o.connectTimeoutMs);
    ws.onopen = () => {
      const id = this.identity;
      const payload: AuthPayload = {};
      if (id.username) payload.username = id.username;
      if (id.display_name) payload.display_name = id.display_name;
      if (id.token) payload.token = id.token;
      if (id.password && !id.token) payload.password = id.password;
      // First connection: start from the snapshot; afterwards (or with resumeFrom): replay after lastSeq.
      if (this.hadSnapshot) payload.last_seq = this.sequencer.lastSeq;
      this.send({ type: 'auth', payload });
      this.touch();
    };
    ws.onmessage = (ev) => {
      this.unansweredSince = null; // anything heard answers our pings
      let msg: ServerMessage | undefined;
      try {
        msg = JSON.parse(typeof ev.data === 'string' ? ev.data : String(ev.data)) as ServerMessage;
      } catch {
        /* still proof of life */
      }
      if (msg && typeof msg.type === 'string') this.handle(msg);
      // After handling: the message may have moved the auction's end or closed it (the deadline follows).
      if (this.ws === ws) this.touch();
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.resumeSentFor = -1;
      this.ws = null;
      this.authed = false;
      this.o.clearTimeout(this.idleTimer);
      this.o.clearTimeout(this.gapTimer);
      this.o.clearTimeout(this.heartbeatTimer);
      this.o.clearTimeout(this.deadlineTimer);
      if (this.stopped) return;
      this.scheduleReconnect();
    };
    ws.onerror = () => {
      /* onclose follows */
    };
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt, this.o.backoff, this.o.random);
    this.attempt += 1;
    this.setState(this.isOffline() ? 'offline' : 'reconnecting', delay);
    this.o.clearTimeout(this.retryTimer);
    this.retryTimer = this.o.setTimeout(() => this.connect(), delay);
  }

  private touch(): void {
    if (!this.authed) return; // the connect timeout runs until auth_ok
    this.o.clearTimeout(this.idleTimer);
    this.idleTimer = this.o.setTimeout(() => this.drop(), this.o.idleTimeoutMs);
  }

  /** True from `windowMs` before the end (server time) while the auction still takes bids. */
  private inFinalMinute(): boolean {
    const hb = this.o.heartbeat;
    if (!hb || this.endsAt === null || !this.biddable) return false;
    const left = this.endsAt - this.clock.serverNow();
    // Past the end the close is due any moment: keep watching a while for auction_closed.
    return left <= hb.windowMs && left > -hb.windowMs;
  }

  /** Final minute: ping every interval; before it, sleep until it begins. */
  private scheduleHeartbeat(): void {
    this.o.clearTimeout(this.heartbeatTimer);
    this.heartbeatSleeping = false;
    const hb = this.o.heartbeat;
    if (!hb || !this.authed || this.stopped || this.endsAt === null || !this.biddable) return;
    const left = this.endsAt - this.clock.serverNow();
    if (left > hb.windowMs) {
      this.heartbeatSleeping = true;
      // setTimeout overflows past 2^31−1 ms: a far end is reached in several sleeps.
      this.heartbeatTimer = this.o.setTimeout(() => this.scheduleHeartbeat(), Math.min(left - hb.windowMs, 2 ** 31 - 1));
      return;
    }
    if (left <= -hb.windowMs) return;
    this.send({ type: 'ping', payload: { nonce: `h${++this.nonce}` } });
    if (this.unansweredSince === null && this.ws) {
      this.unansweredSince = Date.now();
      this.armDeadline(this.ws, hb.timeoutMs);
    }
    this.heartbeatTimer = this.o.setTimeout(() => this.scheduleHeartbeat(), hb.intervalMs);
  }

  /** The auction's end or state changed: start, move or stop the heartbeat. */
  private track(endsAt: string | undefined, biddable?: boolean): void {
    const t = endsAt ? Date.parse(endsAt) : NaN;
    const changed = (!Number.isNaN(t) && t !== this.endsAt) || (biddable !== undefined && biddable !== this.biddable);
    if (!Number.isNaN(t)) this.endsAt = t;
    if (biddable !== undefined) this.biddable = biddable;
    if (!changed) return;
    if (!this.biddable) this.o.clearTimeout(this.heartbeatTimer);
    // Already pinging: the next tick re-reads the end; asleep: wake at the new window.
    else if (this.heartbeatSleeping || !this.inFinalMinute()) this.scheduleHeartbeat();
  }

  /**
   * Dead when the oldest unanswered ping is `timeoutMs` old. Measured on the wall clock, not by counting
   * timers: a throttled background tab fires timers late, and lateness alone must not kill a live socket.
   */
  private armDeadline(ws: WsLike, ms: number): void {
    this.o.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = this.o.setTimeout(() => {
      if (this.ws !== ws || this.unansweredSince === null) return; // heard meanwhile: the next ping re-arms
      const owed = Date.now() - this.unansweredSince;
      const timeout = this.o.heartbeat?.timeoutMs ?? 0;
      if (owed >= timeout) this.declareDead(ws);
      else this.armDeadline(ws, timeout - owed);
    }, ms);
  }

  /** No answer to a ping within the final-minute timeout: forget the socket and reconnect as after a drop. */
  private declareDead(ws: WsLike): void {
    if (this.ws !== ws || this.stopped) return;
    this.abandon(ws);
    this.authed = false;
    this.clearTimers();
    this.scheduleReconnect();
  }

  private send(msg: ClientMessage): boolean {
    if (!this.ws || this.ws.readyState !== OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  private handle(msg: ServerMessage): void {
    if (isDurable(msg)) {
      this.deliver(msg);
      return;
    }
    switch (msg.type) {
      case 'ping':
        this.clock.sample(msg.payload?.server_time);
        this.send({ type: 'pong' });
        return;
      case 'pong':
        // The answer to our own heartbeat ping (being heard is what counts; touch() follows).
        this.clock.sample(msg.payload?.server_time);
        return;
      case 'auth_ok': {
        const p = msg.payload;
        this.clock.sample(p.server_time ?? p.auction?.server_time);
        const resumed = this.hadSnapshot && !this.resumingFirst;
        if (!this.hadSnapshot) this.sequencer.reset(p.auction.version);
        else this.sequencer.expect(p.auction.version);
        this.resumingFirst = false;
        this.version = Math.max(this.version ?? 0, p.auction.version);
        this.hadSnapshot = true;
        this.authed = true;
        this.attempt = 0;
        this.touch();
        if (p.token && p.token !== this.identity.token) {
          this.identity = { ...this.identity, token: p.token };
          this.on.token?.(p.token);
        }
        this.on.snapshot?.(p, resumed);
        this.setState('open');
        const end = Date.parse(p.auction.ends_at);
        this.endsAt = Number.isNaN(end) ? null : end;
        this.biddable = p.auction.status === 'open' || p.auction.status === 'scheduled';
        this.scheduleHeartbeat();
        // Bids that never got an answer are (re)sent with their original idempotency key.
        for (const intent of this.intents.all()) this.sendBid(intent);
        this.checkGap();
        return;
      }
      case 'auth_error':
        this.stop();
        this.on.authError?.(msg.payload.code, msg.payload.error);
        return;
      case 'bid_error': {
        const p = msg.payload;
        const mine = this.settle(p.idempotency_key, { kind: 'error', p }) || !p.idempotency_key;
        this.on.bidError?.(p, mine);
        return;
      }
      default:
        this.on.message?.(msg);
    }
  }

  /** A `bid_placed` or `max_raised` carrying one of our keys answers that intent. */
  private settleEvent(e: DurableEvent): boolean {
    if (e.type === 'bid_placed') return this.settle(e.payload.idempotency_key, { kind: 'placed', p: e.payload });
    if (e.type === 'max_raised') return this.settle(e.payload.idempotency_key, { kind: 'raised', p: e.payload });
    return false;
  }

  private deliver(msg: DurableEvent): void {
    const r = this.sequencer.push(msg);
    if (r.kind === 'duplicate') {
      // A retried key is answered with the first outcome's event, even if that seq was delivered already.
      this.settleEvent(msg);
      return;
    }
    if (r.kind === 'gap') {
      // A live event skipped some seqs: ask for the missing ones at once (once per lastSeq).
      if (this.resumeSentFor !== r.lastSeq) {
        this.resumeSentFor = r.lastSeq;
        this.send({ type: 'resume', payload: { last_seq: r.lastSeq } });
      }
      this.checkGap();
      return;
    }
    for (const e of r.events) {
      if (e.type === 'bid_placed') this.version = Math.max(this.version ?? 0, e.payload.new_version ?? e.payload.seq);
      else this.version = Math.max(this.version ?? 0, e.payload.seq);
      const mine = this.settleEvent(e);
      if (e.type === 'bid_placed' || e.type === 'auction_extended') this.track(e.payload.ends_at);
      else if (e.type === 'auction_closed' || e.type === 'auction_cancelled') this.track(undefined, false);
      this.on.event?.(e, mine);
    }
    if (!this.sequencer.hasGap) {
      this.gapTries = 0;
      this.o.clearTimeout(this.gapTimer);
    }
  }

  /** While events are missing: wait a moment (the replay may be in flight), then `resume`, then REST. */
  private checkGap(): void {
    if (!this.sequencer.hasGap) {
      this.gapTries = 0;
      return;
    }
    this.o.clearTimeout(this.gapTimer);
    this.gapTimer = this.o.setTimeout(() => this.onGapTimeout(), this.o.gapTimeoutMs);
  }

  private onGapTimeout(): void {
    if (!this.sequencer.hasGap || this.stopped) return;
    this.gapTries += 1;
    if (this.gapTries <= 2 || !this.o.api) {
      this.send({ type: 'resume', payload: { last_seq: this.sequencer.lastSeq } });
    } else {
      this.o.api
        .events(this.auctionId, this.sequencer.lastSeq)
        .then((events) => events.forEach((e) => this.deliver(e)))
        .catch(() => undefined);
    }
    this.checkGap();
  }
}

import { BidIntents } from '../application/bidIntents';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from '../application/backoff';
import { ClockOffset } from '../application/clock';
import { EventSequencer } from '../application/sequencer';
import type { AuctionApi } from '../domain/ports';
import type {
  AuthOkPayload,
  BidErrorPayload,
  ClientMessage,
  ConnectionState,
  DurableEvent,
  ServerMessage,
} from '../domain/types';
import { isDurable } from '../domain/types';

/** What the room hears from the socket, already deduplicated and in seq order. */
export interface SocketEvents {
  snapshot(p: AuthOkPayload, resumed: boolean): void;
  event(e: DurableEvent, mine: boolean): void;
  bidError(p: BidErrorPayload, mine: boolean): void;
  message(m: ServerMessage): void; // outbid, presence, error…
  state(s: ConnectionState, attempt: number, retryInMs?: number): void;
  pending(count: number): void;
  authError(code: string, error: string): void;
  token?(token: string): void;
}

export interface Identity {
  username: string;
  display_name: string;
  token?: string;
}

export interface WsLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
}

export interface SocketOptions {
  url?: string;
  createSocket?: (url: string) => WsLike;
  backoff?: BackoffOptions;
  random?: () => number;
  clock?: ClockOffset;
  intents?: BidIntents;
  api?: Pick<AuctionApi, 'events'>;
  /** Close and reconnect when nothing was heard for this long (server pings every 30 s). */
  idleTimeoutMs?: number;
  /** A connection that is not authenticated within this time is abandoned and retried. */
  connectTimeoutMs?: number;
  /** How long a gap may stay open before asking again (resume, then REST). */
  gapTimeoutMs?: number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
}

export function socketUrl(auctionId: string, loc: Pick<Location, 'protocol' | 'host'> = location): string {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${loc.host}/ws/auctions/${encodeURIComponent(auctionId)}`;
}

const OPEN = 1;

/**
 * Native WebSocket client of one auction room: `auth` first (with `last_seq` when resuming),
 * `pong` to every `ping`, exponential backoff with jitter on every drop, exactly-once in-order
 * delivery of durable events (EventSequencer), `resume` on a gap, bids with an idempotency key
 * that is reused when the same bid is resent after a reconnect.
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
  private gapTries = 0;
  private resumeSentFor = -1;
  private readonly o: Required<Omit<SocketOptions, 'api' | 'url'>> & Pick<SocketOptions, 'api' | 'url'>;

  constructor(
    private readonly auctionId: string,
    private identity: Identity,
    private readonly on: SocketEvents,
    options: SocketOptions = {},
  ) {
    this.o = {
      createSocket: (url) => new WebSocket(url) as unknown as WsLike,
      backoff: DEFAULT_BACKOFF,
      random: Math.random,
      clock: new ClockOffset(),
      intents: new BidIntents(),
      idleTimeoutMs: 70_000,
      connectTimeoutMs: 10_000,
      gapTimeoutMs: 1_500,
      setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
      clearTimeout: (id) => globalThis.clearTimeout(id as number),
      ...options,
    };
    this.clock = this.o.clock;
    this.intents = this.o.intents;
  }

  get state(): ConnectionState {
    return this._state;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const ws = this.ws;
    this.ws = null;
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

  /** Drops the current connection as if the network failed (reconnects with backoff). For tests/diagnostics. */
  drop(): void {
    try {
      this.ws?.close(4000, 'dropped by client');
    } catch {
      /* ignore */
    }
  }

  /** Reconnect now (e.g. the browser went back online) instead of waiting out the backoff. */
  reconnectNow(): void {
    if (this.stopped || this.authed) return;
    this.o.clearTimeout(this.retryTimer);
    if (this.ws) this.abandon(this.ws); // an attempt made while offline may hang: start afresh
    this.connect();
  }

  /** Forgets a socket without waiting for its close event (which may never come). */
  private abandon(ws: WsLike): void {
    ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
    if (this.ws === ws) this.ws = null;
    try {
      ws.close(4001, 'abandoned');
    } catch {
      /* not open yet */
    }
  }

  /** Places (or re-sends) a bid. Returns its idempotency key. */
  placeBid(amount_cents: number, max_amount_cents?: number): string {
    const intent = this.intents.create(amount_cents, max_amount_cents);
    this.on.pending(this.intents.size);
    if (intent.sends === 0 && this.authed) this.send({ type: 'bid', payload: this.intents.command(intent, this.version) });
    return intent.key;
  }

  private setState(s: ConnectionState, retryInMs?: number): void {
    this._state = s;
    this.on.state(s, this.attempt, retryInMs);
  }

  private clearTimers(): void {
    this.o.clearTimeout(this.retryTimer);
    this.o.clearTimeout(this.idleTimer);
    this.o.clearTimeout(this.gapTimer);
  }

  private connect(): void {
    this.authed = false;
    this.setState(this.hadSnapshot ? 'reconnecting' : 'connecting');
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
      this.send({
        type: 'auth',
        payload: {
          username: this.identity.username,
          display_name: this.identity.display_name,
          ...(this.identity.token ? { token: this.identity.token } : {}),
          last_seq: this.sequencer.lastSeq,
        },
      });
      this.touch();
    };
    ws.onmessage = (ev) => {
      this.touch();
      let msg: ServerMessage;
      try {
        msg = JSON.parse(typeof ev.data === 'string' ? ev.data : '') as ServerMessage;
      } catch {
        return;
      }
      if (msg && typeof msg.type === 'string') this.handle(msg);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.resumeSentFor = -1;
      this.ws = null;
      this.authed = false;
      this.o.clearTimeout(this.idleTimer);
      this.o.clearTimeout(this.gapTimer);
      if (this.stopped) return;
      if (ev.code === 1008 && !this.hadSnapshot && this._state === 'closed') return; // auth refused
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
    const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
    this.setState(offline ? 'offline' : 'reconnecting', delay);
    this.retryTimer = this.o.setTimeout(() => this.connect(), delay);
  }

  private touch(): void {
    if (!this.authed) return; // the connect timeout runs until auth_ok
    this.o.clearTimeout(this.idleTimer);
    this.idleTimer = this.o.setTimeout(() => this.drop(), this.o.idleTimeoutMs);
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
      case 'auth_ok': {
        const p = msg.payload;
        this.clock.sample(p.server_time ?? p.auction?.server_time);
        const resumed = this.hadSnapshot;
        if (!resumed) this.sequencer.reset(p.auction.version);
        else this.sequencer.expect(p.auction.version);
        this.version = Math.max(this.version ?? 0, p.auction.version);
        this.hadSnapshot = true;
        this.authed = true;
        this.attempt = 0;
        this.touch();
        if (p.token && p.token !== this.identity.token) {
          this.identity = { ...this.identity, token: p.token };
          this.on.token?.(p.token);
        }
        this.on.snapshot(p, resumed);
        this.setState('open');
        // Bids that never got an answer are re-sent with their original idempotency key.
        for (const intent of this.intents.all()) {
          this.send({ type: 'bid', payload: this.intents.command(intent, this.version) });
        }
        this.checkGap();
        return;
      }
      case 'auth_error':
        this.stopped = true;
        this.clearTimers();
        this.setState('closed');
        this.on.authError(msg.payload.code, msg.payload.error);
        try {
          this.ws?.close(1000);
        } catch {
          /* ignore */
        }
        return;
      case 'bid_error': {
        const mine = !!this.intents.settle(msg.payload.idempotency_key) || !msg.payload.idempotency_key;
        this.on.pending(this.intents.size);
        this.on.bidError(msg.payload, mine);
        return;
      }
      default:
        this.on.message(msg);
    }
  }

  private deliver(msg: DurableEvent): void {
    const r = this.sequencer.push(msg);
    if (r.kind === 'duplicate') {
      // A replayed copy of our own bid still settles its intent.
      if (msg.type === 'bid_placed' && this.intents.settle(msg.payload.idempotency_key)) this.on.pending(this.intents.size);
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
      const mine = e.type === 'bid_placed' && !!this.intents.settle(e.payload.idempotency_key);
      if (mine) this.on.pending(this.intents.size);
      this.on.event(e, mine);
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

import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions, type ConnectionState } from '@remate-live/client';
import { isSaleEvent, type SaleAuthOk, type SaleBidError, type SaleBidOk, type SaleEvent } from '../domain/sale';

/** What the sale socket reports; events arrive exactly once and in `seq` order. */
export interface SaleSocketHandlers {
  snapshot(payload: SaleAuthOk): void;
  event(event: SaleEvent): void;
  bidOk(payload: SaleBidOk): void;
  bidError(payload: SaleBidError): void;
  error(code: string, message: string): void;
  authError(code: string, message: string): void;
  state(state: ConnectionState, attempt: number, retryInMs?: number): void;
}

/** The part of the browser's WebSocket this module uses (so tests can pass a fake). */
export interface SaleWsLike {
  readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface SaleSocketOptions {
  /** The bearer token the socket authenticates with (read at every connect). */
  token(): string | undefined;
  createSocket?: (url: string) => SaleWsLike;
  backoff?: BackoffOptions;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /**
   * Silence after which the connection is taken for dead and replaced (the server pings every 30 s by
   * default; a dead network path may never deliver a close). Default 70 s.
   */
  staleMs?: number;
}

const OPEN = 1;

/** `ws(s)://host/ws/sales/{id}` for the page's own origin. */
export function saleSocketUrl(saleId: string, base: Pick<Location, 'protocol' | 'host'> = location): string {
  return `${base.protocol === 'https:' ? 'wss' : 'ws'}://${base.host}/ws/sales/${encodeURIComponent(saleId)}`;
}

/**
 * One live sale over `/ws/sales/{id}`: authenticates with the session's token, delivers the sale's events
 * exactly once and in order (a gap sends `resume {last_seq}`; a reconnect authenticates with `last_seq`
 * so nothing is missed), answers the server's pings and reconnects with exponential back-off.
 * (`@remate-live/client`'s AuctionSocket speaks the auction socket only.)
 */
export class SaleSocket {
  private ws: SaleWsLike | null = null;
  private attempt = 0;
  private stopped = true;
  private timer: unknown = null;
  private staleTimer: unknown = null;
  private resumeAsked = false;
  private _lastSeq = 0;
  private _state: ConnectionState = 'closed';
  private readonly createSocket: (url: string) => SaleWsLike;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(
    private readonly url: string,
    private readonly handlers: SaleSocketHandlers,
    private readonly options: SaleSocketOptions,
  ) {
    this.createSocket = options.createSocket ?? ((u) => new WebSocket(u) as unknown as SaleWsLike);
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  /** The seq of the last event delivered (0 before the first snapshot). */
  get lastSeq(): number {
    return this._lastSeq;
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
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.detach(1000, 'bye');
    this.setState('closed');
  }

  /** Drops the connection as a network failure would (it reconnects and resumes). For tests. */
  drop(): void {
    if (!this.ws || this.stopped) return;
    this.detach(4000, 'dropped');
    this.lost();
  }

  /** Closes the current socket without hearing from it again. */
  private detach(code: number, reason: string): void {
    if (this.staleTimer !== null) this.clearTimer(this.staleTimer);
    this.staleTimer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
      ws.close(code, reason);
    }
  }

  /** The connection is gone: wait, then connect again (and resume after lastSeq). */
  private lost(): void {
    const delay = backoffDelay(this.attempt, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random);
    this.attempt += 1;
    this.setState('reconnecting', delay);
    this.timer = this.setTimer(() => this.connect(), delay);
  }

  private heard(): void {
    if (this.staleTimer !== null) this.clearTimer(this.staleTimer);
    this.staleTimer = this.setTimer(() => {
      this.staleTimer = null;
      if (this.stopped || !this.ws) return;
      this.detach(4001, 'silent');
      this.lost();
    }, this.options.staleMs ?? 70_000);
  }

  /** A bid at the asking price the bidder saw; false when not connected (nothing was sent). */
  bid(lotId: string, amountCents: number): boolean {
    return this.send({ type: 'bid', payload: { lot_id: lotId, amount_cents: amountCents } });
  }

  private send(message: object): boolean {
    if (!this.ws || this.ws.readyState !== OPEN || this._state !== 'open') return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  private setState(state: ConnectionState, retryInMs?: number): void {
    this._state = state;
    this.handlers.state(state, this.attempt, retryInMs);
  }

  private connect(): void {
    this.timer = null;
    this.resumeAsked = false;
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const ws = this.createSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.heard();
      const payload: Record<string, unknown> = { token: this.options.token() };
      if (this._lastSeq > 0) payload.last_seq = this._lastSeq;
      ws.send(JSON.stringify({ type: 'auth', payload }));
    };
    ws.onmessage = (ev) => {
      this.heard();
      if (typeof ev.data === 'string') this.receive(ws, ev.data);
    };
    ws.onerror = () => undefined; // onclose follows
    ws.onclose = () => {
      if (this.ws !== ws || this.stopped) return;
      this.detach(1000, 'closed');
      this.lost();
    };
  }

  private receive(ws: SaleWsLike, text: string): void {
    let m: { type?: unknown; payload?: unknown };
    try {
      m = JSON.parse(text) as { type?: unknown; payload?: unknown };
    } catch {
      return;
    }
    if (typeof m.type !== 'string') return;
    const payload = (m.payload ?? {}) as Record<string, unknown>;
    switch (m.type) {
      case 'auth_ok': {
        const ok = payload as unknown as SaleAuthOk;
        this.attempt = 0;
        // First connection: the snapshot is the state, the stream continues after its seq. On a reconnect
        // the server replays everything after our last_seq (older than the snapshot, for the log).
        if (this._lastSeq === 0) this._lastSeq = ok.sale.seq;
        this.handlers.snapshot(ok);
        this.setState('open');
        return;
      }
      case 'ping':
        ws.send(JSON.stringify({ type: 'pong' }));
        return;
      case 'bid_ok':
        this.handlers.bidOk(payload as unknown as SaleBidOk);
        return;
      case 'bid_error':
        this.handlers.bidError(payload as unknown as SaleBidError);
        return;
      case 'auth_error':
        this.handlers.authError(String(payload.code), String(payload.error));
        if (payload.code === 'NOT_AUTHENTICATED') this.stop(); // a revoked token will not get better
        return;
      case 'error':
        this.handlers.error(String(payload.code), String(payload.error));
        return;
    }
    const event = { type: m.type, payload } as { type: string; payload: unknown };
    if (!isSaleEvent(event)) return;
    const seq = event.payload.seq;
    if (seq <= this._lastSeq) return; // already delivered (a replay overlapping the live stream)
    if (seq !== this._lastSeq + 1) {
      // A gap: ask once for everything after the last delivered event; the replay brings this one too.
      if (!this.resumeAsked) {
        this.resumeAsked = true;
        ws.send(JSON.stringify({ type: 'resume', payload: { last_seq: this._lastSeq } }));
      }
      return;
    }
    this._lastSeq = seq;
    this.resumeAsked = false;
    this.handlers.event(event);
  }
}

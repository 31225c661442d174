import type { DurableEvent } from './types.js';

export type SequencerResult =
  | { kind: 'deliver'; events: DurableEvent[] }
  | { kind: 'duplicate' }
  | { kind: 'gap'; lastSeq: number; buffered: number };

/**
 * Delivers durable events (bid_placed, auction_extended, auction_closed, auction_cancelled) exactly
 * once and in `seq` order. An event at or below `lastSeq` is a duplicate (e.g. replayed after a
 * reconnect) and is dropped; an event past `lastSeq + 1` reveals a gap: it is held back and the
 * caller sends `resume {last_seq}`; when the missing events arrive, everything held is released in
 * order.
 */
export class EventSequencer {
  private held = new Map<number, DurableEvent>();
  private _lastSeq: number;
  /** Highest seq the server is known to have (from a snapshot's `version` or a held event). */
  private _knownSeq: number;

  constructor(lastSeq = 0) {
    this._lastSeq = lastSeq;
    this._knownSeq = lastSeq;
  }

  get lastSeq(): number {
    return this._lastSeq;
  }

  /** True while the client knows it is missing events. */
  get hasGap(): boolean {
    return this._knownSeq > this._lastSeq;
  }

  get knownSeq(): number {
    return this._knownSeq;
  }

  /** First connection: start from the snapshot's version (its recent_bids are the history). */
  reset(lastSeq: number): void {
    this._lastSeq = lastSeq;
    this._knownSeq = lastSeq;
    this.held.clear();
  }

  /** A snapshot says the server is at `version`; events up to it are expected (replay). */
  expect(version: number): void {
    if (version > this._knownSeq) this._knownSeq = version;
  }

  push(event: DurableEvent): SequencerResult {
    const seq = event.payload.seq;
    if (!Number.isInteger(seq) || seq <= this._lastSeq || this.held.has(seq)) return { kind: 'duplicate' };
    if (seq > this._knownSeq) this._knownSeq = seq;
    if (seq !== this._lastSeq + 1) {
      this.held.set(seq, event);
      return { kind: 'gap', lastSeq: this._lastSeq, buffered: this.held.size };
    }
    const events: DurableEvent[] = [event];
    this._lastSeq = seq;
    for (let next = this.held.get(seq + 1); next; next = this.held.get(this._lastSeq + 1)) {
      this.held.delete(this._lastSeq + 1);
      events.push(next);
      this._lastSeq += 1;
    }
    return { kind: 'deliver', events };
  }
}

import type { BidCommand, ClientMessage } from './types.js';

export interface BidIntent {
  key: string;
  /** `bid`, or `raise_max` (the leader raising their own maximum: `max_amount_cents` is the new maximum). */
  kind: 'bid' | 'raise_max';
  amount_cents: number;
  max_amount_cents?: number;
  /** Times it was sent (a resend after a reconnect reuses the same key). */
  sends: number;
  createdAt: number;
}

/**
 * Bids the user asked for that have no answer yet. Each gets one idempotency key (crypto.randomUUID)
 * that is reused for every resend of that same bid, so a bid retried after a dropped connection is
 * never placed twice. An intent ends when the server answers with `bid_placed` or `bid_error`
 * echoing its key.
 */
export class BidIntents {
  private pending = new Map<string, BidIntent>();

  constructor(
    private readonly newKey: () => string = () => crypto.randomUUID(),
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Registers a bid; the same amount+max while still pending returns the existing intent (same key). */
  create(amount_cents: number, max_amount_cents?: number, kind: BidIntent['kind'] = 'bid'): BidIntent {
    for (const intent of this.pending.values()) {
      if (intent.kind === kind && intent.amount_cents === amount_cents && intent.max_amount_cents === max_amount_cents) return intent;
    }
    const intent: BidIntent = { key: this.newKey(), kind, amount_cents, max_amount_cents, sends: 0, createdAt: this.now() };
    this.pending.set(intent.key, intent);
    return intent;
  }

  /** The socket payload for a (re)send; bumps the send counter. */
  command(intent: BidIntent, version: number | undefined): BidCommand {
    intent.sends += 1;
    const cmd: BidCommand = { amount_cents: intent.amount_cents, idempotency_key: intent.key };
    if (version !== undefined) cmd.version = version;
    if (intent.max_amount_cents !== undefined) cmd.max_amount_cents = intent.max_amount_cents;
    return cmd;
  }

  /** The socket message for a (re)send of any intent (`bid` or `raise_max`); bumps the send counter. */
  message(intent: BidIntent, version: number | undefined): ClientMessage {
    if (intent.kind === 'raise_max') {
      intent.sends += 1;
      return { type: 'raise_max', payload: { max_amount_cents: intent.max_amount_cents ?? intent.amount_cents, idempotency_key: intent.key } };
    }
    return { type: 'bid', payload: this.command(intent, version) };
  }

  /** Settles an intent; returns it when the key was ours. */
  settle(key: string | null | undefined): BidIntent | undefined {
    if (!key) return undefined;
    const intent = this.pending.get(key);
    if (intent) this.pending.delete(key);
    return intent;
  }

  has(key: string | null | undefined): boolean {
    return !!key && this.pending.has(key);
  }

  /** Pending intents, oldest first (resent in order after a reconnect). */
  all(): BidIntent[] {
    return [...this.pending.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  get size(): number {
    return this.pending.size;
  }

  clear(): void {
    this.pending.clear();
  }
}

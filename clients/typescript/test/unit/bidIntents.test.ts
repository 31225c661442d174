import { describe, expect, it } from 'vitest';
import { BidIntents } from '../../src/bidIntents';

describe('BidIntents', () => {
  const keys = () => {
    let n = 0;
    return () => `key-${++n}`;
  };

  it('gives each new bid its own key', () => {
    const b = new BidIntents(keys());
    expect(b.create(100).key).toBe('key-1');
    expect(b.create(200).key).toBe('key-2');
    expect(b.size).toBe(2);
  });

  it('reuses the key when the same bid is retried while unanswered', () => {
    const b = new BidIntents(keys());
    const first = b.create(100, 500);
    const again = b.create(100, 500);
    expect(again.key).toBe(first.key);
    expect(b.size).toBe(1);
    expect(b.command(first, 3)).toEqual({ amount_cents: 100, version: 3, idempotency_key: 'key-1', max_amount_cents: 500 });
    expect(b.command(first, 4).idempotency_key).toBe('key-1');
    expect(first.sends).toBe(2);
  });

  it('a different maximum is a different bid', () => {
    const b = new BidIntents(keys());
    expect(b.create(100, 500).key).not.toBe(b.create(100).key);
  });

  it('settles by key; after an answer the same amount gets a fresh key', () => {
    const b = new BidIntents(keys());
    const i = b.create(100);
    expect(b.settle('other')).toBeUndefined();
    expect(b.settle(i.key)).toBe(i);
    expect(b.size).toBe(0);
    expect(b.create(100).key).toBe('key-2');
  });

  it('lists pending bids oldest first', () => {
    let t = 0;
    const b = new BidIntents(keys(), () => ++t);
    b.create(300);
    b.create(100);
    expect(b.all().map((i) => i.amount_cents)).toEqual([300, 100]);
  });

  it('defaults to crypto.randomUUID keys', () => {
    const b = new BidIntents();
    expect(b.create(1).key).toMatch(/^[0-9a-f-]{36}$/);
  });
});

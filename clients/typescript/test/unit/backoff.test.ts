import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay, DEFAULT_BACKOFF } from '../../src/backoff';

describe('backoff', () => {
  it('doubles from the base up to the cap', () => {
    const o = { baseMs: 500, maxMs: 15_000, jitter: 0.5 };
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((a) => backoffCeiling(a, o))).toEqual([
      500, 1000, 2000, 4000, 8000, 15000, 15000, 15000,
    ]);
  });
  it('applies equal jitter: half fixed, half random', () => {
    const o = { baseMs: 1000, maxMs: 60_000, jitter: 0.5 };
    expect(backoffDelay(2, o, () => 0)).toBe(2000);
    expect(backoffDelay(2, o, () => 0.5)).toBe(3000);
    expect(backoffDelay(2, o, () => 0.999999)).toBe(4000);
  });
  it('stays within [ceiling×(1−jitter), ceiling] for random draws', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const c = backoffCeiling(attempt);
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(attempt);
        expect(d).toBeGreaterThanOrEqual(Math.floor(c * (1 - DEFAULT_BACKOFF.jitter)));
        expect(d).toBeLessThanOrEqual(c);
      }
    }
  });
  it('spreads clients apart (jitter actually varies)', () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelay(4)));
    expect(delays.size).toBeGreaterThan(5);
  });
});

import { describe, expect, it } from 'vitest';
import { ClockOffset } from '../../src/clock';

describe('ClockOffset', () => {
  it('is zero before any sample', () => {
    const c = new ClockOffset(10, () => 1_000_000);
    expect(c.offsetMs).toBe(0);
    expect(c.serverNow()).toBe(1_000_000);
  });

  it('corrects a local clock that is 5 minutes slow', () => {
    const serverNow = Date.parse('2026-11-28T12:00:00.000Z');
    const local = serverNow - 5 * 60_000; // user clock 5 minutes behind
    const c = new ClockOffset(10, () => local + 40);
    c.sample('2026-11-28T12:00:00.000Z', local + 40); // 40 ms latency
    expect(c.offsetMs).toBe(5 * 60_000 - 40);
    // The countdown to an end 2 minutes away reads ~2 minutes, not 7.
    expect(Math.round(c.msUntil('2026-11-28T12:02:00.000Z') / 1000)).toBe(120);
  });

  it('corrects a local clock that is ahead', () => {
    const c = new ClockOffset(10, () => 0);
    c.sample('2026-11-28T12:00:00.000Z', Date.parse('2026-11-28T12:03:00.000Z'));
    expect(c.offsetMs).toBe(-180_000);
  });

  it('keeps the sample with the least latency (the largest)', () => {
    const c = new ClockOffset(10, () => 0);
    const base = Date.parse('2026-11-28T12:00:00.000Z');
    c.sample(new Date(base).toISOString(), base + 300); // slow delivery
    c.sample(new Date(base + 1000).toISOString(), base + 1000 + 20); // fast one
    c.sample(new Date(base + 2000).toISOString(), base + 2000 + 150);
    expect(c.offsetMs).toBe(-20);
  });

  it('forgets old samples after the window (follows a local clock change)', () => {
    const c = new ClockOffset(3, () => 0);
    c.sample(new Date(10_000).toISOString(), 0); // +10 s
    for (let i = 1; i <= 3; i++) c.sample(new Date(i * 1000).toISOString(), i * 1000); // ±0
    expect(c.offsetMs).toBe(0);
  });

  it('ignores missing or unparsable server times', () => {
    const c = new ClockOffset(10, () => 0);
    c.sample(undefined);
    c.sample('not a date');
    expect(c.offsetMs).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { bidPlaced } from '../fixtures';
import { EventSequencer } from '../../src/sequencer';

const seqs = (r: ReturnType<EventSequencer['push']>) => (r.kind === 'deliver' ? r.events.map((e) => e.payload.seq) : r.kind);

describe('EventSequencer', () => {
  it('delivers consecutive events', () => {
    const s = new EventSequencer(0);
    expect(seqs(s.push(bidPlaced(1, 100)))).toEqual([1]);
    expect(seqs(s.push(bidPlaced(2, 200)))).toEqual([2]);
    expect(s.lastSeq).toBe(2);
    expect(s.hasGap).toBe(false);
  });

  it('drops duplicates (a replay after reconnect never doubles a bid)', () => {
    const s = new EventSequencer(5);
    expect(s.push(bidPlaced(5, 100)).kind).toBe('duplicate');
    expect(s.push(bidPlaced(3, 100)).kind).toBe('duplicate');
    expect(seqs(s.push(bidPlaced(6, 100)))).toEqual([6]);
    expect(s.push(bidPlaced(6, 100)).kind).toBe('duplicate');
  });

  it('detects a gap, holds later events and releases them in order once filled', () => {
    const s = new EventSequencer(3);
    const r = s.push(bidPlaced(6, 600));
    expect(r).toEqual({ kind: 'gap', lastSeq: 3, buffered: 1 });
    expect(s.hasGap).toBe(true);
    expect(s.push(bidPlaced(5, 500)).kind).toBe('gap');
    expect(s.push(bidPlaced(6, 600)).kind).toBe('duplicate'); // held already
    expect(seqs(s.push(bidPlaced(4, 400)))).toEqual([4, 5, 6]);
    expect(s.lastSeq).toBe(6);
    expect(s.hasGap).toBe(false);
  });

  it('knows events are missing after a snapshot newer than lastSeq', () => {
    const s = new EventSequencer(4);
    s.expect(7);
    expect(s.hasGap).toBe(true);
    expect(seqs(s.push(bidPlaced(5, 1)))).toEqual([5]);
    expect(seqs(s.push(bidPlaced(6, 1)))).toEqual([6]);
    expect(s.hasGap).toBe(true);
    expect(seqs(s.push(bidPlaced(7, 1)))).toEqual([7]);
    expect(s.hasGap).toBe(false);
  });

  it('reset starts over from a snapshot version', () => {
    const s = new EventSequencer(0);
    s.push(bidPlaced(3, 1));
    s.reset(10);
    expect(s.lastSeq).toBe(10);
    expect(s.hasGap).toBe(false);
    expect(s.push(bidPlaced(10, 1)).kind).toBe('duplicate');
    expect(seqs(s.push(bidPlaced(11, 1)))).toEqual([11]);
  });

  it('ignores events without an integer seq', () => {
    const s = new EventSequencer(0);
    const bad = bidPlaced(1, 1);
    (bad.payload as { seq: unknown }).seq = '1';
    expect(s.push(bad).kind).toBe('duplicate');
    expect(s.lastSeq).toBe(0);
  });
});

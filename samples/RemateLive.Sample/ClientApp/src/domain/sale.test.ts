import { describe, expect, it } from 'vitest';
import { ev, lot, sale } from '../test/saleFixtures';
import { applySaleEvent, askingJumps, currentLot, isSaleEvent, nextPendingLot, niceStep, type SaleEvent, type SaleView } from './sale';

const fold = (events: SaleEvent[], from: SaleView = sale()) => events.reduce(applySaleEvent, from);

describe('applySaleEvent', () => {
  it('opens a lot: the sale runs, the lot is on offer at its asking price', () => {
    const s = fold([ev.opened(1, 1)]);
    expect(s.status).toBe('running');
    expect(s.seq).toBe(1);
    expect(currentLot(s)).toMatchObject({ id: 'lot-1', status: 'open', asking_price_cents: 10_000 });
    expect(nextPendingLot(s)?.id).toBe('lot-2');
  });

  it('a bid leads by paddle and source, moves the asking price and re-opens a lot under fair warning', () => {
    const s = fold([ev.opened(1, 1), ev.warning(2, 1, null), ev.bid(3, 1, 10_000, 1001, 'absentee', 11_000)]);
    expect(currentLot(s)).toMatchObject({
      status: 'open',
      leading_bid_cents: 10_000,
      leading_paddle: 1001,
      leading_source: 'absentee',
      asking_price_cents: 11_000,
      bid_count: 1,
    });
  });

  it('fair warning, then sold: the lot keeps its result and leaves the rostrum', () => {
    const s = fold([ev.opened(1, 1), ev.bid(2, 1, 10_000, 7, 'floor', 11_000), ev.warning(3, 1, 10_000), ev.sold(4, 1, 10_000, 7, 'floor')]);
    expect(s.current_lot_id).toBeNull();
    expect(s.lots[0]).toMatchObject({ status: 'sold', leading_bid_cents: 10_000, leading_paddle: 7, leading_source: 'floor', asking_price_cents: null });
  });

  it('passed lots, pause/resume and the end of the sale', () => {
    let s = fold([ev.opened(1, 3), ev.paused(2)]);
    expect(s.status).toBe('paused');
    s = fold([ev.resumed(3), ev.passed(4, 3), ev.ended(5, 0, 1)], s);
    expect(s.lots[2]!.status).toBe('passed');
    expect(s).toMatchObject({ status: 'ended', current_lot_id: null, seq: 5 });
  });

  it('ignores an event the view already holds (a snapshot or command answer ahead of the stream)', () => {
    const ahead = sale({ seq: 5, status: 'running', current_lot_id: 'lot-1', lots: [lot(1, { status: 'open', asking_price_cents: 12_000 })] });
    expect(applySaleEvent(ahead, ev.asking(5, 1, 99_000))).toBe(ahead);
    expect(currentLot(applySaleEvent(ahead, ev.asking(6, 1, 13_000)))?.asking_price_cents).toBe(13_000);
  });

  it('recognises sale events by type and integer seq only', () => {
    expect(isSaleEvent(ev.paused(1))).toBe(true);
    expect(isSaleEvent({ type: 'bid_ok', payload: { seq: 3 } })).toBe(false);
    expect(isSaleEvent({ type: 'lot_sold', payload: { seq: '3' } })).toBe(false);
  });
});

describe('asking price jumps', () => {
  it('rounds 5 % of the price to 1-2-5 steps', () => {
    expect(niceStep(20_000)).toBe(1_000);
    expect(niceStep(45_000)).toBe(2_000);
    expect(niceStep(120_000)).toBe(5_000);
    expect(niceStep(10)).toBe(1);
  });

  it('after a bid the step is the increment the server suggested', () => {
    expect(askingJumps(lot(1, { asking_price_cents: 21_000, leading_bid_cents: 20_000 }))).toEqual([22_000, 23_000, 24_000]);
  });

  it('before any bid it starts from the asking price', () => {
    expect(askingJumps(lot(2, { asking_price_cents: 20_000 }), 2)).toEqual([21_000, 22_000]);
  });
});

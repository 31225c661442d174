import { describe, expect, it } from 'vitest';
import { authOk, ev, lot, sale } from '../test/saleFixtures';
import { initialSaleRoomState, LOG_LIMIT, saleRoomReducer, type SaleRoomAction, type SaleRoomState } from './saleReducer';

const run = (actions: SaleRoomAction[], from: SaleRoomState = initialSaleRoomState) => actions.reduce(saleRoomReducer, from);

describe('saleRoomReducer', () => {
  it('follows the lots by itself and keeps the last result', () => {
    const s = run([
      { type: 'snapshot', payload: authOk(sale(), null) },
      { type: 'event', event: ev.opened(1, 1) },
      { type: 'event', event: ev.bid(2, 1, 10_000, 1001, 'absentee', 11_000) },
      { type: 'event', event: ev.sold(3, 1, 10_000, 1001, 'absentee') },
      { type: 'event', event: ev.opened(4, 2) },
    ]);
    expect(s.sale?.current_lot_id).toBe('lot-2');
    expect(s.lastResult).toEqual({ lotId: 'lot-1', outcome: 'sold', seq: 3 });
    expect(s.log.map((e) => e.payload.seq)).toEqual([4, 3, 2, 1]);
  });

  it('a reconnect: the snapshot is the state, replayed older events only fill the log', () => {
    const ahead = sale({ seq: 3, status: 'running', current_lot_id: 'lot-1', lots: [lot(1, { status: 'fair_warning', asking_price_cents: 12_000 })] });
    const s = run([
      { type: 'event', event: ev.opened(1, 1) },
      { type: 'snapshot', payload: authOk(ahead, 1002) },
      { type: 'event', event: ev.asking(2, 1, 12_000) },
      { type: 'event', event: ev.warning(3, 1, null) },
      { type: 'event', event: ev.warning(3, 1, null) },
    ]);
    expect(s.sale?.lots[0]!.status).toBe('fair_warning');
    expect(s.yourPaddle).toBe(1002);
    expect(s.log.map((e) => e.payload.seq)).toEqual([3, 2, 1]);
  });

  it('a command answer ahead of the stream replaces the sale; an older one does not', () => {
    const newer = sale({ seq: 9, status: 'paused' });
    let s = run([{ type: 'snapshot', payload: authOk(sale({ seq: 4 })) }, { type: 'sale', sale: newer }]);
    expect(s.sale).toBe(newer);
    s = run([{ type: 'sale', sale: sale({ seq: 8, status: 'running' }) }], s);
    expect(s.sale?.status).toBe('paused');
  });

  it('bid answers: paddle on bid_ok; bid_error shows the code and the asking price it carries', () => {
    const open = sale({ seq: 1, status: 'running', current_lot_id: 'lot-1', lots: [lot(1, { status: 'open', asking_price_cents: 10_000 })] });
    let s = run([{ type: 'snapshot', payload: authOk(open) }, { type: 'bid_sent' }]);
    expect(s.bidding).toBe(true);
    s = run([{ type: 'bid_ok', paddle: 1003 }], s);
    expect(s).toMatchObject({ bidding: false, yourPaddle: 1003 });
    s = run(
      [
        { type: 'bid_sent' },
        { type: 'bid_error', payload: { error: 'moved', code: 'ASKING_PRICE_CHANGED', lot_id: 'lot-1', asking_price_cents: 12_000, seq: 2 } },
      ],
      s,
    );
    expect(s.bidding).toBe(false);
    expect(s.sale?.lots[0]!.asking_price_cents).toBe(12_000);
    expect(s.notice).toMatchObject({ kind: 'error', key: 'sale.error.ASKING_PRICE_CHANGED' });
  });

  it('a dropped connection clears a pending bid (its answer will not come)', () => {
    const s = run([{ type: 'bid_sent' }, { type: 'connection', state: 'reconnecting', retryInMs: 500 }]);
    expect(s).toMatchObject({ bidding: false, connection: 'reconnecting', retryInMs: 500 });
  });

  it('keeps at most LOG_LIMIT events', () => {
    const actions: SaleRoomAction[] = [{ type: 'snapshot', payload: authOk(sale({ status: 'running', current_lot_id: 'lot-1' })) }];
    for (let i = 1; i <= LOG_LIMIT + 5; i++) actions.push({ type: 'event', event: ev.asking(i, 1, 10_000 + i) });
    const s = run(actions);
    expect(s.log).toHaveLength(LOG_LIMIT);
    expect(s.log[0]!.payload.seq).toBe(LOG_LIMIT + 5);
  });
});

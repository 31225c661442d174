import { describe, expect, it } from 'vitest';
import { auction, authOk, bid, bidPlaced, iso, T0 } from '../test/fixtures';
import { initialRoomState, mergeBids, roomReducer, type RoomAction, type RoomState } from './roomReducer';

const run = (actions: RoomAction[], from: RoomState = initialRoomState) => actions.reduce(roomReducer, from);

describe('roomReducer', () => {
  it('takes the snapshot: auction, history, presence', () => {
    const s = run([{ type: 'snapshot', payload: authOk(auction({ version: 2, bid_count: 2 }), [bid(2, 12000), bid(1, 11000)], 7) }]);
    expect(s.auction?.version).toBe(2);
    expect(s.bids.map((b) => b.seq)).toEqual([2, 1]);
    expect(s.onlineCount).toBe(7);
    expect(s.userId).toBe('u1');
    expect(s.result).toBeNull();
  });

  it('applies a live bid: price, min next, leader, version, history', () => {
    const s = run([
      { type: 'snapshot', payload: authOk(auction()) },
      { type: 'event', event: bidPlaced(1, 15000, 'Bea') },
    ]);
    expect(s.auction).toMatchObject({
      current_price_cents: 15000,
      min_next_bid_cents: 16000,
      leader_name: 'Bea',
      bid_count: 1,
      version: 1,
    });
    expect(s.bids[0]).toMatchObject({ seq: 1, bidder_name: 'Bea', amount_cents: 15000 });
  });

  it('knows who leads and who won by paddle, never by a shared display name', () => {
    const mine = { ...bidPlaced(1, 11000, 'Ana'), payload: { ...bidPlaced(1, 11000, 'Ana').payload, paddle: 1, yours: true } };
    const impostor = { ...bidPlaced(2, 12000, 'Ana'), payload: { ...bidPlaced(2, 12000, 'Ana').payload, paddle: 2, yours: false } };
    const s = run([{ type: 'snapshot', payload: authOk(auction()) }, { type: 'event', event: mine }, { type: 'event', event: impostor }]);
    expect(s.myPaddle).toBe(1);
    expect(s.auction?.leader_paddle).toBe(2); // the other "Ana" leads
    expect(s.bids.map((b) => b.yours)).toEqual([false, true]);
    const closed = run([{ type: 'event', event: { type: 'auction_closed', payload: { winner_name: 'Ana', winner_paddle: 2, final_price_cents: 12000, reserve_met: null, seq: 3 } } }], s);
    expect(closed.result).toMatchObject({ winner_paddle: 2 });
    // A fresh connection learns its paddle from its own recent bids.
    const again = run([{ type: 'snapshot', payload: authOk(auction({ version: 2, leader_paddle: 1 }), [{ ...bid(1, 11000, 'Ana'), paddle: 1, yours: true }]) }]);
    expect(again.myPaddle).toBe(1);
  });

  it('never shows a bid twice (same seq from snapshot and replay)', () => {
    const s = run([
      { type: 'snapshot', payload: authOk(auction({ version: 1 }), [bid(1, 11000)]) },
      { type: 'event', event: bidPlaced(1, 11000) },
      { type: 'snapshot', payload: authOk(auction({ version: 1 }), [bid(1, 11000)]) },
    ]);
    expect(s.bids).toHaveLength(1);
  });

  it('an older replayed event merges its bid but does not roll state back', () => {
    const s = run([
      { type: 'snapshot', payload: authOk(auction({ version: 5, current_price_cents: 50000, leader_name: 'Zoe' }), [bid(5, 50000, 'Zoe')]) },
      { type: 'event', event: bidPlaced(4, 40000, 'Ana') },
    ]);
    expect(s.auction?.current_price_cents).toBe(50000);
    expect(s.auction?.leader_name).toBe('Zoe');
    expect(s.bids.map((b) => b.seq)).toEqual([5, 4]);
  });

  it('keeps the newer auction when a stale snapshot arrives', () => {
    const s = run([
      { type: 'snapshot', payload: authOk(auction({ version: 0 })) },
      { type: 'event', event: bidPlaced(1, 15000) },
      { type: 'snapshot', payload: authOk(auction({ version: 0 })) },
    ]);
    expect(s.auction?.version).toBe(1);
  });

  it('confirms my own bid and clears an outbid notice', () => {
    const s = run([
      { type: 'snapshot', payload: authOk(auction()) },
      { type: 'outbid', payload: { amount_cents: 12000, bidder_name: 'Bea', seq: 1 } },
      { type: 'event', event: bidPlaced(2, 13000, 'Me'), mine: true },
    ]);
    expect(s.notices.map((n) => n.key)).toEqual(['notice.bidPlaced']);
    expect(s.notices[0]?.amounts).toEqual({ amount: 13000 });
  });

  it('shows an outbid notice, replacing an older one and the stale "bid placed"', () => {
    const s = run([
      { type: 'snapshot', payload: authOk(auction()) },
      { type: 'event', event: bidPlaced(1, 11000, 'Me'), mine: true },
      { type: 'outbid', payload: { amount_cents: 12000, bidder_name: 'Bea', seq: 1 } },
      { type: 'outbid', payload: { amount_cents: 14000, bidder_name: 'Cy', seq: 2 } },
    ]);
    expect(s.notices).toHaveLength(1);
    expect(s.notices[0]).toMatchObject({ kind: 'outbid', params: { name: 'Cy' }, amounts: { amount: 14000 } });
  });

  it('maps a bid_error code to a notice and adopts fresher prices', () => {
    const s = run([
      { type: 'snapshot', payload: authOk(auction({ version: 1, min_next_bid_cents: 11000 })) },
      {
        type: 'bid_error',
        mine: true,
        payload: { error: 'too low', code: 'BID_TOO_LOW', current_price_cents: 20000, min_next_bid_cents: 21000, version: 3 },
      },
    ]);
    expect(s.notices[0]).toMatchObject({ kind: 'error', key: 'error.BID_TOO_LOW', amounts: { min: 21000 } });
    expect(s.auction?.min_next_bid_cents).toBe(21000);
    expect(s.auction?.version).toBe(1); // left to the event stream
  });

  it('survives a bid_error whose prices are null, using the minimum it already knows', () => {
    const s = run([
      { type: 'snapshot', payload: authOk(auction({ version: 1, min_next_bid_cents: 202500 })) },
      {
        type: 'bid_error',
        mine: true,
        payload: { error: 'The minimum bid is 202500 cents.', code: 'BID_TOO_LOW', current_price_cents: null, min_next_bid_cents: null, version: null },
      },
    ]);
    expect(s.notices[0]).toMatchObject({ key: 'error.BID_TOO_LOW', amounts: { min: 202500 } });
    expect(s.auction?.min_next_bid_cents).toBe(202500);
  });

  it("ignores someone else's bid_error", () => {
    const before = run([{ type: 'snapshot', payload: authOk(auction()) }]);
    const after = roomReducer(before, { type: 'bid_error', mine: false, payload: { error: 'x', code: 'BID_TOO_LOW' } });
    expect(after).toBe(before);
  });

  it('shows a soft-close extension', () => {
    const s = run([
      { type: 'snapshot', payload: authOk(auction({ version: 1 })) },
      { type: 'event', event: { type: 'auction_extended', payload: { ends_at: iso(T0 + 900_000), extensions: 1, seq: 2 } } },
    ]);
    expect(s.auction?.ends_at).toBe(iso(T0 + 900_000));
    expect(s.auction?.extensions).toBe(1);
    expect(s.lastExtension?.seq).toBe(2);
    expect(s.notices.some((n) => n.kind === 'extended')).toBe(true);
  });

  it('closes with a winner', () => {
    const s = run([
      { type: 'snapshot', payload: authOk(auction({ version: 1 })) },
      { type: 'outbid', payload: { amount_cents: 12000, bidder_name: 'Bea', seq: 1 } },
      { type: 'event', event: { type: 'auction_closed', payload: { winner_name: 'Bea', final_price_cents: 12000, reserve_met: null, seq: 2 } } },
    ]);
    expect(s.result).toEqual({ kind: 'closed', winner_name: 'Bea', winner_paddle: null, final_price_cents: 12000, reserve_met: null });
    expect(s.auction?.status).toBe('closed');
    expect(s.notices.some((n) => n.kind === 'outbid')).toBe(false);
  });

  it('derives the result from a snapshot of a closed or cancelled auction', () => {
    const closed = run([{ type: 'snapshot', payload: authOk(auction({ status: 'closed', leader_name: 'Bea', current_price_cents: 5000 })) }]);
    expect(closed.result).toMatchObject({ kind: 'closed', winner_name: 'Bea', final_price_cents: 5000 });
    const cancelled = run([{ type: 'snapshot', payload: authOk(auction({ status: 'cancelled' })) }]);
    expect(cancelled.result?.kind).toBe('cancelled');
  });

  it('cancels', () => {
    const s = run([
      { type: 'snapshot', payload: authOk(auction({ version: 0 })) },
      { type: 'event', event: { type: 'auction_cancelled', payload: { reason: 'Item withdrawn', seq: 1 } } },
    ]);
    expect(s.result).toEqual({ kind: 'cancelled', reason: 'Item withdrawn' });
    expect(s.auction?.status).toBe('cancelled');
  });

  it('tracks presence, connection and pending bids; dismisses notices', () => {
    let s = run([
      { type: 'presence', online_count: 12 },
      { type: 'connection', state: 'reconnecting', attempt: 3, retryInMs: 2000 },
      { type: 'pending', count: 1 },
      { type: 'notice', notice: { kind: 'info', key: 'x' } },
    ]);
    expect(s).toMatchObject({ onlineCount: 12, connection: 'reconnecting', reconnectAttempt: 3, retryInMs: 2000, pendingBids: 1 });
    s = roomReducer(s, { type: 'dismiss', id: s.notices[0]!.id });
    expect(s.notices).toHaveLength(0);
  });
});

describe('mergeBids', () => {
  it('sorts newest first and dedupes by seq', () => {
    const merged = mergeBids([bid(3, 3), bid(1, 1)], [bid(2, 2), bid(3, 3)]);
    expect(merged.map((b) => b.seq)).toEqual([3, 2, 1]);
  });
  it('returns the same array when nothing is new (no re-render)', () => {
    const list = [bid(1, 1)];
    expect(mergeBids(list, [bid(1, 1)])).toBe(list);
  });
});

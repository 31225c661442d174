import { describe, expect, it } from 'vitest';
import { auction, authOk, bidPlaced } from '../test/fixtures';
import { matchAdminRoute } from '../presentation/pages/admin/adminRoutes';
import { initialRoomState, roomReducer, type RoomAction } from './roomReducer';

const run = (actions: RoomAction[]) => actions.reduce(roomReducer, initialRoomState);

describe('buy-now in the room', () => {
  it('the first bid withdraws buy-now (the event says what is still offered)', () => {
    const placed = bidPlaced(1, 12000, 'Bea');
    placed.payload.buy_now_price_cents = null;
    const s = run([{ type: 'snapshot', payload: authOk(auction({ buy_now_price_cents: 50000 })) }, { type: 'event', event: placed }]);
    expect(s.auction?.buy_now_price_cents).toBeNull();
  });

  it('an event without the field keeps the offer', () => {
    const s = run([{ type: 'snapshot', payload: authOk(auction({ buy_now_price_cents: 50000 })) }, { type: 'event', event: bidPlaced(1, 12000) }]);
    expect(s.auction?.buy_now_price_cents).toBe(50000);
  });

  it('a buy-now closes the auction with the buyer as the winner', () => {
    const s = run([
      { type: 'snapshot', payload: authOk(auction({ buy_now_price_cents: 50000 })) },
      { type: 'event', event: bidPlaced(1, 50000, 'Bea') },
      {
        type: 'event',
        event: { type: 'auction_closed', payload: { winner_name: 'Bea', winner_paddle: 1, final_price_cents: 50000, reserve_met: null, reason: 'buy_now', seq: 2 } },
      },
    ]);
    expect(s.auction).toMatchObject({ status: 'closed', winner_name: 'Bea', current_price_cents: 50000 });
    expect(s.result).toMatchObject({ kind: 'closed', winner_name: 'Bea', final_price_cents: 50000 });
  });
});

describe('matchAdminRoute', () => {
  it('matches the console and an auction page, nothing else', () => {
    expect(matchAdminRoute('/admin')).toEqual({ name: 'admin' });
    expect(matchAdminRoute('/admin/')).toEqual({ name: 'admin' });
    expect(matchAdminRoute('/admin/auctions/a%20b')).toEqual({ name: 'adminAuction', id: 'a b' });
    expect(matchAdminRoute('/auctions/x')).toBeNull();
    expect(matchAdminRoute('/admin/auctions/x/bids')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { matchRoute } from '../presentation/App';
import { auction, authOk, bidPlaced } from '../test/fixtures';
import { messages } from './i18n';
import { initialRoomState, roomReducer, type RoomAction, type RoomState } from './roomReducer';

const run = (actions: RoomAction[], from: RoomState = initialRoomState) => actions.reduce(roomReducer, from);

const maxRaised = (seq: number, yours: boolean, max?: number) => ({
  type: 'max_raised' as const,
  payload: { auction_id: 'a1', seq, paddle: 1, yours, ...(yours ? { max_amount_cents: max, idempotency_key: 'k' } : {}) },
});

describe('raising your own maximum in the room state', () => {
  it("takes the leader's maximum from auth_ok and keeps it when a later snapshot lacks the field", () => {
    const s = run([{ type: 'snapshot', payload: { ...authOk(auction({ version: 1 })), your_max_cents: 20_000 } }]);
    expect(s.myMax).toBe(20_000);
    expect(run([{ type: 'snapshot', payload: authOk(auction({ version: 1 })) }], s).myMax).toBe(20_000);
    // The server says null: not leading (any more).
    expect(run([{ type: 'snapshot', payload: { ...authOk(auction({ version: 2 })), your_max_cents: null } }], s).myMax).toBeNull();
  });

  it('our max_raised sets the maximum and advances the version; the price does not move', () => {
    const s = run([
      { type: 'snapshot', payload: { ...authOk(auction({ version: 1, current_price_cents: 15_000 })), your_max_cents: 20_000 } },
      { type: 'event', event: maxRaised(2, true, 30_000), mine: true },
    ]);
    expect(s.myMax).toBe(30_000);
    expect(s.auction).toMatchObject({ version: 2, current_price_cents: 15_000 });
    expect(s.bids).toHaveLength(0);
  });

  it("someone else's max_raised reveals nothing and changes nothing but the version", () => {
    const before = run([{ type: 'snapshot', payload: authOk(auction({ version: 1, current_price_cents: 15_000 })) }]);
    const s = run([{ type: 'event', event: maxRaised(2, false) }], before);
    expect(s.myMax).toBeNull();
    expect(s.auction).toEqual({ ...before.auction, version: 2 });
    expect(s.notices).toEqual([]);
  });

  it('being outbid clears our maximum; our own accepted bid sets it', () => {
    const s = run([
      { type: 'snapshot', payload: authOk(auction()) },
      { type: 'event', event: bidPlaced(1, 15_000, 'Me', 'k1'), mine: true },
      { type: 'my_max', cents: 25_000 },
    ]);
    expect(s.myMax).toBe(25_000);
    const outbid = run([{ type: 'outbid', payload: { amount_cents: 26_000, bidder_name: 'Bea', seq: 2 } }], s);
    expect(outbid.myMax).toBeNull();
  });

  it('raise-max errors are readable in both languages', () => {
    for (const lang of ['en', 'es'] as const) {
      for (const key of ['error.NOT_LEADING', 'error.MAX_TOO_LOW', 'notice.maxRaised', 'raise.current', 'room.bidWaiting']) {
        expect(messages[lang][key as keyof (typeof messages)['en']]).toBeTruthy();
      }
    }
    expect(messages.es['raise.current']).not.toBe(messages.en['raise.current']);
  });
});

describe('bidder routes', () => {
  it('maps /me/bids and /me/watchlist, and leaves the others alone', () => {
    expect(matchRoute('/me/bids')).toEqual({ name: 'myBids' });
    expect(matchRoute('/me/bids/')).toEqual({ name: 'myBids' });
    expect(matchRoute('/me/watchlist')).toEqual({ name: 'watchlist' });
    expect(matchRoute('/me/other')).toEqual({ name: 'list' });
    expect(matchRoute('/auctions/x')).toEqual({ name: 'room', id: 'x' });
  });
});

import type { Auction, AuthOkPayload, Bid, DurableEvent } from '../src/types';

export const T0 = Date.parse('2026-11-28T12:00:00.000Z');
export const iso = (ms: number) => new Date(ms).toISOString();

export function auction(over: Partial<Auction> = {}): Auction {
  return {
    id: 'a1',
    title: 'Vintage camera',
    description: 'Leica M3, 1957',
    image_url: null,
    currency: 'USD',
    status: 'open',
    starting_price_cents: 10000,
    current_price_cents: 10000,
    min_next_bid_cents: 10000,
    bid_count: 0,
    leader_name: null,
    reserve_met: null,
    buy_now_price_cents: null,
    starts_at: iso(T0 - 3600_000),
    ends_at: iso(T0 + 600_000),
    extensions: 0,
    version: 0,
    server_time: iso(T0),
    ...over,
  };
}

export function bidPlaced(seq: number, amount: number, name = 'Ana', key?: string): Extract<DurableEvent, { type: 'bid_placed' }> {
  return {
    type: 'bid_placed',
    payload: {
      bid_id: `b${seq}`,
      bidder_name: name,
      amount_cents: amount,
      new_version: seq,
      seq,
      placed_at: iso(T0 + seq * 1000),
      ends_at: iso(T0 + 600_000),
      min_next_bid_cents: amount + 1000,
      bid_count: seq,
      kind: 'manual',
      ...(key ? { idempotency_key: key } : {}),
    },
  };
}

export function bid(seq: number, amount: number, name = 'Ana'): Bid {
  return { bid_id: `b${seq}`, bidder_name: name, amount_cents: amount, seq, placed_at: iso(T0 + seq * 1000), kind: 'manual' };
}

export function authOk(a: Auction, recent: Bid[] = [], online = 2): AuthOkPayload {
  return { user_id: 'u1', token: 'tok', auction: a, recent_bids: recent, online_count: online, server_time: iso(T0) };
}

import type { LotView, SaleAuthOk, SaleEvent, SaleView } from '../domain/sale';

export const AT = '2026-11-28T12:00:00.000Z';

export function lot(n: number, over: Partial<LotView> = {}): LotView {
  return {
    id: `lot-${n}`,
    number: n,
    title: `Lot ${n}`,
    description: null,
    starting_price_cents: 10_000 * n,
    status: 'pending',
    asking_price_cents: null,
    leading_bid_cents: null,
    leading_paddle: null,
    leading_source: null,
    bid_count: 0,
    ...over,
  };
}

export function sale(over: Partial<SaleView> = {}): SaleView {
  return {
    id: 'sale-1',
    title: 'Estate sale',
    currency: 'USD',
    status: 'scheduled',
    starts_at: AT,
    current_lot_id: null,
    seq: 0,
    lots: [lot(1), lot(2), lot(3)],
    ...over,
  };
}

export function authOk(s: SaleView = sale(), yourPaddle: number | null = null): SaleAuthOk {
  return { user_id: 'u1', username: 'ana', display_name: 'Ana', sale: s, your_paddle: yourPaddle, server_time: AT };
}

const base = (seq: number) => ({ sale_id: 'sale-1', seq, occurred_at: AT });

export const ev = {
  opened: (seq: number, n: number, asking = 10_000 * n): SaleEvent => ({
    type: 'lot_opened',
    payload: { ...base(seq), lot_id: `lot-${n}`, lot_number: n, title: `Lot ${n}`, starting_price_cents: 10_000 * n, asking_price_cents: asking },
  }),
  asking: (seq: number, n: number, asking: number): SaleEvent => ({
    type: 'asking_price',
    payload: { ...base(seq), lot_id: `lot-${n}`, asking_price_cents: asking },
  }),
  bid: (seq: number, n: number, amount: number, paddle: number, source: 'online' | 'floor' | 'absentee', next: number, count = 1): SaleEvent => ({
    type: 'bid_placed',
    payload: { ...base(seq), lot_id: `lot-${n}`, bid_id: `b${seq}`, amount_cents: amount, source, paddle, asking_price_cents: next, bid_count: count },
  }),
  warning: (seq: number, n: number, leading: number | null): SaleEvent => ({
    type: 'fair_warning',
    payload: { ...base(seq), lot_id: `lot-${n}`, leading_bid_cents: leading },
  }),
  sold: (seq: number, n: number, price: number, paddle: number, source: 'online' | 'floor' | 'absentee'): SaleEvent => ({
    type: 'lot_sold',
    payload: { ...base(seq), lot_id: `lot-${n}`, price_cents: price, source, paddle },
  }),
  passed: (seq: number, n: number): SaleEvent => ({ type: 'lot_passed', payload: { ...base(seq), lot_id: `lot-${n}`, highest_bid_cents: null } }),
  paused: (seq: number): SaleEvent => ({ type: 'sale_paused', payload: base(seq) }),
  resumed: (seq: number): SaleEvent => ({ type: 'sale_resumed', payload: base(seq) }),
  ended: (seq: number, sold: number, passed: number): SaleEvent => ({ type: 'sale_ended', payload: { ...base(seq), sold, passed, withdrawn: 0 } }),
};

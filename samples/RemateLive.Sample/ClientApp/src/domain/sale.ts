// Live sale (remate) wire types, as /ws/sales/{id} and /api/sales send them (docs/protocol.md,
// "Live sales"), and the pure rules that fold a sale's events into its public view.

export type SaleStatus = 'scheduled' | 'running' | 'paused' | 'ended';
export type LotStatus = 'pending' | 'open' | 'fair_warning' | 'sold' | 'passed' | 'withdrawn';
export type BidSource = 'online' | 'floor' | 'absentee';

export interface LotView {
  id: string;
  number: number;
  title: string;
  description: string | null;
  starting_price_cents: number;
  status: LotStatus;
  asking_price_cents: number | null;
  leading_bid_cents: number | null;
  leading_paddle: number | null;
  leading_source: BidSource | null;
  bid_count: number;
}

export interface SaleView {
  id: string;
  title: string;
  currency: string;
  status: SaleStatus;
  starts_at: string;
  current_lot_id: string | null;
  seq: number;
  lots: LotView[];
}

export interface SaleAuthOk {
  user_id: string;
  username: string;
  display_name: string;
  sale: SaleView;
  your_paddle: number | null;
  server_time: string;
}

interface Base {
  sale_id: string;
  seq: number;
  occurred_at: string;
}

/** A durable sale event: every one carries the sale's gap-free `seq`. */
export type SaleEvent =
  | { type: 'lot_opened'; payload: Base & { lot_id: string; lot_number: number; title: string; starting_price_cents: number; asking_price_cents: number } }
  | { type: 'asking_price'; payload: Base & { lot_id: string; asking_price_cents: number } }
  | {
      type: 'bid_placed';
      payload: Base & {
        lot_id: string;
        bid_id: string;
        amount_cents: number;
        source: BidSource;
        paddle: number;
        asking_price_cents: number;
        bid_count: number;
      };
    }
  | { type: 'fair_warning'; payload: Base & { lot_id: string; leading_bid_cents: number | null } }
  | { type: 'lot_sold'; payload: Base & { lot_id: string; price_cents: number; source: BidSource; paddle: number } }
  | { type: 'lot_passed'; payload: Base & { lot_id: string; highest_bid_cents: number | null } }
  | { type: 'lot_withdrawn'; payload: Base & { lot_id: string } }
  | { type: 'sale_paused'; payload: Base }
  | { type: 'sale_resumed'; payload: Base }
  | { type: 'sale_ended'; payload: Base & { sold: number; passed: number; withdrawn: number } };

export type SaleEventType = SaleEvent['type'];

export const SALE_EVENT_TYPES: ReadonlySet<string> = new Set<SaleEventType>([
  'lot_opened',
  'asking_price',
  'bid_placed',
  'fair_warning',
  'lot_sold',
  'lot_passed',
  'lot_withdrawn',
  'sale_paused',
  'sale_resumed',
  'sale_ended',
]);

export function isSaleEvent(m: { type: string; payload?: unknown }): m is SaleEvent {
  const seq = (m.payload as { seq?: unknown } | undefined)?.seq;
  return SALE_EVENT_TYPES.has(m.type) && typeof seq === 'number' && Number.isInteger(seq);
}

export interface SaleBidOk {
  lot_id: string;
  paddle: number;
  seq: number;
}

export interface SaleBidError {
  error: string;
  code: string;
  lot_id: string | null;
  asking_price_cents: number | null;
  seq: number | null;
}

/** The lot on offer, if any. */
export function currentLot(sale: SaleView): LotView | null {
  return sale.current_lot_id ? (sale.lots.find((l) => l.id === sale.current_lot_id) ?? null) : null;
}

/** The next lot the auctioneer would open (the first pending one), if any. */
export function nextPendingLot(sale: SaleView): LotView | null {
  return sale.lots.find((l) => l.status === 'pending') ?? null;
}

function withLot(sale: SaleView, lotId: string, change: (lot: LotView) => LotView): LotView[] {
  return sale.lots.map((l) => (l.id === lotId ? change(l) : l));
}

/**
 * The sale after `event`. Events at or below the view's `seq` are already in it (a snapshot or a
 * command's answer can be ahead of the stream): the view is returned unchanged.
 */
export function applySaleEvent(sale: SaleView, event: SaleEvent): SaleView {
  const p = event.payload;
  if (p.seq <= sale.seq) return sale;
  const next: SaleView = { ...sale, seq: p.seq };
  switch (event.type) {
    case 'lot_opened': {
      const e = event.payload;
      return {
        ...next,
        status: 'running',
        current_lot_id: e.lot_id,
        lots: withLot(sale, e.lot_id, (l) => ({ ...l, status: 'open', asking_price_cents: e.asking_price_cents })),
      };
    }
    case 'asking_price': {
      const e = event.payload;
      return { ...next, lots: withLot(sale, e.lot_id, (l) => ({ ...l, asking_price_cents: e.asking_price_cents })) };
    }
    case 'bid_placed': {
      const e = event.payload;
      // A bid re-opens a lot under fair warning.
      return {
        ...next,
        lots: withLot(sale, e.lot_id, (l) => ({
          ...l,
          status: 'open',
          leading_bid_cents: e.amount_cents,
          leading_paddle: e.paddle,
          leading_source: e.source,
          asking_price_cents: e.asking_price_cents,
          bid_count: e.bid_count,
        })),
      };
    }
    case 'fair_warning':
      return { ...next, lots: withLot(sale, event.payload.lot_id, (l) => ({ ...l, status: 'fair_warning' })) };
    case 'lot_sold': {
      const e = event.payload;
      return {
        ...next,
        current_lot_id: sale.current_lot_id === e.lot_id ? null : sale.current_lot_id,
        lots: withLot(sale, e.lot_id, (l) => ({
          ...l,
          status: 'sold',
          asking_price_cents: null,
          leading_bid_cents: e.price_cents,
          leading_paddle: e.paddle,
          leading_source: e.source,
        })),
      };
    }
    case 'lot_passed':
    case 'lot_withdrawn': {
      const e = event.payload;
      const status: LotStatus = event.type === 'lot_passed' ? 'passed' : 'withdrawn';
      return {
        ...next,
        current_lot_id: sale.current_lot_id === e.lot_id ? null : sale.current_lot_id,
        lots: withLot(sale, e.lot_id, (l) => ({ ...l, status, asking_price_cents: null })),
      };
    }
    case 'sale_paused':
      return { ...next, status: 'paused' };
    case 'sale_resumed':
      return { ...next, status: 'running' };
    case 'sale_ended':
      return { ...next, status: 'ended', current_lot_id: null };
  }
}

/**
 * A round step for the auctioneer's jump buttons when no bid has set one yet: the 1-2-5 series value
 * nearest to 5 % of the asking price (200.00 → 10.00; 450.00 → 20.00), at least one minor unit.
 */
export function niceStep(askingCents: number): number {
  const target = Math.max(1, askingCents * 0.05);
  const decade = 10 ** Math.floor(Math.log10(target));
  let best = decade;
  for (const m of [1, 2, 5, 10]) {
    if (Math.abs(m * decade - target) < Math.abs(best - target)) best = m * decade;
  }
  return Math.max(1, Math.round(best));
}

/**
 * The auctioneer's one-click asking prices above the current one: after a bid the server has already
 * moved the asking price to the increment table's suggestion, so the step is that gap; before any bid it
 * is a round share of the price.
 */
export function askingJumps(lot: LotView, count = 3): number[] {
  const asking = lot.asking_price_cents ?? lot.starting_price_cents;
  const step =
    lot.leading_bid_cents != null && asking > lot.leading_bid_cents ? asking - lot.leading_bid_cents : niceStep(asking);
  return Array.from({ length: count }, (_, i) => asking + step * (i + 1));
}

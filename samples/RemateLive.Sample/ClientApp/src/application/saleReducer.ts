import type { ConnectionState } from '@remate-live/client';
import { applySaleEvent, type SaleAuthOk, type SaleBidError, type SaleEvent, type SaleView } from '../domain/sale';

/** The outcome of the lot last knocked down, passed or withdrawn, for the banner above the next lot. */
export interface LotResult {
  lotId: string;
  outcome: 'sold' | 'passed' | 'withdrawn';
  seq: number;
}

export interface SaleNotice {
  kind: 'error' | 'info';
  key: string;
  params?: Record<string, string | number>;
}

export interface SaleRoomState {
  sale: SaleView | null;
  yourPaddle: number | null;
  connection: ConnectionState;
  retryInMs?: number;
  /** The sale's events as received, newest first (at most LOG_LIMIT). */
  log: SaleEvent[];
  lastResult: LotResult | null;
  notice: SaleNotice | null;
  authError: { code: string; error: string } | null;
  /** A bid was sent and its answer has not come yet. */
  bidding: boolean;
}

export const LOG_LIMIT = 200;

export const initialSaleRoomState: SaleRoomState = {
  sale: null,
  yourPaddle: null,
  connection: 'connecting',
  log: [],
  lastResult: null,
  notice: null,
  authError: null,
  bidding: false,
};

export type SaleRoomAction =
  | { type: 'snapshot'; payload: SaleAuthOk }
  | { type: 'event'; event: SaleEvent }
  /** A REST answer (an auctioneer command): the sale after it, possibly ahead of the stream. */
  | { type: 'sale'; sale: SaleView }
  | { type: 'connection'; state: ConnectionState; retryInMs?: number }
  | { type: 'bid_sent' }
  | { type: 'bid_ok'; paddle: number }
  | { type: 'bid_error'; payload: SaleBidError }
  | { type: 'paddle'; paddle: number }
  | { type: 'auth_error'; code: string; error: string }
  | { type: 'notice'; notice: SaleNotice | null };

function resultOf(event: SaleEvent): LotResult | null {
  switch (event.type) {
    case 'lot_sold':
      return { lotId: event.payload.lot_id, outcome: 'sold', seq: event.payload.seq };
    case 'lot_passed':
      return { lotId: event.payload.lot_id, outcome: 'passed', seq: event.payload.seq };
    case 'lot_withdrawn':
      return { lotId: event.payload.lot_id, outcome: 'withdrawn', seq: event.payload.seq };
    default:
      return null;
  }
}

export function saleRoomReducer(state: SaleRoomState, action: SaleRoomAction): SaleRoomState {
  switch (action.type) {
    case 'snapshot':
      return {
        ...state,
        sale: action.payload.sale,
        yourPaddle: action.payload.your_paddle ?? state.yourPaddle,
        authError: null,
      };
    case 'event': {
      const e = action.event;
      const seq = e.payload.seq;
      if (state.log.some((l) => l.payload.seq === seq)) return state;
      const log = [e, ...state.log].sort((a, b) => b.payload.seq - a.payload.seq).slice(0, LOG_LIMIT);
      const result = resultOf(e);
      return {
        ...state,
        log,
        sale: state.sale ? applySaleEvent(state.sale, e) : state.sale,
        lastResult: result && (!state.lastResult || result.seq > state.lastResult.seq) ? result : state.lastResult,
      };
    }
    case 'sale':
      return !state.sale || action.sale.seq >= state.sale.seq ? { ...state, sale: action.sale } : state;
    case 'connection':
      return { ...state, connection: action.state, retryInMs: action.retryInMs, bidding: action.state === 'open' && state.bidding };
    case 'bid_sent':
      return { ...state, bidding: true, notice: null };
    case 'bid_ok':
    case 'paddle':
      return { ...state, bidding: action.type === 'bid_ok' ? false : state.bidding, yourPaddle: action.paddle };
    case 'bid_error': {
      const p = action.payload;
      const sale = state.sale;
      // The answer carries the current asking price: show it at once (its event may still be on the way).
      const lots =
        sale && p.lot_id && p.asking_price_cents != null && p.seq != null && p.seq > sale.seq
          ? sale.lots.map((l) => (l.id === p.lot_id ? { ...l, asking_price_cents: p.asking_price_cents } : l))
          : sale?.lots;
      return {
        ...state,
        bidding: false,
        sale: sale && lots ? { ...sale, lots } : sale,
        notice: { kind: 'error', key: `sale.error.${p.code}`, params: { fallback: p.error } },
      };
    }
    case 'auth_error':
      return { ...state, authError: { code: action.code, error: action.error } };
    case 'notice':
      return { ...state, notice: action.notice };
  }
}

import type {
  Auction,
  AuthOkPayload,
  Bid,
  BidErrorPayload,
  ConnectionState,
  DurableEvent,
  OutbidPayload,
} from '../domain/types';

export type NoticeKind = 'outbid' | 'error' | 'success' | 'extended' | 'info';

export interface Notice {
  id: number;
  kind: NoticeKind;
  /** i18n key, e.g. `notice.outbid` or `error.BID_TOO_LOW`. */
  key: string;
  params?: Record<string, string | number>;
  /** Amount params to format with the auction currency. */
  amounts?: Record<string, number>;
}

export type RoomResult =
  | { kind: 'closed'; winner_name: string | null; winner_paddle?: number | null; final_price_cents: number; reserve_met: boolean | null }
  | { kind: 'cancelled'; reason: string };

export interface RoomState {
  auction: Auction | null;
  /** Unique by seq, newest first. */
  bids: Bid[];
  onlineCount: number;
  connection: ConnectionState;
  reconnectAttempt: number;
  retryInMs?: number;
  notices: Notice[];
  pendingBids: number;
  result: RoomResult | null;
  /** The latest soft-close extension seen live (null until one happens). */
  lastExtension: { ends_at: string; extensions: number; seq: number } | null;
  authError: { code: string; error: string } | null;
  userId: string | null;
  /** The signed-in user's paddle on this auction, learnt from their own bids (`yours: true`); null until known. */
  myPaddle: number | null;
  nextNoticeId: number;
}

export type RoomAction =
  | { type: 'snapshot'; payload: AuthOkPayload }
  | { type: 'event'; event: DurableEvent; mine?: boolean }
  | { type: 'bid_error'; payload: BidErrorPayload; mine: boolean }
  | { type: 'outbid'; payload: OutbidPayload }
  | { type: 'presence'; online_count: number }
  | { type: 'connection'; state: ConnectionState; attempt?: number; retryInMs?: number }
  | { type: 'pending'; count: number }
  | { type: 'auth_error'; code: string; error: string }
  | { type: 'notice'; notice: Omit<Notice, 'id'> }
  | { type: 'dismiss'; id: number };

export const MAX_BIDS = 500;
export const MAX_NOTICES = 4;

export const initialRoomState: RoomState = {
  auction: null,
  bids: [],
  onlineCount: 0,
  connection: 'connecting',
  reconnectAttempt: 0,
  notices: [],
  pendingBids: 0,
  result: null,
  lastExtension: null,
  authError: null,
  userId: null,
  myPaddle: null,
  nextNoticeId: 1,
};

/** Merges bids into a newest-first list, unique by seq (a replayed bid never shows twice). */
export function mergeBids(existing: Bid[], incoming: Bid[]): Bid[] {
  if (incoming.length === 0) return existing;
  const bySeq = new Map<number, Bid>();
  for (const b of existing) bySeq.set(b.seq, b);
  let changed = false;
  for (const b of incoming) {
    if (!bySeq.has(b.seq)) {
      bySeq.set(b.seq, b);
      changed = true;
    }
  }
  if (!changed) return existing;
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq).slice(0, MAX_BIDS);
}

function resultFromAuction(a: Auction): RoomResult | null {
  if (a.status === 'closed') {
    return {
      kind: 'closed',
      winner_name: a.winner_name ?? (a.reserve_met === false ? null : a.leader_name),
      winner_paddle: a.winner_paddle ?? (a.reserve_met === false ? null : (a.leader_paddle ?? null)),
      final_price_cents: a.current_price_cents,
      reserve_met: a.reserve_met,
    };
  }
  if (a.status === 'cancelled') return { kind: 'cancelled', reason: '' };
  return null;
}

function addNotice(state: RoomState, notice: Omit<Notice, 'id'>): RoomState {
  const n: Notice = { ...notice, id: state.nextNoticeId };
  // One notice per kind+key: a newer outbid replaces the older one.
  const rest = state.notices.filter((x) => !(x.kind === n.kind && x.key === n.key));
  return { ...state, notices: [...rest, n].slice(-MAX_NOTICES), nextNoticeId: state.nextNoticeId + 1 };
}

function applyEvent(state: RoomState, event: DurableEvent, mine: boolean): RoomState {
  const a = state.auction;
  const seq = event.payload.seq;
  // Events at or below the state's version are already reflected in it (a snapshot arrived first):
  // only their bid is merged into the history, so state never moves backwards.
  const fresh = !!a && seq > a.version;
  switch (event.type) {
    case 'bid_placed': {
      const p = event.payload;
      const bid: Bid = {
        bid_id: p.bid_id,
        bidder_name: p.bidder_name,
        amount_cents: p.amount_cents,
        seq: p.seq,
        placed_at: p.placed_at,
        kind: p.kind,
        paddle: p.paddle,
        yours: p.yours,
      };
      let next: RoomState = {
        ...state,
        bids: mergeBids(state.bids, [bid]),
        myPaddle: p.yours && p.paddle != null ? p.paddle : state.myPaddle,
      };
      if (a && fresh) {
        next.auction = {
          ...a,
          current_price_cents: p.amount_cents,
          min_next_bid_cents: p.min_next_bid_cents,
          bid_count: p.bid_count,
          ends_at: p.ends_at ?? a.ends_at,
          leader_name: p.bidder_name,
          leader_paddle: p.paddle ?? null,
          // Buy-now is withdrawn by the first bid (or once the reserve is met): the event says what is still offered.
          buy_now_price_cents: p.buy_now_price_cents !== undefined ? p.buy_now_price_cents : a.buy_now_price_cents,
          version: p.new_version ?? p.seq,
        };
      }
      if (mine) {
        next = addNotice(next, { kind: 'success', key: 'notice.bidPlaced', amounts: { amount: p.amount_cents } });
        // Our new bid makes any earlier "outbid" notice stale.
        next.notices = next.notices.filter((n) => n.kind !== 'outbid' && n.kind !== 'error');
      }
      return next;
    }
    case 'auction_extended': {
      const p = event.payload;
      if (!a || !fresh) return state;
      const next = { ...state, auction: { ...a, ends_at: p.ends_at, extensions: p.extensions, version: p.seq } };
      next.lastExtension = { ends_at: p.ends_at, extensions: p.extensions, seq: p.seq };
      return addNotice(next, { kind: 'extended', key: 'notice.extended', params: { count: p.extensions } });
    }
    case 'auction_closed': {
      const p = event.payload;
      const result: RoomResult = {
        kind: 'closed',
        winner_name: p.winner_name,
        winner_paddle: p.winner_paddle ?? null,
        // null without a winner: the price stays where it was.
        final_price_cents: p.final_price_cents ?? a?.current_price_cents ?? 0,
        reserve_met: p.reserve_met,
      };
      if (!a) return { ...state, result };
      if (!fresh) return state.result ? state : { ...state, result };
      return {
        ...state,
        result,
        notices: state.notices.filter((n) => n.kind !== 'outbid'),
        auction: {
          ...a,
          status: 'closed',
          current_price_cents: p.final_price_cents ?? a.current_price_cents,
          reserve_met: p.reserve_met,
          winner_name: p.winner_name,
          winner_paddle: p.winner_paddle ?? null,
          version: p.seq,
        },
      };
    }
    case 'auction_cancelled': {
      const p = event.payload;
      const result: RoomResult = { kind: 'cancelled', reason: p.reason };
      if (!a) return { ...state, result };
      if (!fresh) return state.result ? state : { ...state, result };
      return { ...state, result, auction: { ...a, status: 'cancelled', version: p.seq } };
    }
  }
}

export function roomReducer(state: RoomState, action: RoomAction): RoomState {
  switch (action.type) {
    case 'snapshot': {
      const { auction, recent_bids, online_count, user_id } = action.payload;
      const keep = state.auction && state.auction.version > auction.version ? state.auction : auction;
      return {
        ...state,
        auction: keep,
        bids: mergeBids(state.bids, recent_bids ?? []),
        onlineCount: online_count ?? state.onlineCount,
        userId: user_id ?? state.userId,
        myPaddle: (recent_bids ?? []).find((b) => b.yours && b.paddle != null)?.paddle ?? state.myPaddle,
        result: state.result ?? resultFromAuction(keep),
        authError: null,
      };
    }
    case 'event':
      return applyEvent(state, action.event, !!action.mine);
    case 'bid_error': {
      const p = action.payload;
      if (!action.mine) return state;
      let next = state;
      const a = state.auction;
      const num = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
      if (a && num(p.min_next_bid_cents) && num(p.version) && p.version >= a.version) {
        // Fresher prices than ours: show them now; `version` is left to the event stream.
        next = {
          ...state,
          auction: {
            ...a,
            min_next_bid_cents: p.min_next_bid_cents,
            current_price_cents: num(p.current_price_cents) ? p.current_price_cents : a.current_price_cents,
          },
        };
      }
      // The error's own minimum when it has one (it may be null), else the freshest we know.
      const amounts: Record<string, number> = {};
      const min = num(p.min_next_bid_cents) ? p.min_next_bid_cents : next.auction?.min_next_bid_cents;
      if (num(min)) amounts.min = min;
      return addNotice(next, {
        kind: 'error',
        key: `error.${p.code}`,
        params: { fallback: p.error ?? '', retry: num(p.retry_after_seconds) ? p.retry_after_seconds : '' },
        amounts,
      });
    }
    case 'outbid':
      // "Your bid was placed" is stale once someone outbids it.
      return addNotice({ ...state, notices: state.notices.filter((n) => n.kind !== 'success') }, {
        kind: 'outbid',
        key: 'notice.outbid',
        params: { name: action.payload.bidder_name },
        amounts: { amount: action.payload.amount_cents },
      });
    case 'presence':
      return { ...state, onlineCount: action.online_count };
    case 'connection':
      return {
        ...state,
        connection: action.state,
        reconnectAttempt: action.attempt ?? state.reconnectAttempt,
        retryInMs: action.retryInMs,
      };
    case 'pending':
      return { ...state, pendingBids: action.count };
    case 'auth_error':
      return { ...state, authError: { code: action.code, error: action.error } };
    case 'notice':
      return addNotice(state, action.notice);
    case 'dismiss':
      return { ...state, notices: state.notices.filter((n) => n.id !== action.id) };
  }
}

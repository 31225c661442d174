import { useCallback, useEffect, useReducer, useRef } from 'react';
import { isSaleEvent, type SaleView } from '../../domain/sale';
import { HttpSaleApi } from '../../infrastructure/saleApi';
import { SaleSocket, saleSocketUrl } from '../../infrastructure/saleSocket';
import { loadSession } from '../../infrastructure/storage';
import { useApp } from '../context/AppContext';
import { initialSaleRoomState, LOG_LIMIT, saleRoomReducer, type SaleNotice, type SaleRoomState } from '../saleReducer';

declare global {
  interface Window {
    /** Diagnostics hook used by the browser tests (drop the sale socket, read lastSeq). */
    __remateSale?: { drop(): void; lastSeq(): number; state(): string };
  }
}

export interface SaleRoom {
  state: SaleRoomState;
  api: HttpSaleApi;
  /** A bid at the asking price shown (over the socket). */
  bid(lotId: string, amountCents: number): void;
  /** A REST answer with the sale after a command. */
  applySale(sale: SaleView): void;
  setPaddle(paddle: number): void;
  setNotice(notice: SaleNotice | null): void;
}

// The signed-in user's token, read at each call from where the session is kept (as main.tsx does for
// the auction API), so a refreshed token is used at once.
const currentToken = () => loadSession()?.token;
const saleApi = new HttpSaleApi(currentToken);

/** The REST side of sales for the signed-in user. */
export function useSaleApi(): HttpSaleApi {
  return saleApi;
}

/** A live sale: one SaleSocket per (sale, user), its messages folded by saleRoomReducer. */
export function useSaleRoom(saleId: string): SaleRoom {
  const { session } = useApp();
  const [state, dispatch] = useReducer(saleRoomReducer, initialSaleRoomState);
  const socketRef = useRef<SaleSocket | null>(null);
  const api = useSaleApi();
  const userId = session?.user_id;

  useEffect(() => {
    if (!userId) return;
    let history = false;
    const socket = new SaleSocket(
      saleSocketUrl(saleId),
      {
        snapshot: (payload) => {
          dispatch({ type: 'snapshot', payload });
          if (history) return;
          // Once per page: the events before we joined, for the event list and the last lot's result
          // (older than the snapshot, they only fill the list).
          history = true;
          const after = Math.max(0, payload.sale.seq - LOG_LIMIT);
          api.events(saleId, after, LOG_LIMIT).then(
            (events) => events.filter(isSaleEvent).forEach((event) => dispatch({ type: 'event', event })),
            () => undefined, // the live stream goes on without its history
          );
        },
        event: (event) => dispatch({ type: 'event', event }),
        bidOk: (p) => dispatch({ type: 'bid_ok', paddle: p.paddle }),
        bidError: (payload) => dispatch({ type: 'bid_error', payload }),
        error: (code, error) => {
          // The server closes after it; the socket reconnects and resumes by itself.
          if (code === 'CATCH_UP_OVERFLOW') return;
          dispatch({ type: 'notice', notice: { kind: 'error', key: `sale.error.${code}`, params: { fallback: error } } });
        },
        authError: (code, error) => dispatch({ type: 'auth_error', code, error }),
        state: (s, _attempt, retryInMs) => dispatch({ type: 'connection', state: s, retryInMs }),
      },
      { token: currentToken },
    );
    socketRef.current = socket;
    socket.start();
    window.__remateSale = { drop: () => socket.drop(), lastSeq: () => socket.lastSeq, state: () => socket.state };
    return () => {
      socket.stop();
      socketRef.current = null;
      delete window.__remateSale;
    };
  }, [saleId, userId, api]);

  const bid = useCallback((lotId: string, amountCents: number) => {
    if (socketRef.current?.bid(lotId, amountCents)) dispatch({ type: 'bid_sent' });
    else dispatch({ type: 'notice', notice: { kind: 'error', key: 'sale.notConnected' } });
  }, []);
  const applySale = useCallback((sale: SaleView) => dispatch({ type: 'sale', sale }), []);
  const setPaddle = useCallback((paddle: number) => dispatch({ type: 'paddle', paddle }), []);
  const setNotice = useCallback((notice: SaleNotice | null) => dispatch({ type: 'notice', notice }), []);

  return { state, api, bid, applySale, setPaddle, setNotice };
}

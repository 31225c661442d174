import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { SaleView } from '../../domain/sale';
import { HttpSaleApi } from '../../infrastructure/saleApi';
import { SaleSocket, saleSocketUrl } from '../../infrastructure/saleSocket';
import { useApp } from '../context/AppContext';
import { initialSaleRoomState, saleRoomReducer, type SaleNotice, type SaleRoomState } from '../saleReducer';

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

/** The REST side of sales for the signed-in user (the token is read at each call). */
export function useSaleApi(): HttpSaleApi {
  const { session } = useApp();
  const tokenRef = useRef(session?.token);
  useEffect(() => {
    tokenRef.current = session?.token;
  }, [session?.token]);
  return useMemo(() => new HttpSaleApi(() => tokenRef.current), []);
}

/** A live sale: one SaleSocket per (sale, user), its messages folded by saleRoomReducer. */
export function useSaleRoom(saleId: string): SaleRoom {
  const { session } = useApp();
  const [state, dispatch] = useReducer(saleRoomReducer, initialSaleRoomState);
  const socketRef = useRef<SaleSocket | null>(null);
  const api = useSaleApi();
  const tokenRef = useRef(session?.token);
  useEffect(() => {
    tokenRef.current = session?.token;
  }, [session?.token]);
  const userId = session?.user_id;

  useEffect(() => {
    if (!userId) return;
    const socket = new SaleSocket(
      saleSocketUrl(saleId),
      {
        snapshot: (payload) => dispatch({ type: 'snapshot', payload }),
        event: (event) => dispatch({ type: 'event', event }),
        bidOk: (p) => dispatch({ type: 'bid_ok', paddle: p.paddle }),
        bidError: (payload) => dispatch({ type: 'bid_error', payload }),
        error: (code, error) => dispatch({ type: 'notice', notice: { kind: 'error', key: `sale.error.${code}`, params: { fallback: error } } }),
        authError: (code, error) => dispatch({ type: 'auth_error', code, error }),
        state: (s, _attempt, retryInMs) => dispatch({ type: 'connection', state: s, retryInMs }),
      },
      { token: () => tokenRef.current },
    );
    socketRef.current = socket;
    socket.start();
    window.__remateSale = { drop: () => socket.drop(), lastSeq: () => socket.lastSeq, state: () => socket.state };
    return () => {
      socket.stop();
      socketRef.current = null;
      delete window.__remateSale;
    };
  }, [saleId, userId]);

  const bid = useCallback((lotId: string, amountCents: number) => {
    if (socketRef.current?.bid(lotId, amountCents)) dispatch({ type: 'bid_sent' });
    else dispatch({ type: 'notice', notice: { kind: 'error', key: 'sale.notConnected' } });
  }, []);
  const applySale = useCallback((sale: SaleView) => dispatch({ type: 'sale', sale }), []);
  const setPaddle = useCallback((paddle: number) => dispatch({ type: 'paddle', paddle }), []);
  const setNotice = useCallback((notice: SaleNotice | null) => dispatch({ type: 'notice', notice }), []);

  return { state, api, bid, applySale, setPaddle, setNotice };
}

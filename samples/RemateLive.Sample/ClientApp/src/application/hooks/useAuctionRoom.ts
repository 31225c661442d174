import { useCallback, useEffect, useReducer, useRef } from 'react';
import { AuctionSocket } from '@remate-live/client';
import { useApp } from '../context/AppContext';
import { initialRoomState, roomReducer, type RoomState } from '../roomReducer';

declare global {
  interface Window {
    /** Diagnostics hook used by the browser tests (drop the socket, read lastSeq). */
    __remate?: { drop(): void; lastSeq(): number; state(): string };
  }
}

export interface AuctionRoom {
  state: RoomState;
  placeBid(amountCents: number, maxAmountCents?: number): void;
  dismiss(id: number): void;
}

/**
 * The room's live state: one AuctionSocket (from @remate-live/client: resume, exactly-once bids,
 * clock offset, online/offline handling) per (auction, user), its messages folded by roomReducer.
 */
export function useAuctionRoom(auctionId: string): AuctionRoom {
  const { session, setSession, api, clock } = useApp();
  const [state, dispatch] = useReducer(roomReducer, initialRoomState);
  const socketRef = useRef<AuctionSocket | null>(null);
  const sessionRef = useRef(session);
  // Declared before the socket's effect, so the socket's callbacks always read the latest session.
  useEffect(() => {
    sessionRef.current = session;
  }, [session]);

  const username = session?.username;
  const displayName = session?.display_name;

  useEffect(() => {
    if (!username || !displayName) return;
    const socket = new AuctionSocket(
      auctionId,
      { username, display_name: displayName, token: sessionRef.current?.token },
      {
        snapshot: (payload) => dispatch({ type: 'snapshot', payload }),
        event: (event, mine) => dispatch({ type: 'event', event, mine }),
        bidError: (payload, mine) => dispatch({ type: 'bid_error', payload, mine }),
        message: (m) => {
          if (m.type === 'outbid') dispatch({ type: 'outbid', payload: m.payload });
          else if (m.type === 'user_joined' || m.type === 'user_left')
            dispatch({ type: 'presence', online_count: m.payload.online_count });
          else if (m.type === 'error')
            dispatch({ type: 'notice', notice: { kind: 'error', key: `error.${m.payload.code}`, params: { fallback: m.payload.error } } });
        },
        state: (s, attempt, retryInMs) => dispatch({ type: 'connection', state: s, attempt, retryInMs }),
        pending: (count) => dispatch({ type: 'pending', count }),
        authError: (code, error) => dispatch({ type: 'auth_error', code, error }),
        token: (token) => {
          const s = sessionRef.current;
          if (s && s.token !== token) setSession({ ...s, token });
        },
      },
      { clock, api },
    );
    socketRef.current = socket;
    socket.start();
    window.__remate = {
      drop: () => socket.drop(),
      lastSeq: () => socket.sequencer.lastSeq,
      state: () => socket.state,
    };
    return () => {
      socket.stop();
      socketRef.current = null;
      delete window.__remate;
    };
  }, [auctionId, username, displayName, api, clock, setSession]);

  const placeBid = useCallback((amount: number, max?: number) => {
    socketRef.current?.placeBid(amount, max);
  }, []);
  const dismiss = useCallback((id: number) => dispatch({ type: 'dismiss', id }), []);

  return { state, placeBid, dismiss };
}

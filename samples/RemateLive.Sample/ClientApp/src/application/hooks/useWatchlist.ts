import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Auction } from '../../domain/types';
import { ApiError } from '../../infrastructure/api';
import { useApp } from '../context/AppContext';

export interface Watchlist {
  /** The watched auctions, most recently watched first (null while loading). */
  auctions: Auction[] | null;
  ids: ReadonlySet<string>;
  /** An error code (`error.<code>` in i18n) of the last failed call, e.g. WATCHLIST_FULL. */
  error: string | null;
  toggle(auction: Auction): void;
}

/** The signed-in user's watchlist (`/api/me/watchlist`), with an optimistic star toggle. */
export function useWatchlist(): Watchlist {
  const { api, session } = useApp();
  const token = session?.token;
  const [auctions, setAuctions] = useState<Auction[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!token) return;
    let current = true;
    api.watchlist().then(
      (list) => {
        if (!current) return;
        setAuctions(list);
        setError(null);
      },
      (err: unknown) => current && setError(err instanceof ApiError ? err.code : 'network'),
    );
    return () => {
      current = false;
    };
  }, [api, token]);

  const toggle = useCallback(
    (auction: Auction) => {
      const watching = auctions?.some((a) => a.id === auction.id) ?? false;
      // Optimistic: the star answers at once; a failure puts it back and says why.
      setAuctions((list) => (watching ? (list ?? []).filter((a) => a.id !== auction.id) : [auction, ...(list ?? [])]));
      const call = watching ? api.unwatch(auction.id) : api.watch(auction.id);
      call.then(
        () => setError(null),
        (err: unknown) => {
          setError(err instanceof ApiError ? err.code : 'network');
          setAuctions((list) => (watching ? [auction, ...(list ?? [])] : (list ?? []).filter((a) => a.id !== auction.id)));
        },
      );
    },
    [api, auctions],
  );

  const ids = useMemo(() => new Set((auctions ?? []).map((a) => a.id)), [auctions]);
  return { auctions, ids, error, toggle };
}

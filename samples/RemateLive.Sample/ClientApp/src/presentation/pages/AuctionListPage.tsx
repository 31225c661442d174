import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { CatalogueQuery, CatalogueSort } from '@remate-live/client';
import { useApp } from '../../application/context/AppContext';
import { useDebouncedValue } from '../../application/hooks/useDebouncedValue';
import { useWatchlist } from '../../application/hooks/useWatchlist';
import type { Auction } from '../../domain/types';
import { AuctionCard } from '../components/AuctionCard';
import { Header } from '../components/Header';
import '../components/bidder.css';
import { SalesEntry } from './sale/SaleParts';

const REFRESH_MS = 4000;
const SEARCH_DEBOUNCE_MS = 300;
/** Auctions per page (the server allows 1–100). */
export const PAGE_SIZE = 12;
const STATUSES = ['open', 'scheduled', 'closed', 'cancelled'] as const;
const SORTS: CatalogueSort[] = ['ending_soon', 'newest', 'price_asc', 'price_desc'];
type StatusFilter = '' | (typeof STATUSES)[number];

/**
 * The catalogue: search (debounced), status filter and sort run on the server (`GET /api/auctions`), and
 * "Load more" follows the cursor of the `Link: rel="next"` header. While one page is shown it is
 * refreshed every few seconds for live prices.
 */
export function AuctionListPage() {
  const { t, api } = useApp();
  const ids = { search: useId(), searchHint: useId(), status: useId(), sort: useId() };
  const [text, setText] = useState('');
  const q = useDebouncedValue(text.trim(), SEARCH_DEBOUNCE_MS);
  const [status, setStatus] = useState<StatusFilter>('');
  const [sort, setSort] = useState<CatalogueSort>('ending_soon');
  const [auctions, setAuctions] = useState<Auction[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [pages, setPages] = useState(1);
  const [failed, setFailed] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const watchlist = useWatchlist();
  // Answers to an older query (or a refresh overtaken by a newer one) are dropped.
  const generation = useRef(0);

  const query = useMemo<CatalogueQuery>(
    () => ({ q: q || undefined, status: status || undefined, sort, limit: PAGE_SIZE }),
    [q, status, sort],
  );

  // Bumped to load the first page again (refresh, retry).
  const [refresh, setRefresh] = useState(0);

  useEffect(() => {
    const gen = ++generation.current;
    api.searchAuctions(query).then(
      (page) => {
        if (gen !== generation.current) return;
        setAuctions(page.items);
        setNextCursor(page.nextCursor);
        setPages(1);
        setFailed(false);
      },
      () => gen === generation.current && setFailed(true),
    );
  }, [api, query, refresh]);

  useEffect(() => {
    // Live prices on the first page; once more pages are loaded a refresh would lose the reader's place.
    if (pages > 1 || loadingMore) return;
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') setRefresh((n) => n + 1);
    }, REFRESH_MS);
    return () => clearInterval(id);
  }, [pages, loadingMore]);

  const loadMore = async () => {
    if (!nextCursor) return;
    const gen = ++generation.current;
    setLoadingMore(true);
    try {
      const page = await api.searchAuctions({ ...query, cursor: nextCursor });
      if (gen !== generation.current) return;
      setAuctions((list) => {
        const have = new Set((list ?? []).map((a) => a.id));
        return [...(list ?? []), ...page.items.filter((a) => !have.has(a.id))];
      });
      setNextCursor(page.nextCursor);
      setPages((n) => n + 1);
      setFailed(false);
    } catch {
      if (gen === generation.current) setFailed(true);
    } finally {
      setLoadingMore(false);
    }
  };

  const filtered = q !== '' || status !== '';

  return (
    <>
      <Header />
      <main className="list-page">
        <SalesEntry />
        <h1>{t('list.heading')}</h1>
        <form className="catalogue-controls" role="search" onSubmit={(e) => e.preventDefault()}>
          <div className="field catalogue-search">
            <label htmlFor={ids.search}>{t('catalogue.search')}</label>
            <input
              id={ids.search}
              type="search"
              data-testid="catalogue-search"
              autoComplete="off"
              maxLength={200}
              value={text}
              aria-describedby={ids.searchHint}
              onChange={(e) => setText(e.target.value)}
            />
            <small id={ids.searchHint} className="hint">
              {t('catalogue.searchHint')}
            </small>
          </div>
          <div className="field">
            <label htmlFor={ids.status}>{t('catalogue.status')}</label>
            <select
              id={ids.status}
              data-testid="catalogue-status"
              value={status}
              onChange={(e) => setStatus(e.target.value as StatusFilter)}
            >
              <option value="">{t('catalogue.statusAll')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.sort}>{t('catalogue.sort')}</label>
            <select id={ids.sort} data-testid="catalogue-sort" value={sort} onChange={(e) => setSort(e.target.value as CatalogueSort)}>
              {SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`catalogue.sort.${s}`)}
                </option>
              ))}
            </select>
          </div>
        </form>
        {failed && (
          <p className="field-error" role="alert">
            {t('list.error')}{' '}
            <button type="button" className="btn-link" onClick={() => setRefresh((n) => n + 1)}>
              {t('list.retry')}
            </button>
          </p>
        )}
        {!auctions && !failed && <p className="muted">{t('list.loading')}</p>}
        {auctions && auctions.length === 0 && <p className="muted">{filtered ? t('catalogue.noMatch') : t('list.empty')}</p>}
        <ul className="auction-grid" data-testid="auction-list">
          {auctions?.map((a) => (
            <AuctionCard key={a.id} auction={a} watched={watchlist.ids.has(a.id)} onToggleWatch={() => watchlist.toggle(a)} />
          ))}
        </ul>
        {watchlist.error && (
          <p className="field-error" role="alert">
            {t('watch.error', { error: t(`error.${watchlist.error}`, { fallback: watchlist.error }) })}
          </p>
        )}
        <div className="catalogue-more">
          {auctions && auctions.length > 0 && (
            <p className="muted small" role="status" data-testid="catalogue-count">
              {t('catalogue.shown', { count: auctions.length })}
            </p>
          )}
          {nextCursor && (
            <button
              type="button"
              className="btn btn-secondary"
              data-testid="load-more"
              disabled={loadingMore}
              aria-busy={loadingMore}
              onClick={() => void loadMore()}
            >
              {loadingMore ? t('catalogue.loadingMore') : t('catalogue.loadMore')}
            </button>
          )}
        </div>
      </main>
    </>
  );
}

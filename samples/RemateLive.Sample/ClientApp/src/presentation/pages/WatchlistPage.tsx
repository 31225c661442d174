import { useApp } from '../../application/context/AppContext';
import { useWatchlist } from '../../application/hooks/useWatchlist';
import { AuctionCard } from '../components/AuctionCard';
import { Header } from '../components/Header';
import '../components/bidder.css';

/** "Watching" (`GET /api/me/watchlist`): the watched auctions, most recently watched first; the star stops watching. */
export function WatchlistPage() {
  const { t } = useApp();
  const { auctions, ids, error, toggle } = useWatchlist();
  return (
    <>
      <Header />
      <main className="list-page">
        <h1>{t('watch.heading')}</h1>
        {error && (
          <p className="field-error" role="alert">
            {t('watch.error', { error: t(`error.${error}`, { fallback: error }) })}
          </p>
        )}
        {!auctions && !error && <p className="muted">{t('watch.loading')}</p>}
        {auctions && auctions.length === 0 && <p className="muted">{t('watch.empty')}</p>}
        <ul className="auction-grid" data-testid="watchlist">
          {auctions?.map((a) => (
            <AuctionCard key={a.id} auction={a} watched={ids.has(a.id)} onToggleWatch={() => toggle(a)} />
          ))}
        </ul>
      </main>
    </>
  );
}

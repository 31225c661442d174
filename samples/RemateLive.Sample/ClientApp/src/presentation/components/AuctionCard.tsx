import { useApp } from '../../application/context/AppContext';
import type { Auction } from '../../domain/types';
import { ImageIcon } from './Icons';
import { Timer } from './Timer';
import { WatchButton } from './WatchButton';

/** One auction in a grid (catalogue, watchlist): a link to its room, with the watch star beside it (not inside the link). */
export function AuctionCard({ auction: a, watched, onToggleWatch }: { auction: Auction; watched: boolean; onToggleWatch(): void }) {
  const { t, money, navigate } = useApp();
  return (
    <li className="card auction-card" data-auction-id={a.id} data-testid="auction-card">
      <a
        href={`/auctions/${a.id}`}
        className="auction-card-link"
        onClick={(e) => {
          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          navigate(`/auctions/${a.id}`);
        }}
      >
        {a.image_url ? (
          <img className="auction-card-image" src={a.image_url} alt="" loading="lazy" />
        ) : (
          <div className="auction-card-image item-image-placeholder" aria-hidden="true">
            <ImageIcon />
          </div>
        )}
        <div className="auction-card-body">
          <div className="auction-card-top">
            <h2 className="auction-card-title">{a.title}</h2>
            <span className={`status status-${a.status}`}>{t(`status.${a.status}`)}</span>
          </div>
          <p className="auction-card-price" data-testid="list-price" data-cents={a.current_price_cents}>
            {money(a.current_price_cents, a.currency)}
          </p>
          <p className="muted small">
            {a.bid_count === 1 ? t('list.bidsOne') : t('list.bids', { count: a.bid_count })}
            {a.leader_name ? ` · ${t('list.leader', { name: a.leader_name })}` : ''}
          </p>
          <Timer endsAt={a.ends_at} startsAt={a.starts_at} status={a.status} compact />
        </div>
      </a>
      <WatchButton title={a.title} watched={watched} onToggle={onToggleWatch} />
    </li>
  );
}

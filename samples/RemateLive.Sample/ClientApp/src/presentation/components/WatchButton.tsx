import { useApp } from '../../application/context/AppContext';
import { StarIcon } from './Icons';
import './bidder.css';

/** The watchlist star: a toggle button (aria-pressed) named after the auction it watches. */
export function WatchButton({ title, watched, onToggle }: { title: string; watched: boolean; onToggle(): void }) {
  const { t } = useApp();
  return (
    <button
      type="button"
      className={`watch-star${watched ? ' watch-star-on' : ''}`}
      data-testid="watch-toggle"
      aria-pressed={watched}
      aria-label={watched ? t('watch.remove', { title }) : t('watch.add', { title })}
      title={watched ? t('watch.remove', { title }) : t('watch.add', { title })}
      onClick={onToggle}
    >
      <StarIcon fill={watched ? 'currentColor' : 'none'} stroke="currentColor" strokeWidth={2} />
    </button>
  );
}

import { useApp } from '../../application/context/AppContext';
import './bidder.css';

const LINKS = [
  { to: '/', key: 'nav.catalogue', testId: 'nav-catalogue' },
  { to: '/me/bids', key: 'nav.myBids', testId: 'nav-my-bids' },
  { to: '/me/watchlist', key: 'nav.watching', testId: 'nav-watching' },
] as const;

/** The bidder's pages: the catalogue, "My bids" and the watchlist. */
export function BidderNav() {
  const { t, path, navigate, session } = useApp();
  if (!session) return null;
  return (
    <nav className="bidder-nav" aria-label={t('nav.label')}>
      {LINKS.map((l) => (
        <a
          key={l.to}
          href={l.to}
          data-testid={l.testId}
          aria-current={path === l.to ? 'page' : undefined}
          onClick={(e) => {
            if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
            e.preventDefault();
            navigate(l.to);
          }}
        >
          {t(l.key)}
        </a>
      ))}
    </nav>
  );
}

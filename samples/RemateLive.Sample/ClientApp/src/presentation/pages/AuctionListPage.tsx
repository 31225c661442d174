import { useCallback, useEffect, useState } from 'react';
import { useApp } from '../../application/context/AppContext';
import { ImageIcon } from '../components/Icons';
import type { Auction } from '../../domain/types';
import { Header } from '../components/Header';
import { Timer } from '../components/Timer';
import { SalesEntry } from './sale/SaleParts';

const REFRESH_MS = 4000;
const ORDER: Record<string, number> = { open: 0, scheduled: 1, closed: 2, cancelled: 3 };

export function AuctionListPage() {
  const { t, api, money, navigate } = useApp();
  const [auctions, setAuctions] = useState<Auction[] | null>(null);
  const [failed, setFailed] = useState(false);

  const load = useCallback(async () => {
    try {
      const list = await api.listAuctions();
      setAuctions(list);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [api]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- load() sets state only after awaiting the request
    void load();
    // Live prices: poll while the page is visible (the room has the socket; the list stays light).
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, REFRESH_MS);
    return () => clearInterval(id);
  }, [load]);

  const sorted = auctions
    ? [...auctions].sort((a, b) => (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) || Date.parse(a.ends_at) - Date.parse(b.ends_at))
    : null;

  return (
    <>
      <Header />
      <main className="list-page">
        <SalesEntry />
        <h1>{t('list.heading')}</h1>
        {failed && (
          <p className="field-error" role="alert">
            {t('list.error')}{' '}
            <button type="button" className="btn-link" onClick={() => void load()}>
              {t('list.retry')}
            </button>
          </p>
        )}
        {!sorted && !failed && <p className="muted">{t('list.loading')}</p>}
        {sorted && sorted.length === 0 && <p className="muted">{t('list.empty')}</p>}
        <ul className="auction-grid" data-testid="auction-list">
          {sorted?.map((a) => (
            <li key={a.id} className="card auction-card" data-auction-id={a.id}>
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
                  <p className="auction-card-price" data-testid="list-price">
                    {money(a.current_price_cents, a.currency)}
                  </p>
                  <p className="muted small">
                    {a.bid_count === 1 ? t('list.bidsOne') : t('list.bids', { count: a.bid_count })}
                    {a.leader_name ? ` · ${t('list.leader', { name: a.leader_name })}` : ''}
                  </p>
                  <Timer endsAt={a.ends_at} startsAt={a.starts_at} status={a.status} compact />
                </div>
              </a>
            </li>
          ))}
        </ul>
      </main>
    </>
  );
}

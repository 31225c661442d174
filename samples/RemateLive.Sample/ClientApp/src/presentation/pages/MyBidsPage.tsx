import { useEffect, useState } from 'react';
import type { MyBid } from '@remate-live/client';
import { useApp } from '../../application/context/AppContext';
import { Header } from '../components/Header';
import { Timer } from '../components/Timer';
import '../components/bidder.css';

const REFRESH_MS = 4000;
const ACTIVE = new Set(['leading', 'outbid']);

/** One auction the user bid on: where they stand, their highest bid, their maximum (only while leading). */
function MyBidRow({ item }: { item: MyBid }) {
  const { t, money, navigate } = useApp();
  const a = item.auction;
  const c = a.currency;
  const finished = !ACTIVE.has(item.status);
  return (
    <li className="card my-bid" data-testid="my-bid" data-auction-id={a.id} data-status={item.status}>
      <div className="my-bid-head">
        <h3 className="my-bid-title">
          <a
            href={`/auctions/${a.id}`}
            onClick={(e) => {
              if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
              e.preventDefault();
              navigate(`/auctions/${a.id}`);
            }}
          >
            {a.title}
          </a>
        </h3>
        <span className={`my-bid-status my-bid-status-${item.status}`} data-testid="my-bid-status">
          {t(`myBids.status.${item.status}`)}
        </span>
      </div>
      <dl className="my-bid-facts">
        <div>
          <dt>{t('myBids.yourBid')}</dt>
          <dd data-testid="my-bid-highest">{money(item.highest_bid_cents, c)}</dd>
        </div>
        <div>
          <dt>{finished ? t('myBids.finalPrice') : t('myBids.price')}</dt>
          <dd data-testid="my-bid-price">{money(a.current_price_cents, c)}</dd>
        </div>
        {item.max_cents != null && (
          <div>
            <dt>{t('myBids.yourMax')}</dt>
            <dd data-testid="my-bid-max">{money(item.max_cents, c)}</dd>
          </div>
        )}
      </dl>
      <Timer endsAt={a.ends_at} startsAt={a.starts_at} status={a.status} compact />
    </li>
  );
}

/** "My bids" (`GET /api/me/bids`): auctions in progress (leading / outbid) and finished ones (won / lost / cancelled). */
export function MyBidsPage() {
  const { t, api } = useApp();
  const [items, setItems] = useState<MyBid[] | null>(null);
  const [failed, setFailed] = useState(false);

  // Bumped to load again (refresh, retry).
  const [refresh, setRefresh] = useState(0);

  useEffect(() => {
    let current = true;
    api.myBids().then(
      (list) => {
        if (!current) return;
        setItems(list);
        setFailed(false);
      },
      () => current && setFailed(true),
    );
    return () => {
      current = false;
    };
  }, [api, refresh]);

  useEffect(() => {
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') setRefresh((n) => n + 1);
    }, REFRESH_MS);
    return () => clearInterval(id);
  }, []);

  const active = items?.filter((i) => ACTIVE.has(i.status)) ?? [];
  const finished = items?.filter((i) => !ACTIVE.has(i.status)) ?? [];

  return (
    <>
      <Header />
      <main className="list-page my-bids-page">
        <h1>{t('myBids.heading')}</h1>
        {failed && (
          <p className="field-error" role="alert">
            {t('myBids.error')}{' '}
            <button type="button" className="btn-link" onClick={() => setRefresh((n) => n + 1)}>
              {t('list.retry')}
            </button>
          </p>
        )}
        {!items && !failed && <p className="muted">{t('myBids.loading')}</p>}
        {items && items.length === 0 && <p className="muted">{t('myBids.empty')}</p>}
        {items && items.length > 0 && (
          <>
            <section aria-labelledby="my-bids-active">
              <h2 id="my-bids-active">{t('myBids.active')}</h2>
              {active.length === 0 ? (
                <p className="muted">{t('myBids.noneActive')}</p>
              ) : (
                <ul className="my-bids" data-testid="my-bids-active">
                  {active.map((i) => (
                    <MyBidRow key={i.auction.id} item={i} />
                  ))}
                </ul>
              )}
            </section>
            <section aria-labelledby="my-bids-finished">
              <h2 id="my-bids-finished">{t('myBids.finished')}</h2>
              {finished.length === 0 ? (
                <p className="muted">{t('myBids.noneFinished')}</p>
              ) : (
                <ul className="my-bids" data-testid="my-bids-finished">
                  {finished.map((i) => (
                    <MyBidRow key={i.auction.id} item={i} />
                  ))}
                </ul>
              )}
            </section>
          </>
        )}
      </main>
    </>
  );
}

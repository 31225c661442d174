import { useApp } from '../../application/context/AppContext';
import type { Bid } from '../../domain/types';

export function BidHistory({ bids, currency, myPaddle }: { bids: Bid[]; currency: string; myPaddle: number | null }) {
  const { t, money, locale } = useApp();
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const newest = bids[0];
  return (
    <section className="card history" aria-labelledby="history-heading">
      <h2 id="history-heading">
        {t('history.heading')} <span className="count-badge">{bids.length}</span>
      </h2>
      {/* Screen readers hear each new bid once; the list itself is not live (it would re-read everything). */}
      <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="bid-announcer">
        {newest ? t('history.announce', { name: newest.bidder_name, amount: money(newest.amount_cents, currency) }) : ''}
      </p>
      {bids.length === 0 ? (
        <p className="muted">{t('history.empty')}</p>
      ) : (
        <ol className="history-list" data-testid="bid-history" reversed>
          {bids.map((b, i) => (
            <li
              key={b.seq}
              className={`history-row${i === 0 ? ' history-top' : ''}${b.yours || (myPaddle != null && b.paddle === myPaddle) ? ' history-mine' : ''}`}
              data-seq={b.seq}
              data-amount={b.amount_cents}
              data-bidder={b.bidder_name}
            >
              <span className="history-who">
                {b.bidder_name}
                {b.paddle ? (
                  <span className="paddle-tag" title={t('history.paddle', { n: b.paddle })}>
                    #{b.paddle}
                  </span>
                ) : null}
                {b.kind === 'proxy' && <span className="kind-tag">{t('history.proxy')}</span>}
                {b.kind === 'buy_now' && <span className="kind-tag">{t('history.buyNow')}</span>}
              </span>
              <span className="history-amount">{money(b.amount_cents, currency)}</span>
              <time className="history-time" dateTime={b.placed_at}>
                {time.format(new Date(b.placed_at))}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

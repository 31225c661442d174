import { useApp } from '../../application/context/AppContext';
import { ImageIcon } from './Icons';
import type { Auction } from '../../domain/types';

export function AuctionItem({ auction, leaderIsMe }: { auction: Auction; leaderIsMe: boolean }) {
  const { t, money } = useApp();
  const c = auction.currency;
  return (
    <section className="card item" aria-labelledby="item-title">
      {auction.image_url ? (
        <img className="item-image" src={auction.image_url} alt="" loading="lazy" />
      ) : (
        <div className="item-image item-image-placeholder" aria-hidden="true">
          <ImageIcon />
        </div>
      )}
      <div className="item-body">
        <div className="item-title-row">
          <h1 id="item-title">{auction.title}</h1>
          <span className={`status status-${auction.status}`}>{t(`status.${auction.status}`)}</span>
        </div>
        {auction.description && <p className="item-description">{auction.description}</p>}
        <dl className="item-facts">
          <div className="fact fact-price">
            <dt>{t('item.currentPrice')}</dt>
            <dd className="price" data-testid="current-price" data-cents={auction.current_price_cents}>
              {money(auction.current_price_cents, c)}
            </dd>
          </div>
          <div className="fact">
            <dt>{t('item.bids')}</dt>
            <dd data-testid="bid-count">{auction.bid_count}</dd>
          </div>
          <div className="fact">
            <dt>{t(auction.status === 'closed' ? 'item.winner' : 'item.leader')}</dt>
            <dd data-testid="leader">
              {auction.leader_name ? (
                <>
                  {auction.leader_name}
                  {leaderIsMe && <span className="you-tag"> ({t('item.you')})</span>}
                </>
              ) : (
                <span className="muted">{t('item.noBids')}</span>
              )}
            </dd>
          </div>
          <div className="fact">
            <dt>{t('item.startingPrice')}</dt>
            <dd>{money(auction.starting_price_cents, c)}</dd>
          </div>
        </dl>
        <div className="item-tags">
          {auction.reserve_met !== null && auction.reserve_met !== undefined && (
            <span className={`tag ${auction.reserve_met ? 'tag-ok' : 'tag-warn'}`}>
              {auction.reserve_met ? t('item.reserveMet') : t('item.reserveNotMet')}
            </span>
          )}
          {auction.buy_now_price_cents != null && auction.status === 'open' && (
            <span className="tag">
              {t('item.buyNow')}: {money(auction.buy_now_price_cents, c)}
            </span>
          )}
          {auction.extensions > 0 && <span className="tag tag-info">{t('item.extensions', { count: auction.extensions })}</span>}
        </div>
      </div>
    </section>
  );
}

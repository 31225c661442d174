import { useState } from 'react';
import { useApp } from '../../application/context/AppContext';
import type { Auction } from '../../domain/types';
import { ConfirmDialog } from './ConfirmDialog';
import './BuyNowPanel.css';

/**
 * Buy-now while the auction offers it (`buy_now_price_cents`, until the first bid or the reserve is met):
 * a bid at that price, after a confirmation, ends the auction at once with this bidder as the winner.
 */
export function BuyNowPanel({ auction, pending, onBuy }: { auction: Auction; pending: boolean; onBuy(amountCents: number): void }) {
  const { t, money } = useApp();
  const [confirming, setConfirming] = useState(false);
  const price = auction.buy_now_price_cents;
  if (auction.status !== 'open' || price == null) return null;
  const amount = money(price, auction.currency);
  return (
    <section className="card buy-now-card" aria-labelledby="buy-now-heading" data-testid="buy-now-panel">
      <h2 id="buy-now-heading">{t('buyNow.heading')}</h2>
      <p className="muted small">{t('buyNow.text', { amount })}</p>
      <button type="button" className="btn btn-primary btn-quick" data-testid="buy-now" disabled={pending} onClick={() => setConfirming(true)}>
        {t('buyNow.button', { amount })}
      </button>
      <ConfirmDialog
        open={confirming}
        title={t('buyNow.confirmTitle', { amount })}
        confirmLabel={t('buyNow.confirm', { amount })}
        cancelLabel={t('buyNow.keepBidding')}
        onConfirm={() => {
          setConfirming(false);
          onBuy(price);
        }}
        onCancel={() => setConfirming(false)}
        testId="buy-now-dialog"
      >
        <p>{t('buyNow.confirmText', { amount, title: auction.title })}</p>
      </ConfirmDialog>
    </section>
  );
}

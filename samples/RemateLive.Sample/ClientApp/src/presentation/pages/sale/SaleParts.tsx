import type { MouseEvent, ReactNode } from 'react';
import { useApp } from '../../../application/context/AppContext';
import type { LotResult, SaleNotice } from '../../../application/saleReducer';
import type { SaleEvent, SaleStatus, SaleView } from '../../../domain/sale';
import { eventText, noticeText, sourceText } from './saleText';
import './sale.css';

/** An in-app link (history API), like the rest of the UI's links. */
export function AppLink({ to, className, children, testId }: { to: string; className?: string; children: ReactNode; testId?: string }) {
  const { navigate } = useApp();
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} className={className} onClick={onClick} data-testid={testId}>
      {children}
    </a>
  );
}

export function SaleStatusBadge({ status }: { status: SaleStatus }) {
  const { t } = useApp();
  return (
    <span className={`status sale-status sale-status-${status}`} data-testid="sale-status" data-status={status}>
      {t(`sale.status.${status}`)}
    </span>
  );
}

/** The entry point on the main page. */
export function SalesEntry() {
  const { t } = useApp();
  return (
    <section className="card sales-entry" aria-labelledby="sales-entry-heading">
      <h2 id="sales-entry-heading">{t('sale.entry.heading')}</h2>
      <p className="muted">{t('sale.entry.text')}</p>
      <AppLink to="/sales" className="btn btn-secondary" testId="sales-entry-link">
        {t('sale.entry.link')}
      </AppLink>
    </section>
  );
}

/** Sold / passed / withdrawn: the outcome of the lot last called. */
export function LotResultBanner({ sale, result, yourPaddle }: { sale: SaleView; result: LotResult; yourPaddle: number | null }) {
  const { t, money } = useApp();
  const lot = sale.lots.find((l) => l.id === result.lotId);
  if (!lot) return null;
  let text: string;
  if (result.outcome === 'sold' && lot.leading_bid_cents != null) {
    const mine = yourPaddle != null && lot.leading_paddle === yourPaddle && lot.leading_source !== 'floor';
    text = mine
      ? t('sale.result.soldYou', { n: lot.number, amount: money(lot.leading_bid_cents, sale.currency) })
      : t('sale.result.sold', {
          n: lot.number,
          amount: money(lot.leading_bid_cents, sale.currency),
          paddle: lot.leading_paddle ?? '',
          source: sourceText(t, lot.leading_source),
        });
  } else {
    text = t(`sale.result.${result.outcome === 'sold' ? 'passed' : result.outcome}`, { n: lot.number });
  }
  return (
    <p
      className={`lot-result lot-result-${result.outcome}`}
      role="status"
      data-testid="lot-result"
      data-lot-number={lot.number}
      data-outcome={result.outcome}
    >
      {text}
    </p>
  );
}

export function SaleNoticeBar({ notice, onDismiss }: { notice: SaleNotice | null; onDismiss(): void }) {
  const { t } = useApp();
  if (!notice) return null;
  return (
    <div className={`sale-notice sale-notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="sale-notice">
      <span>{noticeText(t, notice)}</span>
      <button type="button" className="btn-link" onClick={onDismiss}>
        {t('notice.dismiss')}
      </button>
    </div>
  );
}

/** The sale's event stream, newest first. */
export function SaleEventLog({ sale, log }: { sale: SaleView; log: SaleEvent[] }) {
  const { t, money } = useApp();
  return (
    <section className="card sale-log" aria-labelledby="sale-log-heading">
      <h2 id="sale-log-heading">{t('sale.console.events')}</h2>
      {log.length === 0 ? (
        <p className="muted">{t('sale.console.eventsEmpty')}</p>
      ) : (
        <ol className="sale-log-list" data-testid="sale-log" aria-live="polite" aria-relevant="additions">
          {log.map((e) => (
            <li key={e.payload.seq} data-seq={e.payload.seq} data-type={e.type} className={`sale-log-${e.type}`}>
              <span className="sale-log-seq">#{e.payload.seq}</span> {eventText(t, money, sale, e)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

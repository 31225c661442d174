import { useState } from 'react';
import { useApp } from '../../../application/context/AppContext';
import { useSaleRoom } from '../../../application/hooks/useSaleRoom';
import { currentLot, type LotView, type SaleView } from '../../../domain/sale';
import type { AbsenteeBidAccepted } from '../../../infrastructure/saleApi';
import { Header } from '../../components/Header';
import { AbsenteeBidForm } from './AbsenteeBidForm';
import { AppLink, LotResultBanner, SaleNoticeBar, SaleStatusBadge } from './SaleParts';
import { canRunSale, sourceText } from './saleText';

/** The leading bid of a lot: amount, paddle and where it came from (never a name). */
export function LeadingBid({ lot, currency }: { lot: LotView; currency: string }) {
  const { t, money } = useApp();
  return (
    <div className="sale-figure">
      <span className="sale-figure-label">{t('sale.leading')}</span>
      <span
        className="sale-leading"
        data-testid="leading-bid"
        data-cents={lot.leading_bid_cents ?? ''}
        data-paddle={lot.leading_paddle ?? ''}
        data-source={lot.leading_source ?? ''}
      >
        {lot.leading_bid_cents == null
          ? t('sale.noBids')
          : t('sale.leadingBy', {
              amount: money(lot.leading_bid_cents, currency),
              paddle: lot.leading_paddle ?? '',
              source: sourceText(t, lot.leading_source),
            })}
      </span>
    </div>
  );
}

export function LotHeading({ lot }: { lot: LotView }) {
  const { t } = useApp();
  return (
    <>
      <p className="lot-number" data-testid="lot-number">
        {t('sale.lotNumber', { n: lot.number })}
      </p>
      <h2 className="lot-title" data-testid="lot-title">
        {lot.title}
      </h2>
      {lot.description && <p className="muted">{lot.description}</p>}
    </>
  );
}

export function FairWarningBanner() {
  const { t } = useApp();
  return (
    <p className="fair-warning" role="alert" data-testid="fair-warning">
      {t('sale.fairWarning')}
    </p>
  );
}

function idleText(sale: SaleView): string {
  if (sale.status === 'ended') return 'sale.ended';
  if (sale.status === 'scheduled') return 'sale.scheduled';
  return 'sale.waiting';
}

/** `/sales/:id`: follows the lot on offer by itself; the asking price is the one-click bid. */
export function SaleBidderPage({ saleId }: { saleId: string }) {
  const { t, money, session } = useApp();
  const room = useSaleRoom(saleId);
  const { state } = room;
  const [absentees, setAbsentees] = useState<Record<string, AbsenteeBidAccepted>>({});
  const sale = state.sale;
  const lot = sale ? currentLot(sale) : null;
  const youLead = lot != null && state.yourPaddle != null && lot.leading_paddle === state.yourPaddle && lot.leading_source !== 'floor';
  const canBid =
    lot != null &&
    lot.asking_price_cents != null &&
    sale?.status === 'running' &&
    state.connection === 'open' &&
    !state.bidding &&
    !youLead;

  return (
    <>
      <Header connection={state.connection} retryInMs={state.retryInMs} />
      <main className="sale-page">
        <nav className="breadcrumbs sale-nav">
          <AppLink to="/sales">← {t('sale.back')}</AppLink>
          {canRunSale(session?.role) && (
            <AppLink to={`/sales/${saleId}/console`} testId="to-console">
              {t('sale.consoleLink')}
            </AppLink>
          )}
        </nav>
        {state.authError && (
          <p className="field-error" role="alert">
            {t('sale.authError', { error: t(`error.${state.authError.code}`, { fallback: state.authError.error }) })}
          </p>
        )}
        {!sale && !state.authError && <p className="muted">{t('sale.loading')}</p>}
        {sale && (
          <>
            <div className="sale-head">
              <h1 data-testid="sale-title">{sale.title}</h1>
              <SaleStatusBadge status={sale.status} />
              <span className="muted" data-testid="your-paddle" data-paddle={state.yourPaddle ?? ''}>
                {state.yourPaddle != null ? t('sale.yourPaddle', { paddle: state.yourPaddle }) : t('sale.noPaddle')}
              </span>
            </div>
            <SaleNoticeBar notice={state.notice} onDismiss={() => room.setNotice(null)} />
            {sale.status === 'paused' && (
              <p className="sale-paused" role="status" data-testid="sale-paused">
                {t('sale.paused')}
              </p>
            )}
            {state.lastResult && <LotResultBanner sale={sale} result={state.lastResult} yourPaddle={state.yourPaddle} />}
            <div className="sale-grid">
              <section
                className={`card current-lot${lot?.status === 'fair_warning' ? ' is-fair-warning' : ''}`}
                aria-labelledby="current-lot-heading"
                data-testid="current-lot"
                data-lot-id={lot?.id ?? ''}
                data-lot-number={lot?.number ?? ''}
                data-status={lot?.status ?? ''}
              >
                <h2 id="current-lot-heading" className="sr-only">
                  {t('sale.console.rostrum')}
                </h2>
                {!lot && <p className="muted">{t(idleText(sale))}</p>}
                {lot && (
                  <>
                    <LotHeading lot={lot} />
                    {lot.status === 'fair_warning' && <FairWarningBanner />}
                    <div className="sale-figures">
                      <div className="sale-figure">
                        <span className="sale-figure-label">{t('sale.asking')}</span>
                        <span className="sale-asking" data-testid="asking-price" data-cents={lot.asking_price_cents ?? ''}>
                          {lot.asking_price_cents != null ? money(lot.asking_price_cents, sale.currency) : '—'}
                        </span>
                      </div>
                      <LeadingBid lot={lot} currency={sale.currency} />
                    </div>
                    {youLead && (
                      <p className="tag tag-ok" data-testid="sale-you-lead">
                        {t('sale.youLead')}
                      </p>
                    )}
                    {lot.asking_price_cents != null && (
                      <button
                        type="button"
                        className="btn btn-primary btn-quick sale-bid"
                        data-testid="sale-bid"
                        disabled={!canBid}
                        aria-busy={state.bidding}
                        onClick={() => room.bid(lot.id, lot.asking_price_cents!)}
                      >
                        {state.bidding ? t('sale.bidding') : t('sale.bidAt', { amount: money(lot.asking_price_cents, sale.currency) })}
                      </button>
                    )}
                  </>
                )}
              </section>
              <section className="card sale-catalogue" aria-labelledby="catalogue-heading">
                <h2 id="catalogue-heading">{t('sale.catalogue')}</h2>
                <ol className="lot-list" data-testid="lot-list">
                  {sale.lots.map((l) => (
                    <li key={l.id} className={`lot-row lot-row-${l.status}`} data-lot-number={l.number} data-status={l.status}>
                      <div className="lot-row-top">
                        <span className="lot-row-title">
                          {t('sale.lotNumber', { n: l.number })} · {l.title}
                        </span>
                        <span className={`status lot-status lot-status-${l.status}`}>{t(`sale.lotStatus.${l.status}`)}</span>
                      </div>
                      <p className="muted small">
                        {l.status === 'sold' && l.leading_bid_cents != null
                          ? t('sale.soldFor', {
                              amount: money(l.leading_bid_cents, sale.currency),
                              paddle: l.leading_paddle ?? '',
                              source: sourceText(t, l.leading_source),
                            })
                          : t('sale.startingPrice', { amount: money(l.starting_price_cents, sale.currency) })}
                      </p>
                      {l.status === 'pending' && sale.status !== 'ended' && (
                        <AbsenteeBidForm
                          api={room.api}
                          saleId={saleId}
                          currency={sale.currency}
                          lot={l}
                          placed={absentees[l.id]}
                          onPlaced={(a) => {
                            setAbsentees((m) => ({ ...m, [l.id]: a }));
                            room.setPaddle(a.paddle);
                          }}
                        />
                      )}
                    </li>
                  ))}
                </ol>
              </section>
            </div>
          </>
        )}
      </main>
    </>
  );
}

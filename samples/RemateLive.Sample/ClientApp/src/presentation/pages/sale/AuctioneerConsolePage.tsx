import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '@remate-live/client';
import { useApp } from '../../../application/context/AppContext';
import { useSaleRoom } from '../../../application/hooks/useSaleRoom';
import { parseMoneyInput } from '../../../domain/money';
import { askingJumps, currentLot, nextPendingLot } from '../../../domain/sale';
import type { AuctioneerAction } from '../../../infrastructure/saleApi';
import { Header } from '../../components/Header';
import { FairWarningBanner, LeadingBid, LotHeading } from './SaleBidderPage';
import { AppLink, LotResultBanner, SaleEventLog, SaleNoticeBar, SaleStatusBadge } from './SaleParts';
import { canRunSale } from './saleText';

/** Paddle numbers the house hands out in the room (online and absentee ones start at 1001). */
const MAX_FLOOR_PADDLE = 1000;

/** `/sales/:id/console`: the rostrum. Every action is a REST command; its answer is the sale after it. */
export function AuctioneerConsolePage({ saleId }: { saleId: string }) {
  const { t, money, session } = useApp();
  const room = useSaleRoom(saleId);
  const { state } = room;
  const [busy, setBusy] = useState(false);
  const [custom, setCustom] = useState('');
  const [paddle, setPaddle] = useState('');
  const [formError, setFormError] = useState<{ field: 'custom' | 'paddle'; text: string } | null>(null);
  const ids = { custom: useId(), paddle: useId(), customErr: useId(), paddleErr: useId() };

  if (!canRunSale(session?.role)) {
    return (
      <>
        <Header />
        <main className="sale-page">
          <p className="field-error" role="alert" data-testid="console-forbidden">
            {t('sale.console.forbidden')}
          </p>
          <AppLink to={`/sales/${saleId}`}>{t('sale.bidderLink')}</AppLink>
        </main>
      </>
    );
  }

  const sale = state.sale;
  const lot = sale ? currentLot(sale) : null;
  const next = sale ? nextPendingLot(sale) : null;
  const running = sale?.status === 'running';
  const c = sale?.currency ?? 'USD';

  const run = async (command: AuctioneerAction) => {
    setBusy(true);
    room.setNotice(null);
    try {
      room.applySale(await room.api.command(saleId, command));
      return true;
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'network';
      room.setNotice({ kind: 'error', key: `sale.error.${code}`, params: { fallback: err instanceof Error ? err.message : '' } });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const setAsking = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseMoneyInput(custom, c);
    if (!parsed.ok) return setFormError({ field: 'custom', text: t('sale.console.badAmount') });
    setFormError(null);
    if (await run({ action: 'set_asking', amount_cents: parsed.cents })) setCustom('');
  };

  const floorBid = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(paddle.trim());
    if (!Number.isInteger(n) || n < 1 || n > MAX_FLOOR_PADDLE) return setFormError({ field: 'paddle', text: t('sale.console.badPaddle') });
    if (!lot || lot.asking_price_cents == null) return;
    setFormError(null);
    if (await run({ action: 'floor_bid', paddle: n, amount_cents: lot.asking_price_cents })) setPaddle('');
  };

  const onOffer = lot != null && running;
  return (
    <>
      <Header connection={state.connection} retryInMs={state.retryInMs} />
      <main className="sale-page console-page">
        <nav className="breadcrumbs sale-nav">
          <AppLink to="/sales">← {t('sale.back')}</AppLink>
          <AppLink to={`/sales/${saleId}`} testId="to-bidder-view">
            {t('sale.bidderLink')}
          </AppLink>
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
              <h1>
                {t('sale.console.heading')}: <span data-testid="sale-title">{sale.title}</span>
              </h1>
              <SaleStatusBadge status={sale.status} />
            </div>
            <SaleNoticeBar notice={state.notice} onDismiss={() => room.setNotice(null)} />
            {state.lastResult && <LotResultBanner sale={sale} result={state.lastResult} yourPaddle={null} />}
            <div className="sale-grid">
              <div className="console-main">
                <section
                  className={`card current-lot${lot?.status === 'fair_warning' ? ' is-fair-warning' : ''}`}
                  aria-labelledby="rostrum-heading"
                  data-testid="current-lot"
                  data-lot-id={lot?.id ?? ''}
                  data-lot-number={lot?.number ?? ''}
                  data-status={lot?.status ?? ''}
                >
                  <h2 id="rostrum-heading" className="console-section-title">
                    {t('sale.console.rostrum')}
                  </h2>
                  {!lot && <p className="muted">{t('sale.console.noLot')}</p>}
                  {lot && (
                    <>
                      <LotHeading lot={lot} />
                      {lot.status === 'fair_warning' && <FairWarningBanner />}
                      <div className="sale-figures">
                        <div className="sale-figure">
                          <span className="sale-figure-label">{t('sale.asking')}</span>
                          <span className="sale-asking" data-testid="asking-price" data-cents={lot.asking_price_cents ?? ''}>
                            {lot.asking_price_cents != null ? money(lot.asking_price_cents, c) : '—'}
                          </span>
                        </div>
                        <LeadingBid lot={lot} currency={c} />
                        <div className="sale-figure">
                          <span className="sale-figure-label">{t('sale.bids')}</span>
                          <span data-testid="bid-count">{lot.bid_count}</span>
                        </div>
                      </div>
                    </>
                  )}
                  <div className="console-actions" role="group" aria-label={t('sale.console.heading')}>
                    {!lot && (
                      <button
                        type="button"
                        className="btn btn-primary"
                        data-testid="console-open-next"
                        disabled={busy || !next || sale.status === 'paused' || sale.status === 'ended'}
                        onClick={() => void run({ action: 'open_lot' })}
                      >
                        {next ? t('sale.console.openNext', { n: next.number }) : t('sale.console.noneLeft')}
                      </button>
                    )}
                    {lot && (
                      <>
                        <button
                          type="button"
                          className="btn btn-warn"
                          data-testid="console-fair-warning"
                          disabled={busy || !onOffer || lot.status === 'fair_warning'}
                          onClick={() => void run({ action: 'fair_warning' })}
                        >
                          {t('sale.console.fairWarning')}
                        </button>
                        <button
                          type="button"
                          className="btn btn-primary"
                          data-testid="console-sold"
                          disabled={busy || !onOffer || lot.leading_bid_cents == null}
                          onClick={() => void run({ action: 'sold' })}
                        >
                          {t('sale.console.sold')}
                        </button>
                        <button
                          type="button"
                          className="btn btn-secondary"
                          data-testid="console-pass"
                          disabled={busy || !onOffer}
                          onClick={() => void run({ action: 'pass' })}
                        >
                          {t('sale.console.pass')}
                        </button>
                      </>
                    )}
                    {sale.status === 'paused' ? (
                      <button type="button" className="btn btn-secondary" data-testid="console-resume" disabled={busy} onClick={() => void run({ action: 'resume' })}>
                        {t('sale.console.resume')}
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="btn btn-ghost"
                        data-testid="console-pause"
                        disabled={busy || !running}
                        onClick={() => void run({ action: 'pause' })}
                      >
                        {t('sale.console.pause')}
                      </button>
                    )}
                  </div>
                </section>
                {lot && lot.asking_price_cents != null && (
                  <section className="card console-asking" aria-labelledby="jumps-heading">
                    <h2 id="jumps-heading" className="console-section-title">
                      {t('sale.console.jumps')}
                    </h2>
                    <div className="console-jumps">
                      {askingJumps(lot).map((amount, i) => (
                        <button
                          key={amount}
                          type="button"
                          className="btn btn-secondary"
                          data-testid={`console-jump-${i}`}
                          data-cents={amount}
                          disabled={busy || !onOffer}
                          onClick={() => void run({ action: 'set_asking', amount_cents: amount })}
                        >
                          {t('sale.console.askAt', { amount: money(amount, c) })}
                        </button>
                      ))}
                    </div>
                    <form className="console-inline-form" onSubmit={(e) => void setAsking(e)} noValidate>
                      <div className="field">
                        <label htmlFor={ids.custom}>
                          {t('sale.console.custom')} <span className="muted">({c})</span>
                        </label>
                        <input
                          id={ids.custom}
                          data-testid="console-custom-asking"
                          inputMode="decimal"
                          autoComplete="off"
                          value={custom}
                          aria-invalid={formError?.field === 'custom'}
                          aria-describedby={formError?.field === 'custom' ? ids.customErr : undefined}
                          onChange={(e) => setCustom(e.target.value)}
                        />
                      </div>
                      <button type="submit" className="btn btn-secondary" data-testid="console-set-asking" disabled={busy || !onOffer}>
                        {t('sale.console.setAsking')}
                      </button>
                      {formError?.field === 'custom' && (
                        <p id={ids.customErr} className="field-error" role="alert">
                          {formError.text}
                        </p>
                      )}
                    </form>
                    <form className="console-inline-form" onSubmit={(e) => void floorBid(e)} noValidate>
                      <div className="field">
                        <label htmlFor={ids.paddle}>{t('sale.console.paddle')}</label>
                        <input
                          id={ids.paddle}
                          data-testid="console-paddle"
                          inputMode="numeric"
                          autoComplete="off"
                          value={paddle}
                          aria-invalid={formError?.field === 'paddle'}
                          aria-describedby={formError?.field === 'paddle' ? ids.paddleErr : undefined}
                          onChange={(e) => setPaddle(e.target.value)}
                        />
                      </div>
                      <button type="submit" className="btn btn-primary" data-testid="console-floor-bid" disabled={busy || !onOffer}>
                        {t('sale.console.floorBid', { amount: money(lot.asking_price_cents, c) })}
                      </button>
                      {formError?.field === 'paddle' && (
                        <p id={ids.paddleErr} className="field-error" role="alert">
                          {formError.text}
                        </p>
                      )}
                    </form>
                  </section>
                )}
              </div>
              <SaleEventLog sale={sale} log={state.log} />
            </div>
          </>
        )}
      </main>
    </>
  );
}

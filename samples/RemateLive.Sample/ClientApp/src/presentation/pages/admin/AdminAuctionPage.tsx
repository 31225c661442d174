import { useCallback, useEffect, useId, useState } from 'react';
import { useApp } from '../../../application/context/AppContext';
import { useAdminApi } from '../../../application/hooks/useAdminApi';
import type { AuditEvent } from '../../../domain/adminPorts';
import { LIMITS } from '../../../domain/auctionDraft';
import type { Auction } from '../../../domain/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Header } from '../../components/Header';
import { AdminLink } from './AdminLink';
import { problemText } from './problemText';
import './admin.css';

type Pending = 'close' | 'cancel' | null;

/** `/admin/auctions/{id}`: the auction, close now, cancel with a reason, and its audit trail (who did what). */
export function AdminAuctionPage({ auctionId }: { auctionId: string }) {
  const { t, api, money, locale } = useApp();
  const admin = useAdminApi();
  const [auction, setAuction] = useState<Auction | null>(null);
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const ids = { reason: useId(), reasonHint: useId(), reasonErr: useId() };

  const describe = useCallback((e: unknown) => problemText(e, t), [t]);

  const load = useCallback(async () => {
    try {
      const [a, h] = await Promise.all([api.getAuction(auctionId), admin.history(auctionId)]);
      setAuction(a);
      setEvents(h);
      setLoadError(null);
    } catch (e) {
      setLoadError(describe(e));
    }
  }, [api, admin, auctionId, describe]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- load() sets state only after awaiting the requests
    void load();
  }, [load]);

  const act = async () => {
    const what = pending;
    if (!what) return;
    setBusy(true);
    setActionError(null);
    try {
      setAuction(what === 'close' ? await admin.closeAuction(auctionId) : await admin.cancelAuction(auctionId, reason.trim()));
      setReason('');
      await load(); // the audit trail now ends with this action
      setDone(t(what === 'close' ? 'admin.closed' : 'admin.cancelled'));
    } catch (e) {
      setActionError(describe(e));
    } finally {
      setBusy(false);
      setPending(null);
    }
  };

  const askCancel = () => {
    const r = reason.trim();
    if (r.length < 1 || r.length > LIMITS.reasonMax) {
      setReasonError(t('admin.err.reason', { max: LIMITS.reasonMax }));
      return;
    }
    setReasonError(null);
    setPending('cancel');
  };

  const when = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'medium' }) : '');
  const live = auction && (auction.status === 'open' || auction.status === 'scheduled');

  return (
    <>
      <Header />
      <main className="admin-page" data-testid="admin-auction">
        <nav className="breadcrumbs" aria-label={t('admin.breadcrumbs')}>
          <AdminLink to="/admin">← {t('admin.heading')}</AdminLink>
        </nav>
        {loadError && (
          <p className="field-error" role="alert">
            {loadError}
          </p>
        )}
        {!auction && !loadError && <p className="muted">{t('list.loading')}</p>}
        {auction && (
          <>
            <div className="admin-title-row">
              <h1 data-testid="admin-auction-title">{auction.title}</h1>
              <span className={`status status-${auction.status}`} data-testid="admin-status">
                {t(`status.${auction.status}`)}
              </span>
            </div>
            <dl className="admin-facts">
              <div>
                <dt>{t('item.currentPrice')}</dt>
                <dd>{money(auction.current_price_cents, auction.currency)}</dd>
              </div>
              <div>
                <dt>{t('item.bids')}</dt>
                <dd>{auction.bid_count}</dd>
              </div>
              <div>
                <dt>{t('admin.form.startsAt')}</dt>
                <dd>{when(auction.starts_at)}</dd>
              </div>
              <div>
                <dt>{t('admin.form.endsAt')}</dt>
                <dd>{when(auction.ends_at)}</dd>
              </div>
              <div>
                <dt>{t(auction.status === 'closed' ? 'item.winner' : 'item.leader')}</dt>
                <dd>{auction.winner_name ?? auction.leader_name ?? '—'}</dd>
              </div>
            </dl>
            <p>
              <AdminLink to={`/auctions/${auction.id}`}>{t('admin.openRoom')}</AdminLink>
            </p>
            {done && (
              <p className="admin-done" role="status" data-testid="admin-done">
                {done}
              </p>
            )}
            {actionError && (
              <p className="field-error" role="alert" data-testid="admin-action-error">
                {actionError}
              </p>
            )}
            {live && (
              <section className="card admin-card admin-actions" aria-labelledby="admin-actions-heading">
                <h2 id="admin-actions-heading">{t('admin.actions')}</h2>
                <div className="admin-action">
                  <p className="muted">{t('admin.closeHint')}</p>
                  <button type="button" className="btn btn-secondary" data-testid="admin-close" onClick={() => setPending('close')}>
                    {t('admin.closeNow')}
                  </button>
                </div>
                <div className="admin-action">
                  <div className="field">
                    <label htmlFor={ids.reason}>{t('admin.reason')}</label>
                    <textarea
                      id={ids.reason}
                      data-testid="admin-reason"
                      rows={2}
                      maxLength={LIMITS.reasonMax}
                      value={reason}
                      aria-invalid={reasonError ? true : undefined}
                      aria-describedby={`${ids.reasonHint}${reasonError ? ` ${ids.reasonErr}` : ''}`}
                      onChange={(e) => setReason(e.target.value)}
                    />
                    <small id={ids.reasonHint} className="hint">
                      {t('admin.reasonHint', { max: LIMITS.reasonMax })}
                    </small>
                    {reasonError && (
                      <small id={ids.reasonErr} className="admin-field-error">
                        {reasonError}
                      </small>
                    )}
                  </div>
                  <button type="button" className="btn btn-danger" data-testid="admin-cancel" onClick={askCancel}>
                    {t('admin.cancel')}
                  </button>
                </div>
              </section>
            )}
            <section className="card admin-card" aria-labelledby="audit-heading">
              <h2 id="audit-heading">{t('admin.audit')}</h2>
              {events && events.length === 0 && <p className="muted">{t('admin.audit.empty')}</p>}
              {events && events.length > 0 && (
                <div className="admin-table-wrap">
                  <table className="admin-table" data-testid="audit">
                    <thead>
                      <tr>
                        <th scope="col">#</th>
                        <th scope="col">{t('admin.audit.time')}</th>
                        <th scope="col">{t('admin.audit.event')}</th>
                        <th scope="col">{t('admin.audit.details')}</th>
                        <th scope="col">{t('admin.audit.actor')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {events.map((e) => (
                        <AuditRow key={e.payload.seq} event={e} currency={auction.currency} when={when} />
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
          </>
        )}
        <ConfirmDialog
          open={pending !== null}
          title={t(pending === 'cancel' ? 'admin.confirmCancel' : 'admin.confirmClose')}
          confirmLabel={t(pending === 'cancel' ? 'admin.cancel' : 'admin.closeNow')}
          cancelLabel={t('admin.keepOpen')}
          danger={pending === 'cancel'}
          busy={busy}
          onConfirm={() => void act()}
          onCancel={() => setPending(null)}
          testId="admin-confirm"
        >
          <p>{pending === 'cancel' ? t('admin.confirmCancelText', { reason: reason.trim() }) : t('admin.confirmCloseText')}</p>
        </ConfirmDialog>
      </main>
    </>
  );
}

function AuditRow({ event, currency, when }: { event: AuditEvent; currency: string; when(iso?: string): string }) {
  const { t, money } = useApp();
  const p = event.payload as AuditEvent['payload'] & {
    placed_at?: string;
    server_time?: string;
    bidder_name?: string;
    paddle?: number;
    amount_cents?: number;
    kind?: string;
    ends_at?: string;
    extensions?: number;
    winner_name?: string | null;
    final_price_cents?: number | null;
    reason?: string;
  };
  let details: string;
  let actor: string;
  switch (event.type) {
    case 'bid_placed':
      details = t('admin.audit.bid', { amount: money(p.amount_cents ?? 0, currency), kind: t(`admin.kind.${p.kind ?? 'manual'}`) });
      actor = p.paddle != null ? `${p.bidder_name} (${t('history.paddle', { n: p.paddle })})` : (p.bidder_name ?? '');
      break;
    case 'auction_extended':
      details = t('admin.audit.extended', { until: when(p.ends_at), n: p.extensions ?? 0 });
      actor = t('admin.audit.system');
      break;
    case 'auction_closed':
      details = [
        t(`admin.closeReason.${p.reason ?? 'ended'}`),
        p.winner_name ? t('result.winner', { name: p.winner_name, amount: money(p.final_price_cents ?? 0, currency) }) : t('result.noWinner'),
      ].join(' · ');
      actor = p.actor_name ?? t('admin.audit.system');
      break;
    case 'auction_cancelled':
      details = p.reason ? t('admin.audit.reason', { reason: p.reason }) : '';
      actor = p.actor_name ?? t('admin.audit.system');
      break;
    default:
      details = '';
      actor = '';
  }
  return (
    <tr data-type={event.type} data-seq={p.seq}>
      <td>{p.seq}</td>
      <td>{when(p.placed_at ?? p.server_time)}</td>
      <td>{t(`admin.event.${event.type}`)}</td>
      <td>{details}</td>
      <td data-testid="audit-actor">{actor}</td>
    </tr>
  );
}

import { useEffect, useState } from 'react';
import { useApp } from '../../../application/context/AppContext';
import { useSaleApi } from '../../../application/hooks/useSaleRoom';
import type { SaleView } from '../../../domain/sale';
import { Header } from '../../components/Header';
import { AppLink, SaleStatusBadge } from './SaleParts';
import { canRunSale } from './saleText';

const REFRESH_MS = 5000;
const ORDER: Record<string, number> = { running: 0, paused: 1, scheduled: 2, ended: 3 };

/** `/sales`: every live sale, the running ones first. */
export function SaleListPage() {
  const { t, session, locale } = useApp();
  const api = useSaleApi();
  const [sales, setSales] = useState<SaleView[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [retries, setRetries] = useState(0);

  useEffect(() => {
    let live = true;
    const load = () =>
      api.listSales().then(
        (list) => {
          if (!live) return;
          setSales(list);
          setFailed(false);
        },
        () => live && setFailed(true),
      );
    void load();
    // Poll while the page is visible: statuses change as sales start and end.
    const id = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(id);
    };
  }, [api, retries]);

  const sorted = sales ? [...sales].sort((a, b) => (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) || a.starts_at.localeCompare(b.starts_at)) : null;
  const when = (iso: string) => new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <>
      <Header />
      <main className="list-page sale-list-page">
        <nav className="breadcrumbs">
          <AppLink to="/">← {t('header.backToList')}</AppLink>
        </nav>
        <h1>{t('sale.list.heading')}</h1>
        {failed && (
          <p className="field-error" role="alert">
            {t('sale.list.error')}{' '}
            <button type="button" className="btn-link" onClick={() => setRetries((n) => n + 1)}>
              {t('list.retry')}
            </button>
          </p>
        )}
        {!sorted && !failed && <p className="muted">{t('sale.list.loading')}</p>}
        {sorted && sorted.length === 0 && <p className="muted">{t('sale.list.empty')}</p>}
        <ul className="sale-list" data-testid="sale-list">
          {sorted?.map((s) => (
            <li key={s.id} className="card sale-card" data-sale-id={s.id}>
              <div className="sale-card-top">
                <h2 className="sale-card-title">{s.title}</h2>
                <SaleStatusBadge status={s.status} />
              </div>
              <p className="muted small">
                {t('sale.list.lots', { count: s.lots.length })} · {t('sale.list.startsAt', { time: when(s.starts_at) })}
              </p>
              <div className="sale-card-actions">
                <AppLink to={`/sales/${s.id}`} className="btn btn-primary" testId="sale-enter">
                  {t('sale.list.enter')}
                </AppLink>
                {canRunSale(session?.role) && (
                  <AppLink to={`/sales/${s.id}/console`} className="btn btn-secondary" testId="sale-console-link">
                    {t('sale.consoleLink')}
                  </AppLink>
                )}
              </div>
            </li>
          ))}
        </ul>
      </main>
    </>
  );
}

import { useCallback, useEffect, useState } from 'react';
import { useApp } from '../../../application/context/AppContext';
import type { Auction } from '../../../domain/types';
import { Header } from '../../components/Header';
import { AdminLink } from './AdminLink';
import { AuctionForm } from './AuctionForm';
import './admin.css';

/** `/admin`: create and schedule auctions, and every auction with a link to manage it (admins only). */
export function AdminConsolePage() {
  const { t, api, money, locale, navigate } = useApp();
  const [auctions, setAuctions] = useState<Auction[] | null>(null);
  const [failed, setFailed] = useState(false);

  const load = useCallback(async () => {
    try {
      setAuctions(await api.listAuctions());
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [api]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- load() sets state only after awaiting the request
    void load();
  }, [load]);

  const when = (iso: string) => new Date(iso).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });

  return (
    <>
      <Header />
      <main className="admin-page" data-testid="admin-console">
        <h1>{t('admin.heading')}</h1>
        <div className="admin-layout">
          <section className="card admin-card" aria-labelledby="admin-new-heading">
            <h2 id="admin-new-heading">{t('admin.new')}</h2>
            <AuctionForm onCreated={(a) => navigate(`/admin/auctions/${a.id}`)} />
          </section>
          <section className="card admin-card" aria-labelledby="admin-list-heading">
            <h2 id="admin-list-heading">{t('admin.list')}</h2>
            {failed && (
              <p className="field-error" role="alert">
                {t('list.error')}{' '}
                <button type="button" className="btn-link" onClick={() => void load()}>
                  {t('list.retry')}
                </button>
              </p>
            )}
            {!auctions && !failed && <p className="muted">{t('list.loading')}</p>}
            {auctions && auctions.length === 0 && <p className="muted">{t('list.empty')}</p>}
            {auctions && auctions.length > 0 && (
              <div className="admin-table-wrap">
                <table className="admin-table" data-testid="admin-auctions">
                  <thead>
                    <tr>
                      <th scope="col">{t('admin.col.auction')}</th>
                      <th scope="col">{t('admin.col.status')}</th>
                      <th scope="col">{t('admin.col.price')}</th>
                      <th scope="col">{t('admin.col.ends')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {auctions.map((a) => (
                      <tr key={a.id} data-auction-id={a.id}>
                        <td>
                          <AdminLink to={`/admin/auctions/${a.id}`}>{a.title}</AdminLink>
                        </td>
                        <td>
                          <span className={`status status-${a.status}`}>{t(`status.${a.status}`)}</span>
                        </td>
                        <td>{money(a.current_price_cents, a.currency)}</td>
                        <td>{when(a.ends_at)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </div>
      </main>
    </>
  );
}

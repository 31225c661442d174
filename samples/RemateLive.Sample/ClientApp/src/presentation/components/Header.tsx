import { useApp } from '../../application/context/AppContext';
import type { ConnectionState } from '../../domain/types';
import { UsersIcon } from './Icons';
import { AdminNavLink } from '../pages/admin/AdminLink';

interface Props {
  onlineCount?: number;
  connection?: ConnectionState;
  retryInMs?: number;
}

export function ConnectionBadge({ state, retryInMs }: { state: ConnectionState; retryInMs?: number }) {
  const { t } = useApp();
  const label =
    state === 'reconnecting' && retryInMs !== undefined && retryInMs >= 1000
      ? t('conn.reconnectingIn', { s: Math.ceil(retryInMs / 1000) })
      : t(`conn.${state}`);
  return (
    <span className={`conn conn-${state}`} data-testid="connection" data-state={state} role="status">
      <span className="conn-dot" aria-hidden="true" />
      {label}
    </span>
  );
}

export function Header({ onlineCount, connection, retryInMs }: Props) {
  const { t, session, setSession, lang, setLang, navigate, api } = useApp();
  return (
    <header className="app-header">
      <a
        className="brand"
        href="/"
        onClick={(e) => {
          e.preventDefault();
          navigate('/');
        }}
      >
        <span className="brand-mark" aria-hidden="true">
          ◆
        </span>
        {t('app.title')}
      </a>
      <div className="header-status">
        {connection && <ConnectionBadge state={connection} retryInMs={retryInMs} />}
        {onlineCount !== undefined && connection && (
          <span className="online" data-testid="online-count">
            <UsersIcon />
            {t('header.online', { count: onlineCount })}
          </span>
        )}
      </div>
      <div className="header-user">
        <button
          type="button"
          className="btn-ghost lang-switch"
          onClick={() => setLang(lang === 'es' ? 'en' : 'es')}
          aria-label={`${lang === 'es' ? 'EN' : 'ES'} · ${t('lang.label')}: ${t('lang.switch')}`}
          lang={lang === 'es' ? 'en' : 'es'}
        >
          {lang === 'es' ? 'EN' : 'ES'}
        </button>
        <AdminNavLink />
        {session && (
          <>
            <span className="user-name" data-testid="user-name" title={t('header.signedInAs', { name: session.display_name })}>
              <span className="avatar" aria-hidden="true">
                {session.display_name.slice(0, 1).toUpperCase()}
              </span>
              <span className="user-name-text">{session.display_name}</span>
            </span>
            <button
              type="button"
              className="btn-ghost"
              onClick={() => {
                // Revoke the token on the server too (a copied token stops working); sign out locally even
                // when the server cannot be reached.
                void api.logout(session.token).catch(() => undefined);
                setSession(null);
                navigate('/');
              }}
            >
              {t('header.signOut')}
            </button>
          </>
        )}
      </div>
    </header>
  );
}

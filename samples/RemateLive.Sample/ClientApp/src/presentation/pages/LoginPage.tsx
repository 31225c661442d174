import { useId, useState, type FormEvent } from 'react';
import { useApp } from '../../application/context/AppContext';
import { ApiError } from '../../infrastructure/api';

const USERNAME = /^[a-z0-9_.-]{3,32}$/;

export function LoginPage() {
  const { t, api, setSession, lang, setLang } = useApp();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const u = username.trim().toLowerCase();
    const d = displayName.trim();
    if (!USERNAME.test(u)) return setError(t('login.invalidUsername'));
    if (d.length < 1 || d.length > 64) return setError(t('login.invalidDisplayName'));
    setBusy(true);
    setError(null);
    try {
      const s = await api.login({ username: u, display_name: d, password: password || undefined });
      setSession(s);
    } catch (err) {
      setError(err instanceof ApiError ? t(`error.${err.code}`, { fallback: err.message }) : t('error.network'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login-page">
      <div className="login-card card">
        <div className="login-brand">
          <span className="brand-mark big" aria-hidden="true">
            ◆
          </span>
          <div>
            <p className="login-title">{t('app.title')}</p>
            <p className="muted">{t('app.tagline')}</p>
          </div>
          <button type="button" className="btn-ghost lang-switch" onClick={() => setLang(lang === 'es' ? 'en' : 'es')}>
            {lang === 'es' ? 'EN' : 'ES'}
          </button>
        </div>
        <h1>{t('login.heading')}</h1>
        <form onSubmit={submit} noValidate aria-describedby={error ? `${id}-err` : undefined}>
          <div className="field">
            <label htmlFor={`${id}-u`}>{t('login.username')}</label>
            <input
              id={`${id}-u`}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={username}
              aria-describedby={`${id}-uh`}
              onChange={(e) => setUsername(e.target.value)}
            />
            <small id={`${id}-uh`} className="hint">
              {t('login.usernameHint')}
            </small>
          </div>
          <div className="field">
            <label htmlFor={`${id}-d`}>{t('login.displayName')}</label>
            <input
              id={`${id}-d`}
              name="display_name"
              autoComplete="nickname"
              required
              maxLength={64}
              value={displayName}
              aria-describedby={`${id}-dh`}
              onChange={(e) => setDisplayName(e.target.value)}
            />
            <small id={`${id}-dh`} className="hint">
              {t('login.displayNameHint')}
            </small>
          </div>
          <div className="field">
            <label htmlFor={`${id}-p`}>{t('login.password')}</label>
            <input
              id={`${id}-p`}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              aria-describedby={`${id}-ph`}
              onChange={(e) => setPassword(e.target.value)}
            />
            <small id={`${id}-ph`} className="hint">
              {t('login.passwordHint')}
            </small>
          </div>
          {error && (
            <p id={`${id}-err`} className="field-error" role="alert" data-testid="login-error">
              {error}
            </p>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('login.busy') : t('login.submit')}
          </button>
        </form>
      </div>
    </main>
  );
}

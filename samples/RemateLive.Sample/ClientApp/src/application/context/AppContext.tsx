import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { formatMoney } from '../../domain/money';
import type { AuctionApi } from '../../domain/ports';
import type { Session } from '../../domain/types';
import type { ClockOffset } from '@remate-live/client';
import { detectLang, localeFor, translate, type Lang } from '../i18n';

export interface AppServices {
  api: AuctionApi;
  clock: ClockOffset;
  loadSession(): Session | null;
  saveSession(s: Session | null): void;
  loadLang(): string | null;
  saveLang(l: string): void;
}

export interface AppContextValue {
  api: AuctionApi;
  clock: ClockOffset;
  session: Session | null;
  setSession(s: Session | null): void;
  lang: Lang;
  locale: string;
  setLang(l: Lang): void;
  t(key: string, params?: Record<string, string | number>): string;
  money(cents: number, currency: string): string;
  path: string;
  navigate(path: string): void;
}

const Ctx = createContext<AppContextValue | null>(null);

function currentPath(): string {
  return typeof location === 'undefined' ? '/' : location.pathname || '/';
}

export function AppProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  const [session, setSessionState] = useState<Session | null>(() => services.loadSession());
  const [lang, setLangState] = useState<Lang>(() =>
    detectLang(typeof navigator === 'undefined' ? undefined : navigator.language, services.loadLang()),
  );
  const [path, setPath] = useState(currentPath);

  useEffect(() => {
    const onPop = () => setPath(currentPath());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const navigate = useCallback((to: string) => {
    if (to !== currentPath()) history.pushState(null, '', to);
    setPath(to);
    window.scrollTo?.(0, 0);
  }, []);

  const setSession = useCallback(
    (s: Session | null) => {
      services.saveSession(s);
      setSessionState(s);
    },
    [services],
  );

  const setLang = useCallback(
    (l: Lang) => {
      services.saveLang(l);
      setLangState(l);
    },
    [services],
  );

  const value = useMemo<AppContextValue>(() => {
    const locale = localeFor(lang);
    return {
      api: services.api,
      clock: services.clock,
      session,
      setSession,
      lang,
      locale,
      setLang,
      t: (key, params) => translate(lang, key, params),
      money: (cents, currency) => formatMoney(cents, currency, locale),
      path,
      navigate,
    };
  }, [services, session, setSession, lang, setLang, path, navigate]);

  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useApp(): AppContextValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useApp outside AppProvider');
  return v;
}

import type { Session } from '../domain/types';

const SESSION_KEY = 'remate.session';
const LANG_KEY = 'remate.lang';

function store(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

export function loadSession(): Session | null {
  const raw = store()?.getItem(SESSION_KEY);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as Session;
    return s && typeof s.username === 'string' && typeof s.token === 'string' ? s : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null): void {
  if (s) store()?.setItem(SESSION_KEY, JSON.stringify(s));
  else store()?.removeItem(SESSION_KEY);
}

export function loadLang(): string | null {
  return store()?.getItem(LANG_KEY) ?? null;
}

export function saveLang(lang: string): void {
  store()?.setItem(LANG_KEY, lang);
}

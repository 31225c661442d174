import { ApiError } from '../../../infrastructure/api';

/**
 * A failed admin call as a sentence: the problem's `code` translated (NOT_AUTHENTICATED asks the admin
 * to sign in again), else the server's own text; anything that is not a problem is a network failure.
 */
export function problemText(e: unknown, t: (key: string, params?: Record<string, string | number>) => string): string {
  if (!(e instanceof ApiError)) return t('error.network');
  return e.code === 'NOT_AUTHENTICATED' ? t('admin.err.signIn') : t(`error.${e.code}`, { fallback: e.message });
}

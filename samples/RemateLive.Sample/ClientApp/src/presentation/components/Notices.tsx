import { useEffect } from 'react';
import { useApp } from '../../application/context/AppContext';
import type { Notice } from '../../application/roomReducer';
import { AlertIcon, CheckIcon, ClockIcon, ErrorIcon } from './Icons';

const AUTO_DISMISS_MS: Partial<Record<Notice['kind'], number>> = { success: 4000, info: 5000, extended: 8000 };

function NoticeItem({ notice, currency, onDismiss }: { notice: Notice; currency: string; onDismiss(id: number): void }) {
  const { t, money } = useApp();
  useEffect(() => {
    const ms = AUTO_DISMISS_MS[notice.kind];
    if (!ms) return;
    const id = setTimeout(() => onDismiss(notice.id), ms);
    return () => clearTimeout(id);
  }, [notice.id, notice.kind, onDismiss]);
  const params: Record<string, string | number> = { ...notice.params };
  for (const [k, v] of Object.entries(notice.amounts ?? {})) if (Number.isSafeInteger(v)) params[k] = money(v, currency);
  const urgent = notice.kind === 'error' || notice.kind === 'outbid';
  return (
    <li className={`notice notice-${notice.kind}`} data-testid={`notice-${notice.kind}`} data-key={notice.key}>
      <span className="notice-icon" aria-hidden="true">
        {notice.kind === 'outbid' ? <AlertIcon /> : notice.kind === 'error' ? <ErrorIcon /> : notice.kind === 'success' ? <CheckIcon /> : <ClockIcon />}
      </span>
      <span className="notice-text">{t(notice.key, params)}</span>
      {/* Errors and outbids interrupt (assertive); the rest is polite. */}
      <span className="sr-only" role={urgent ? 'alert' : 'status'}>
        {t(notice.key, params)}
      </span>
      <button type="button" className="notice-close" aria-label={t('notice.dismiss')} onClick={() => onDismiss(notice.id)}>
        ×
      </button>
    </li>
  );
}

export function Notices({ notices, currency, onDismiss }: { notices: Notice[]; currency: string; onDismiss(id: number): void }) {
  if (notices.length === 0) return null;
  return (
    <ul className="notices">
      {notices.map((n) => (
        <NoticeItem key={n.id} notice={n} currency={currency} onDismiss={onDismiss} />
      ))}
    </ul>
  );
}

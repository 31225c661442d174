import { useApp } from '../../application/context/AppContext';
import { useServerNow } from '../../application/hooks/useNow';
import type { AuctionStatus } from '../../domain/types';
import { ClockIcon } from './Icons';

/** "1 d 02:03:04", "02:03:04", "03:04". */
export function formatDuration(ms: number, dayLabel: (d: number) => string): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  const hms = h > 0 || d > 0 ? `${pad(h)}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
  return d > 0 ? `${dayLabel(d)} ${hms}` : hms;
}

interface Props {
  endsAt: string;
  startsAt?: string;
  status: AuctionStatus;
  compact?: boolean;
  /** Flash when the end moved (soft-close extension). */
  extendedKey?: number;
}

export function Timer({ endsAt, startsAt, status, compact, extendedKey }: Props) {
  const { t, clock } = useApp();
  const now = useServerNow(clock);
  const beforeStart = status === 'scheduled' && startsAt && Date.parse(startsAt) > now;
  const target = beforeStart ? Date.parse(startsAt!) : Date.parse(endsAt);
  const left = target - now;
  const ended = status === 'closed' || status === 'cancelled' || (!beforeStart && left <= 0);
  const urgent = !ended && !beforeStart && left < 60_000;
  const text = ended ? t('timer.ended') : formatDuration(left, (d) => t('timer.days', { d }));
  const label = beforeStart ? t('timer.startsIn') : t('timer.label');
  return (
    <div
      className={`timer${compact ? ' timer-compact' : ''}${urgent ? ' timer-urgent' : ''}${ended ? ' timer-ended' : ''}`}
      data-testid="timer"
    >
      {compact ? <ClockIcon /> : <span className="timer-label">{label}</span>}
      <span
        key={extendedKey}
        className={`timer-value${extendedKey ? ' timer-bump' : ''}`}
        role="timer"
        aria-label={`${label}: ${text}`}
      >
        {text}
      </span>
    </div>
  );
}

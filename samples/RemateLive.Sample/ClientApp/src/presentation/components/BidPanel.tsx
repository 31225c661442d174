import { useId, useState, type FormEvent } from 'react';
import { useApp } from '../../application/context/AppContext';
import { minorUnitDigits, parseMoneyInput } from '../../domain/money';
import type { Auction } from '../../domain/types';
import { StarIcon } from './Icons';

interface Props {
  auction: Auction;
  pending: boolean;
  leaderIsMe: boolean;
  onBid(amountCents: number, maxAmountCents?: number): void;
}

export function BidPanel({ auction, pending, leaderIsMe, onBid }: Props) {
  const { t, money } = useApp();
  const [amount, setAmount] = useState('');
  const [max, setMax] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ids = { amount: useId(), max: useId(), amountHint: useId(), maxHint: useId(), err: useId() };
  const c = auction.currency;
  const whole = minorUnitDigits(c) === 0;
  const min = auction.min_next_bid_cents;

  if (auction.status !== 'open') {
    return (
      <section className="card bid-panel" aria-labelledby="bid-heading">
        <h2 id="bid-heading">{t('bid.heading')}</h2>
        <p className="muted">{auction.status === 'scheduled' ? t('bid.notOpen') : t('bid.closed')}</p>
      </section>
    );
  }

  const parseField = (text: string) => {
    const r = parseMoneyInput(text, c);
    if (!r.ok) return { error: t(`bid.err.${r.reason}`, { currency: c }) } as const;
    return { cents: r.cents } as const;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const a = parseField(amount);
    if ('error' in a) return setError(a.error ?? null);
    if (a.cents < min) return setError(t('bid.err.belowMin', { amount: money(min, c) }));
    let maxCents: number | undefined;
    if (max.trim() !== '') {
      const m = parseField(max);
      if ('error' in m) return setError(m.error ?? null);
      if (m.cents < a.cents) return setError(t('bid.err.maxBelow'));
      maxCents = m.cents;
    }
    setError(null);
    onBid(a.cents, maxCents);
    setAmount('');
    setMax('');
  };

  return (
    <section className="card bid-panel" aria-labelledby="bid-heading">
      <div className="bid-panel-head">
        <h2 id="bid-heading">{t('bid.heading')}</h2>
        {leaderIsMe && (
          <span className="tag tag-ok" data-testid="you-lead">
            <StarIcon /> {t('bid.youLead')}
          </span>
        )}
      </div>
      <button
        type="button"
        className="btn btn-primary btn-quick"
        data-testid="quick-bid"
        disabled={pending}
        aria-busy={pending}
        onClick={() => {
          setError(null);
          onBid(min);
        }}
      >
        {pending ? t('bid.sending') : t('bid.quick', { amount: money(min, c) })}
      </button>
      <form className="bid-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={ids.amount}>
            {t('bid.custom')} <span className="muted">({c})</span>
          </label>
          <input
            id={ids.amount}
            data-testid="bid-amount"
            inputMode={whole ? 'numeric' : 'decimal'}
            autoComplete="off"
            value={amount}
            placeholder={money(min, c)}
            aria-describedby={`${ids.amountHint}${error ? ' ' + ids.err : ''}`}
            aria-invalid={!!error}
            onChange={(e) => setAmount(e.target.value)}
          />
          <small id={ids.amountHint} className="hint">
            {t(whole ? 'bid.customHintWhole' : 'bid.customHint', { amount: money(min, c) })}
          </small>
        </div>
        <div className="field">
          <label htmlFor={ids.max}>{t('bid.max')}</label>
          <input
            id={ids.max}
            data-testid="bid-max"
            inputMode={whole ? 'numeric' : 'decimal'}
            autoComplete="off"
            value={max}
            aria-describedby={ids.maxHint}
            onChange={(e) => setMax(e.target.value)}
          />
          <small id={ids.maxHint} className="hint">
            {t('bid.maxHint')}
          </small>
        </div>
        {error && (
          <p id={ids.err} className="field-error" role="alert" data-testid="bid-form-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-secondary" data-testid="bid-submit" disabled={pending}>
          {pending ? t('bid.sending') : t('bid.submit')}
        </button>
      </form>
    </section>
  );
}

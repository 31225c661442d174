import { useId, useState, type FormEvent } from 'react';
import { useApp } from '../../application/context/AppContext';
import { minorUnitDigits, parseMoneyInput } from '../../domain/money';
import type { Auction } from '../../domain/types';
import './bidder.css';

interface Props {
  auction: Auction;
  /** The leader's own maximum, when this device knows it. */
  myMax: number | null;
  pending: boolean;
  onRaise(maxAmountCents: number): void;
}

/**
 * Shown only to the leader of an open auction: their own maximum (automatic bid) and a form to raise
 * it without bidding against themselves. Nobody else sees any of it (the server tells others only
 * that some maximum was raised).
 */
export function RaiseMaxPanel({ auction, myMax, pending, onRaise }: Props) {
  const { t, money } = useApp();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ids = { input: useId(), hint: useId(), err: useId() };
  const c = auction.currency;
  const whole = minorUnitDigits(c) === 0;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = parseMoneyInput(text, c);
    if (!r.ok) return setError(t(`bid.err.${r.reason}`, { currency: c }));
    if (myMax != null && r.cents <= myMax) return setError(t('raise.err.notAbove', { amount: money(myMax, c) }));
    if (r.cents <= auction.current_price_cents) return setError(t('raise.err.belowPrice', { amount: money(auction.current_price_cents, c) }));
    setError(null);
    onRaise(r.cents);
    setText('');
  };

  return (
    <section className="card raise-max" aria-labelledby={`${ids.input}-h`} data-testid="raise-max">
      <h2 id={`${ids.input}-h`}>{t('raise.heading')}</h2>
      {myMax != null && (
        <p className="raise-max-current" data-testid="your-max" data-cents={myMax}>
          {t('raise.current', { amount: money(myMax, c) })}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={ids.input}>
            {t('raise.label')} <span className="muted">({c})</span>
          </label>
          <input
            id={ids.input}
            data-testid="raise-max-amount"
            inputMode={whole ? 'numeric' : 'decimal'}
            autoComplete="off"
            value={text}
            aria-describedby={`${ids.hint}${error ? ' ' + ids.err : ''}`}
            aria-invalid={!!error}
            onChange={(e) => setText(e.target.value)}
          />
          <small id={ids.hint} className="hint">
            {t('raise.hint')}
          </small>
        </div>
        {error && (
          <p id={ids.err} className="field-error" role="alert" data-testid="raise-max-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-secondary" data-testid="raise-max-submit" disabled={pending}>
          {pending ? t('bid.sending') : t('raise.submit')}
        </button>
      </form>
    </section>
  );
}

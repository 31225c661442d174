import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '@remate-live/client';
import { useApp } from '../../../application/context/AppContext';
import { parseMoneyInput } from '../../../domain/money';
import type { LotView } from '../../../domain/sale';
import type { AbsenteeBidAccepted, HttpSaleApi } from '../../../infrastructure/saleApi';
import { noticeText } from './saleText';

interface Props {
  api: HttpSaleApi;
  saleId: string;
  currency: string;
  lot: LotView;
  /** The bidder's own maximum on this lot, once left (only they see it). */
  placed: AbsenteeBidAccepted | undefined;
  onPlaced(accepted: AbsenteeBidAccepted): void;
}

/** A secret maximum on a lot that has not opened yet (`POST …/absentee-bids`). */
export function AbsenteeBidForm({ api, saleId, currency, lot, placed, onPlaced }: Props) {
  const { t, money } = useApp();
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { input: useId(), hint: useId(), err: useId() };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseMoneyInput(amount, currency);
    if (!parsed.ok) return setError(t(`bid.err.${parsed.reason}`, { currency }));
    if (parsed.cents < lot.starting_price_cents)
      return setError(t('sale.absentee.belowStart', { amount: money(lot.starting_price_cents, currency) }));
    setError(null);
    setBusy(true);
    try {
      onPlaced(await api.absenteeBid(saleId, lot.id, parsed.cents));
      setAmount('');
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'network';
      setError(noticeText(t, { kind: 'error', key: `sale.error.${code}`, params: { fallback: err instanceof Error ? err.message : '' } }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="absentee-form" onSubmit={(e) => void submit(e)} noValidate data-testid="absentee-form">
      {placed && (
        <p className="absentee-placed" role="status" data-testid="absentee-placed" data-cents={placed.max_amount_cents}>
          {t('sale.absentee.placed', { amount: money(placed.max_amount_cents, currency), paddle: placed.paddle })}
        </p>
      )}
      <div className="field">
        <label htmlFor={ids.input}>
          {t('sale.absentee.label', { n: lot.number })} <span className="muted">({currency})</span>
        </label>
        <input
          id={ids.input}
          data-testid="absentee-amount"
          inputMode="decimal"
          autoComplete="off"
          value={amount}
          placeholder={money(lot.starting_price_cents, currency)}
          aria-describedby={`${ids.hint}${error ? ' ' + ids.err : ''}`}
          aria-invalid={!!error}
          onChange={(e) => setAmount(e.target.value)}
        />
        <small id={ids.hint} className="hint">
          {t('sale.absentee.hint')}
        </small>
      </div>
      {error && (
        <p id={ids.err} className="field-error" role="alert" data-testid="absentee-error">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-secondary" data-testid="absentee-submit" disabled={busy} aria-busy={busy}>
        {busy ? t('sale.bidding') : t('sale.absentee.submit')}
      </button>
    </form>
  );
}

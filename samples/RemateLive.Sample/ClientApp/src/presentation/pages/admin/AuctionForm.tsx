import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useApp } from '../../../application/context/AppContext';
import { useAdminApi } from '../../../application/hooks/useAdminApi';
import { checkDraft, emptyDraft, serverErrors, type AuctionDraft, type TierDraft } from '../../../domain/auctionDraft';
import type { Auction } from '../../../domain/types';
import { ApiError } from '../../../infrastructure/api';
import { problemText } from './problemText';

/** Form fields shown next to their input, by wire name (server errors on other names go to the summary). */
const FIELDS = [
  'title',
  'description',
  'image_url',
  'currency',
  'starting_price_cents',
  'increment',
  'reserve_price_cents',
  'buy_now_price_cents',
  'starts_at',
  'ends_at',
  'soft_close',
  'soft_close.window_seconds',
  'soft_close.extension_seconds',
  'soft_close.max_extensions',
] as const;

/** Which error (wire field) an edit of each draft field makes stale. */
const ERROR_OF: Record<keyof AuctionDraft, string> = {
  title: 'title',
  description: 'description',
  imageUrl: 'image_url',
  currency: 'currency',
  startingPrice: 'starting_price_cents',
  incrementKind: 'increment',
  incrementAmount: 'increment',
  incrementPercent: 'increment',
  tiers: 'increment',
  reservePrice: 'reserve_price_cents',
  buyNowPrice: 'buy_now_price_cents',
  startsAt: 'starts_at',
  endsAt: 'ends_at',
  softClose: 'soft_close',
  windowSeconds: 'soft_close.window_seconds',
  extensionSeconds: 'soft_close.extension_seconds',
  maxExtensions: 'soft_close.max_extensions',
  anonymousBidding: 'anonymous_bidding',
};

/** Create and schedule an auction with every rule the domain has; checked here as the server checks it. */
export function AuctionForm({ onCreated }: { onCreated(a: Auction): void }) {
  const { t } = useApp();
  const admin = useAdminApi();
  const [draft, setDraft] = useState<AuctionDraft>(() => emptyDraft(Date.now()));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const uid = useId();
  const id = (name: string) => `${uid}-${name.replace(/\W/g, '-')}`;

  /** An edited field's error is stale: it goes until the next check. */
  const clear = (...names: string[]) =>
    setErrors((e) => (names.some((n) => n in e) ? Object.fromEntries(Object.entries(e).filter(([k]) => !names.includes(k))) : e));
  const set = <K extends keyof AuctionDraft>(key: K, value: AuctionDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    clear(ERROR_OF[key]);
  };
  const setTier = (i: number, patch: Partial<TierDraft>) => {
    setDraft((d) => ({ ...d, tiers: d.tiers.map((tier, j) => (j === i ? { ...tier, ...patch } : tier)) }));
    clear(`tiers.${i}`, 'increment');
  };

  /** id, aria-invalid and aria-describedby (hint + error) for the input of `name`. */
  const a11y = (name: string, hasHint = false) => ({
    id: id(name),
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': [hasHint ? `${id(name)}-hint` : '', errors[name] ? `${id(name)}-err` : ''].filter(Boolean).join(' ') || undefined,
  });
  const err = (name: string) =>
    errors[name] ? (
      <small id={`${id(name)}-err`} className="admin-field-error" data-testid={`err-${name}`}>
        {errors[name]}
      </small>
    ) : null;
  const hint = (name: string, text: string) => (
    <small id={`${id(name)}-hint`} className="hint">
      {text}
    </small>
  );
  const field = (name: string, label: ReactNode, input: ReactNode, hintText?: string) => (
    <div className="field">
      <label htmlFor={id(name)}>{label}</label>
      {input}
      {hintText && hint(name, hintText)}
      {err(name)}
    </div>
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const check = checkDraft(draft, Date.now());
    if (!check.ok) {
      const shown: Record<string, string> = {};
      for (const [name, { key, params }] of Object.entries(check.errors)) shown[name] = t(key, params);
      setErrors(shown);
      setSummary(t('admin.form.fix', { count: Object.keys(shown).length }));
      return;
    }
    setBusy(true);
    setErrors({});
    setSummary(null);
    try {
      onCreated(await admin.createAuction(check.request));
      setDraft(emptyDraft(Date.now()));
    } catch (ex) {
      if (ex instanceof ApiError) {
        const byField = serverErrors(ex.errors);
        const known = Object.fromEntries(Object.entries(byField).filter(([k]) => (FIELDS as readonly string[]).includes(k)));
        const other = Object.entries(byField).filter(([k]) => !(FIELDS as readonly string[]).includes(k));
        setErrors(known);
        const head = problemText(ex, t);
        setSummary([head, ...other.map(([k, v]) => `${k}: ${v}`)].join(' '));
      } else {
        setSummary(problemText(ex, t));
      }
    } finally {
      setBusy(false);
    }
  };

  const c = draft.currency.trim().toUpperCase() || '—';
  return (
    <form className="admin-form" onSubmit={submit} noValidate data-testid="auction-form" aria-describedby={summary ? `${uid}-summary` : undefined}>
      <fieldset>
        <legend>{t('admin.form.item')}</legend>
        {field('title', t('admin.form.title'), <input {...a11y('title')} data-testid="f-title" maxLength={200} value={draft.title} onChange={(e) => set('title', e.target.value)} />)}
        {field(
          'description',
          t('admin.form.description'),
          <textarea {...a11y('description')} data-testid="f-description" rows={3} value={draft.description} onChange={(e) => set('description', e.target.value)} />,
        )}
        {field(
          'image_url',
          t('admin.form.imageUrl'),
          <input {...a11y('image_url', true)} data-testid="f-image" type="url" inputMode="url" value={draft.imageUrl} onChange={(e) => set('imageUrl', e.target.value)} />,
          t('admin.form.imageUrlHint'),
        )}
      </fieldset>

      <fieldset>
        <legend>{t('admin.form.prices')}</legend>
        <div className="admin-grid">
          {field(
            'currency',
            t('admin.form.currency'),
            <input
              {...a11y('currency', true)}
              data-testid="f-currency"
              maxLength={3}
              autoCapitalize="characters"
              value={draft.currency}
              onChange={(e) => set('currency', e.target.value.toUpperCase())}
            />,
            t('admin.form.currencyHint'),
          )}
          {field(
            'starting_price_cents',
            `${t('admin.form.startingPrice')} (${c})`,
            <input {...a11y('starting_price_cents')} data-testid="f-start" inputMode="decimal" value={draft.startingPrice} onChange={(e) => set('startingPrice', e.target.value)} />,
          )}
          {field(
            'reserve_price_cents',
            `${t('admin.form.reserve')} (${c})`,
            <input {...a11y('reserve_price_cents', true)} data-testid="f-reserve" inputMode="decimal" value={draft.reservePrice} onChange={(e) => set('reservePrice', e.target.value)} />,
            t('admin.form.reserveHint'),
          )}
          {field(
            'buy_now_price_cents',
            `${t('admin.form.buyNow')} (${c})`,
            <input {...a11y('buy_now_price_cents', true)} data-testid="f-buy-now" inputMode="decimal" value={draft.buyNowPrice} onChange={(e) => set('buyNowPrice', e.target.value)} />,
            t('admin.form.buyNowHint'),
          )}
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('admin.form.increment')}</legend>
        <div className="field">
          <label htmlFor={id('increment-kind')}>{t('admin.form.incrementKind')}</label>
          <select
            id={id('increment-kind')}
            data-testid="f-increment-kind"
            value={draft.incrementKind}
            onChange={(e) => set('incrementKind', e.target.value as AuctionDraft['incrementKind'])}
          >
            <option value="fixed">{t('admin.inc.fixed')}</option>
            <option value="percent">{t('admin.inc.percent')}</option>
            <option value="tiered">{t('admin.inc.tiered')}</option>
          </select>
        </div>
        {draft.incrementKind === 'fixed' &&
          field(
            'increment',
            `${t('admin.form.incrementAmount')} (${c})`,
            <input {...a11y('increment')} data-testid="f-increment-amount" inputMode="decimal" value={draft.incrementAmount} onChange={(e) => set('incrementAmount', e.target.value)} />,
          )}
        {draft.incrementKind === 'percent' &&
          field(
            'increment',
            t('admin.form.incrementPercent'),
            <input {...a11y('increment', true)} data-testid="f-increment-percent" inputMode="decimal" value={draft.incrementPercent} onChange={(e) => set('incrementPercent', e.target.value)} />,
            t('admin.form.incrementPercentHint'),
          )}
        {draft.incrementKind === 'tiered' && (
          <div className="tier-editor" data-testid="tier-editor">
            <table>
              <caption>{t('admin.tiers.caption', { currency: c })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.tiers.from')}</th>
                  <th scope="col">{t('admin.tiers.increment')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('admin.tiers.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {draft.tiers.map((tier, i) => (
                  <tr key={i} data-testid="tier-row">
                    <td>
                      <input
                        aria-label={t('admin.tiers.fromN', { n: i + 1 })}
                        aria-invalid={errors[`tiers.${i}`] ? true : undefined}
                        inputMode="decimal"
                        value={tier.from}
                        readOnly={i === 0}
                        data-testid={`tier-from-${i}`}
                        onChange={(e) => setTier(i, { from: e.target.value })}
                      />
                    </td>
                    <td>
                      <input
                        aria-label={t('admin.tiers.incrementN', { n: i + 1 })}
                        aria-invalid={errors[`tiers.${i}`] ? true : undefined}
                        inputMode="decimal"
                        value={tier.increment}
                        data-testid={`tier-inc-${i}`}
                        onChange={(e) => setTier(i, { increment: e.target.value })}
                      />
                    </td>
                    <td>
                      {i > 0 && (
                        <button
                          type="button"
                          className="btn-link"
                          onClick={() => setDraft((d) => ({ ...d, tiers: d.tiers.filter((_, j) => j !== i) }))}
                        >
                          {t('admin.tiers.remove', { n: i + 1 })}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {draft.tiers.map((_, i) => (errors[`tiers.${i}`] ? <p key={i} className="admin-field-error">{errors[`tiers.${i}`]}</p> : null))}
            {errors.increment && (
              <p className="admin-field-error" data-testid="err-increment">
                {errors.increment}
              </p>
            )}
            <button type="button" className="btn btn-secondary" data-testid="tier-add" onClick={() => setDraft((d) => ({ ...d, tiers: [...d.tiers, { from: '', increment: '' }] }))}>
              {t('admin.tiers.add')}
            </button>
            <p className="hint">{t('admin.tiers.hint')}</p>
          </div>
        )}
      </fieldset>

      <fieldset>
        <legend>{t('admin.form.schedule')}</legend>
        <div className="admin-grid">
          {field(
            'starts_at',
            t('admin.form.startsAt'),
            <input {...a11y('starts_at', true)} data-testid="f-starts" type="datetime-local" value={draft.startsAt} onChange={(e) => set('startsAt', e.target.value)} />,
            t('admin.form.startsAtHint'),
          )}
          {field(
            'ends_at',
            t('admin.form.endsAt'),
            <input {...a11y('ends_at')} data-testid="f-ends" type="datetime-local" value={draft.endsAt} onChange={(e) => set('endsAt', e.target.value)} />,
          )}
        </div>
        <div className="admin-check">
          <input id={id('soft')} type="checkbox" data-testid="f-soft" checked={draft.softClose} onChange={(e) => set('softClose', e.target.checked)} />
          <label htmlFor={id('soft')}>{t('admin.form.softClose')}</label>
        </div>
        {draft.softClose && (
          <div className="admin-grid">
            {field(
              'soft_close.window_seconds',
              t('admin.form.window'),
              <input {...a11y('soft_close.window_seconds')} data-testid="f-window" inputMode="numeric" value={draft.windowSeconds} onChange={(e) => set('windowSeconds', e.target.value)} />,
            )}
            {field(
              'soft_close.extension_seconds',
              t('admin.form.extension'),
              <input {...a11y('soft_close.extension_seconds')} data-testid="f-extension" inputMode="numeric" value={draft.extensionSeconds} onChange={(e) => set('extensionSeconds', e.target.value)} />,
            )}
            {field(
              'soft_close.max_extensions',
              t('admin.form.cap'),
              <input {...a11y('soft_close.max_extensions')} data-testid="f-cap" inputMode="numeric" value={draft.maxExtensions} onChange={(e) => set('maxExtensions', e.target.value)} />,
            )}
          </div>
        )}
        {err('soft_close')}
        <div className="admin-check">
          <input id={id('anon')} type="checkbox" checked={draft.anonymousBidding} onChange={(e) => set('anonymousBidding', e.target.checked)} />
          <label htmlFor={id('anon')}>{t('admin.form.anonymous')}</label>
        </div>
      </fieldset>

      {summary && (
        <p id={`${uid}-summary`} className="field-error" role="alert" data-testid="form-summary">
          {summary}
        </p>
      )}
      <button type="submit" className="btn btn-primary" data-testid="f-submit" disabled={busy} aria-busy={busy}>
        {busy ? t('admin.form.creating') : t('admin.form.create')}
      </button>
    </form>
  );
}

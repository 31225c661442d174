import type { CreateAuctionRequest } from '@remate-live/client';
import { MAX_CENTS, parseMoneyInput } from './money';

/**
 * The admin's "new auction" form as typed (strings), and its check: the same rules as the server's
 * CreateAuction use case and tiered/percent/fixed increment strategies, so most mistakes are shown
 * before anything is sent. Errors are message keys (i18n) per field, keyed by the wire field name.
 */
export type IncrementKind = 'fixed' | 'percent' | 'tiered';

export interface TierDraft {
  from: string;
  increment: string;
}

export interface AuctionDraft {
  title: string;
  description: string;
  imageUrl: string;
  currency: string;
  startingPrice: string;
  incrementKind: IncrementKind;
  incrementAmount: string;
  /** A percentage with up to two decimals ("2.5" = 250 basis points). */
  incrementPercent: string;
  tiers: TierDraft[];
  reservePrice: string;
  buyNowPrice: string;
  /** `datetime-local` values (the browser's time zone); an empty start means "now". */
  startsAt: string;
  endsAt: string;
  softClose: boolean;
  windowSeconds: string;
  extensionSeconds: string;
  maxExtensions: string;
  anonymousBidding: boolean;
}

export type DraftErrors = Record<string, { key: string; params?: Record<string, string | number> }>;

export const LIMITS = {
  titleMax: 200,
  descriptionMax: 10_000,
  imageUrlMax: 2048,
  basisPointsMax: 100_000,
  secondsMax: 86_400,
  maxExtensionsMax: 1_000,
  reasonMax: 500,
} as const;

/** Parses "2.5" / "2,5" percent into basis points (integers only, no float arithmetic). */
export function parsePercent(text: string): number | null {
  const m = /^\s*(\d{1,6})(?:[.,](\d{1,2}))?\s*%?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

function parseWhole(text: string, min: number, max: number): number | null {
  if (!/^\s*\d{1,7}\s*$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

/** `datetime-local` text → ISO instant, or null when it is not a date. */
export function localToIso(text: string): string | null {
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** ISO instant → `datetime-local` text in the browser's time zone (minutes precision). */
export function isoToLocal(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function emptyDraft(nowMs: number): AuctionDraft {
  return {
    title: '',
    description: '',
    imageUrl: '',
    currency: 'USD',
    startingPrice: '',
    incrementKind: 'fixed',
    incrementAmount: '',
    incrementPercent: '5',
    tiers: [
      { from: '0', increment: '' },
      { from: '', increment: '' },
    ],
    reservePrice: '',
    buyNowPrice: '',
    startsAt: '',
    endsAt: isoToLocal(nowMs + 24 * 3600_000),
    softClose: true,
    windowSeconds: '120',
    extensionSeconds: '120',
    maxExtensions: '10',
    anonymousBidding: false,
  };
}

export type DraftCheck = { ok: true; request: CreateAuctionRequest } | { ok: false; errors: DraftErrors };

/** Checks the draft as the server would (at `nowMs`) and builds the request body. */
export function checkDraft(d: AuctionDraft, nowMs: number): DraftCheck {
  const errors: DraftErrors = {};
  const currency = d.currency.trim().toUpperCase();
  const currencyOk = /^[A-Z]{3}$/.test(currency);
  if (!currencyOk) errors.currency = { key: 'admin.err.currency' };

  const title = d.title.trim();
  if (title.length < 1 || title.length > LIMITS.titleMax) errors.title = { key: 'admin.err.title', params: { max: LIMITS.titleMax } };
  if (d.description.length > LIMITS.descriptionMax)
    errors.description = { key: 'admin.err.description', params: { max: LIMITS.descriptionMax } };

  const imageUrl = d.imageUrl.trim();
  if (imageUrl && (imageUrl.length > LIMITS.imageUrlMax || !/^(https?:\/\/[^\s]+|\/[^\s]*)$/i.test(imageUrl)))
    errors.image_url = { key: 'admin.err.imageUrl' };

  /** A money field: required or optional, > 0 and within the ceiling. */
  const money = (field: string, text: string, required: boolean): number | null => {
    if (!text.trim()) {
      if (required) errors[field] = { key: 'admin.err.required' };
      return null;
    }
    if (!currencyOk) return null;
    const r = parseMoneyInput(text, currency);
    if (!r.ok) {
      errors[field] = { key: r.reason === 'too_many_decimals' ? 'bid.err.too_many_decimals' : r.reason === 'too_large' ? 'bid.err.too_large' : 'bid.err.invalid', params: { currency } };
      return null;
    }
    if (r.cents <= 0 || r.cents > MAX_CENTS) {
      errors[field] = { key: 'admin.err.positive' };
      return null;
    }
    return r.cents;
  };

  const start = money('starting_price_cents', d.startingPrice, true);
  const reserve = money('reserve_price_cents', d.reservePrice, false);
  const buyNow = money('buy_now_price_cents', d.buyNowPrice, false);
  if (start !== null && reserve !== null && reserve < start) errors.reserve_price_cents = { key: 'admin.err.reserveBelowStart' };
  if (start !== null && buyNow !== null && buyNow <= start) errors.buy_now_price_cents = { key: 'admin.err.buyNowNotAboveStart' };
  else if (reserve !== null && buyNow !== null && buyNow < reserve) errors.buy_now_price_cents = { key: 'admin.err.buyNowBelowReserve' };

  let increment: CreateAuctionRequest['increment'] | null = null;
  if (d.incrementKind === 'fixed') {
    const amount = money('increment', d.incrementAmount, true);
    if (amount !== null) increment = { kind: 'fixed', amount_cents: amount, basis_points: null, tiers: null };
  } else if (d.incrementKind === 'percent') {
    const bp = parsePercent(d.incrementPercent);
    if (bp === null || bp < 1 || bp > LIMITS.basisPointsMax) errors.increment = { key: 'admin.err.percent' };
    else increment = { kind: 'percent', amount_cents: null, basis_points: bp, tiers: null };
  } else {
    const tiers: { from_cents: number; increment_cents: number }[] = [];
    d.tiers.forEach((tier, i) => {
      const from = tier.from.trim() === '' ? null : currencyOk ? parseMoneyInput(tier.from, currency) : null;
      const inc = tier.increment.trim() === '' ? null : currencyOk ? parseMoneyInput(tier.increment, currency) : null;
      const fromCents = from?.ok ? from.cents : null;
      const incCents = inc?.ok ? inc.cents : null;
      if (fromCents === null || incCents === null || incCents <= 0) {
        errors[`tiers.${i}`] = { key: 'admin.err.tier', params: { n: i + 1 } };
        return;
      }
      tiers.push({ from_cents: fromCents, increment_cents: incCents });
    });
    if (d.tiers.length === 0) errors.increment = { key: 'admin.err.tiersEmpty' };
    else if (tiers.length === d.tiers.length) {
      if (tiers[0]!.from_cents !== 0) errors.increment = { key: 'admin.err.tiersFirst' };
      else if (tiers.some((t, i) => i > 0 && t.from_cents <= tiers[i - 1]!.from_cents)) errors.increment = { key: 'admin.err.tiersOrder' };
      else increment = { kind: 'tiered', amount_cents: null, basis_points: null, tiers };
    }
  }

  const startsAt = d.startsAt ? localToIso(d.startsAt) : null;
  if (d.startsAt && !startsAt) errors.starts_at = { key: 'admin.err.date' };
  const endsAt = localToIso(d.endsAt);
  if (!endsAt) errors.ends_at = { key: 'admin.err.date' };
  else if (Date.parse(endsAt) <= nowMs || (startsAt && Date.parse(endsAt) <= Date.parse(startsAt))) errors.ends_at = { key: 'admin.err.endsAt' };

  let softClose: { window_seconds: number; extension_seconds: number; max_extensions: number } | null = null;
  if (d.softClose) {
    const w = parseWhole(d.windowSeconds, 1, LIMITS.secondsMax);
    const e = parseWhole(d.extensionSeconds, 1, LIMITS.secondsMax);
    const m = parseWhole(d.maxExtensions, 0, LIMITS.maxExtensionsMax);
    if (w === null) errors['soft_close.window_seconds'] = { key: 'admin.err.seconds', params: { max: LIMITS.secondsMax } };
    if (e === null) errors['soft_close.extension_seconds'] = { key: 'admin.err.seconds', params: { max: LIMITS.secondsMax } };
    if (m === null) errors['soft_close.max_extensions'] = { key: 'admin.err.maxExtensions', params: { max: LIMITS.maxExtensionsMax } };
    if (w !== null && e !== null && m !== null) softClose = { window_seconds: w, extension_seconds: e, max_extensions: m };
  }

  if (Object.keys(errors).length > 0 || start === null || increment === null || !endsAt) return { ok: false, errors };
  const request: CreateAuctionRequest = {
    title,
    description: d.description.trim() || null,
    image_url: imageUrl || null,
    currency,
    starting_price_cents: start,
    increment,
    reserve_price_cents: reserve,
    buy_now_price_cents: buyNow,
    starts_at: startsAt,
    ends_at: endsAt,
    soft_close: softClose,
    anonymous_bidding: d.anonymousBidding,
  };
  return { ok: true, request };
}

/**
 * The server's validation problem (`errors`: wire field → messages) as form errors: a field the form
 * shows gets the server's own text next to it; anything else is listed in the summary.
 */
export function serverErrors(errors: Record<string, string[]> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, messages] of Object.entries(errors ?? {})) {
    const key = field.startsWith('increment') ? 'increment' : field.startsWith('soft_close') ? 'soft_close' : field;
    out[key] = [out[key], ...messages].filter(Boolean).join(' ');
  }
  return out;
}

// Money value object helpers. Amounts are integer minor units ("cents") everywhere; no float
// arithmetic ever touches an amount. The number of minor-unit digits comes from Intl (ISO 4217):
// USD/EUR → 2, CLP/JPY → 0, KWD → 3.

/** The largest amount the server accepts (10^13 minor units), well inside Number.MAX_SAFE_INTEGER. */
export const MAX_CENTS = 10_000_000_000_000;

const digitsCache = new Map<string, number>();

/** Minor-unit digits of an ISO currency code, from Intl's currency data (2 when unknown). */
export function minorUnitDigits(currency: string): number {
  const code = (currency || 'USD').toUpperCase();
  let digits = digitsCache.get(code);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(code, digits);
  }
  return digits;
}

/** Integer minor units → exact decimal string ("123450", USD → "1234.50"; CLP → "123450"). */
export function centsToDecimalString(cents: number, currency: string): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not an integer amount: ${cents}`);
  const digits = minorUnitDigits(currency);
  const negative = cents < 0;
  const abs = String(Math.abs(cents));
  if (digits === 0) return (negative ? '-' : '') + abs;
  const padded = abs.padStart(digits + 1, '0');
  const whole = padded.slice(0, padded.length - digits);
  const frac = padded.slice(padded.length - digits);
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

const formatCache = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, currency: string, compact: boolean): Intl.NumberFormat {
  const key = `${locale}|${currency}|${compact}`;
  let f = formatCache.get(key);
  if (!f) {
    const digits = minorUnitDigits(currency);
    f = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      ...(compact
        ? { notation: 'compact', maximumFractionDigits: 1 }
        : { minimumFractionDigits: digits, maximumFractionDigits: digits }),
    });
    formatCache.set(key, f);
  }
  return f;
}

/**
 * Formats integer minor units for display. The value handed to Intl is an exact decimal string
 * (Intl.NumberFormat v3), so even amounts beyond 2^53 / 100 never go through a float division.
 */
export function formatMoney(cents: number, currency: string, locale = 'en'): string {
  const text = centsToDecimalString(cents, currency);
  return formatter(locale, currency, false).format(text as unknown as number);
}

/** Short form for chart axes ("$1.2K", "CLP 16 mil"). */
export function formatMoneyCompact(cents: number, currency: string, locale = 'en'): string {
  return formatter(locale, currency, true).format(centsToDecimalString(cents, currency) as unknown as number);
}

/** A value to pre-fill an amount input with: "1234.50" (USD), "16000" (CLP). */
export function centsToInput(cents: number, currency: string): string {
  return centsToDecimalString(cents, currency);
}

export type ParseResult =
  | { ok: true; cents: number }
  | { ok: false; reason: 'empty' | 'invalid' | 'too_many_decimals' | 'too_large' };

/**
 * Parses what a bidder typed into integer minor units using string logic only.
 * Accepts "1234.50", "1234,50", "1,234.50", "1.234,50", "$ 1 234", "16.000" (CLP: grouping, no decimals).
 * With one kind of separator used once and followed by exactly three digits it is read as a
 * thousands separator when the currency has fewer than three minor digits ("1,234" USD → 1234.00).
 */
export function parseMoneyInput(input: string, currency: string): ParseResult {
  const digits = minorUnitDigits(currency);
  // Drop spaces (incl. NBSP / narrow NBSP used as grouping), apostrophes, currency symbols/codes.
  let s = input.trim().replace(/[\s\u00a0\u202f'’_]/g, '');
  s = s.replace(new RegExp(`^${currency}`, 'i'), '').replace(new RegExp(`${currency}$`, 'i'), '');
  s = s.replace(/^[$€£¥]|[$€£¥]$/g, '').replace(/^(US|CL|AR|MX|CA|AU)\$/i, '');
  if (s === '') return { ok: false, reason: 'empty' };
  if (!/^[0-9.,]+$/.test(s) || !/[0-9]/.test(s)) return { ok: false, reason: 'invalid' };

  let whole: string;
  let frac = '';
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    const decIdx = Math.max(lastDot, lastComma);
    const decSep = s[decIdx];
    const groupSep = decSep === '.' ? ',' : '.';
    whole = s.slice(0, decIdx);
    frac = s.slice(decIdx + 1);
    if (whole.includes(decSep)) return { ok: false, reason: 'invalid' };
    whole = whole.split(groupSep).join('');
  } else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? '.' : ',';
    const parts = s.split(sep);
    if (parts.length > 2) {
      // "1.234.567": grouping only; every group after the first must have three digits.
      if (parts.slice(1).some((p) => p.length !== 3)) return { ok: false, reason: 'invalid' };
      whole = parts.join('');
    } else {
      const [a, b] = parts as [string, string];
      if (b.length === 3 && digits < 3 && a.length > 0) {
        whole = a + b; // thousands separator
      } else {
        whole = a;
        frac = b;
      }
    }
  } else {
    whole = s;
  }
  if (whole === '' && frac === '') return { ok: false, reason: 'invalid' };
  if (!/^[0-9]*$/.test(whole) || !/^[0-9]*$/.test(frac)) return { ok: false, reason: 'invalid' };
  if (frac.length > digits) {
    // Trailing zeros beyond the minor unit are harmless ("1234.500" USD).
    if (/^0*$/.test(frac.slice(digits))) frac = frac.slice(0, digits);
    else return { ok: false, reason: 'too_many_decimals' };
  }
  const text = ((whole.replace(/^0+/, '') || '0') + frac.padEnd(digits, '0')).replace(/^0+(?=\d)/, '');
  if (text.length > 16) return { ok: false, reason: 'too_large' };
  const cents = Number(text); // an integer string of ≤ 16 digits: exact after the check below
  if (!Number.isSafeInteger(cents) || cents > MAX_CENTS) return { ok: false, reason: 'too_large' };
  return { ok: true, cents };
}

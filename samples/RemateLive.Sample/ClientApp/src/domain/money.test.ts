import { describe, expect, it } from 'vitest';
import { centsToDecimalString, formatMoney, MAX_CENTS, minorUnitDigits, parseMoneyInput } from './money';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('minorUnitDigits', () => {
  it('comes from Intl currency data', () => {
    expect(minorUnitDigits('USD')).toBe(2);
    expect(minorUnitDigits('EUR')).toBe(2);
    expect(minorUnitDigits('CLP')).toBe(0);
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(minorUnitDigits('KWD')).toBe(3);
    expect(minorUnitDigits('clp')).toBe(0);
  });
  it('falls back to 2 for an invalid code', () => {
    expect(minorUnitDigits('not-a-code')).toBe(2);
  });
});

describe('centsToDecimalString', () => {
  it('places the decimal point by string logic', () => {
    expect(centsToDecimalString(123450, 'USD')).toBe('1234.50');
    expect(centsToDecimalString(5, 'USD')).toBe('0.05');
    expect(centsToDecimalString(0, 'EUR')).toBe('0.00');
    expect(centsToDecimalString(123450, 'CLP')).toBe('123450');
    expect(centsToDecimalString(1234, 'KWD')).toBe('1.234');
    expect(centsToDecimalString(-250, 'USD')).toBe('-2.50');
  });
  it('is exact where float division is not', () => {
    // 0.1 + 0.2 style traps: 1000000000000001 cents is 10000000000000.01 exactly.
    expect(centsToDecimalString(1000000000000001, 'USD')).toBe('10000000000000.01');
  });
  it('rejects non-integers', () => {
    expect(() => centsToDecimalString(1.5, 'USD')).toThrow(RangeError);
  });
});

describe('formatMoney', () => {
  it('formats USD and EUR with two decimals', () => {
    expect(formatMoney(1600000, 'USD', 'en-US')).toBe('$16,000.00');
    expect(nbsp(formatMoney(123456, 'EUR', 'es-ES'))).toBe('1234,56 €');
    expect(formatMoney(5, 'USD', 'en-US')).toBe('$0.05');
  });
  it('formats CLP and JPY without decimals', () => {
    expect(formatMoney(1600000, 'CLP', 'es-CL')).toBe('$1.600.000');
    expect(nbsp(formatMoney(1600000, 'CLP', 'en-US'))).toBe('CLP 1,600,000');
    expect(formatMoney(98000, 'JPY', 'en-US')).toBe('¥98,000');
  });
  it('keeps precision beyond 2^53 / 100', () => {
    expect(formatMoney(MAX_CENTS - 1, 'USD', 'en-US')).toBe('$99,999,999,999.99');
  });
});

describe('parseMoneyInput', () => {
  const ok = (input: string, currency: string) => {
    const r = parseMoneyInput(input, currency);
    if (!r.ok) throw new Error(`${input} → ${r.reason}`);
    return r.cents;
  };
  it('parses USD/EUR decimals with either separator', () => {
    expect(ok('1234.50', 'USD')).toBe(123450);
    expect(ok('1234,50', 'EUR')).toBe(123450);
    expect(ok('1234.5', 'USD')).toBe(123450);
    expect(ok('1234', 'USD')).toBe(123400);
    expect(ok('0.07', 'USD')).toBe(7);
    expect(ok('.5', 'USD')).toBe(50);
    expect(ok('19.99', 'USD')).toBe(1999); // 19.99 * 100 = 1998.9999999999998 in floats
  });
  it('parses grouping separators', () => {
    expect(ok('1,234.50', 'USD')).toBe(123450);
    expect(ok('1.234,50', 'EUR')).toBe(123450);
    expect(ok('$ 1 234.50', 'USD')).toBe(123450);
    expect(ok('1,234', 'USD')).toBe(123400);
    expect(ok('1.234.567', 'EUR')).toBe(123456700);
    expect(ok('USD 12', 'USD')).toBe(1200);
    expect(ok('1\u00a0234,50 €', 'EUR')).toBe(123450);
  });
  it('reads CLP input as whole pesos', () => {
    expect(ok('16000', 'CLP')).toBe(16000);
    expect(ok('16.000', 'CLP')).toBe(16000);
    expect(ok('$1.600.000', 'CLP')).toBe(1600000);
    expect(ok('1,600,000', 'CLP')).toBe(1600000);
    expect(ok('98000', 'JPY')).toBe(98000);
  });
  it('rejects decimals a currency does not have', () => {
    expect(parseMoneyInput('1500.5', 'CLP')).toEqual({ ok: false, reason: 'too_many_decimals' });
    expect(parseMoneyInput('12.345', 'KWD')).toEqual({ ok: true, cents: 12345 });
    expect(parseMoneyInput('1.999', 'USD')).toEqual({ ok: true, cents: 199900 }); // grouping, not 3 decimals
    expect(parseMoneyInput('1.9999', 'USD')).toEqual({ ok: false, reason: 'too_many_decimals' });
    expect(parseMoneyInput('12.500', 'CLP')).toEqual({ ok: true, cents: 12500 });
  });
  it('accepts harmless trailing zeros', () => {
    expect(ok('12.5000', 'USD')).toBe(1250);
  });
  it('rejects junk, empties and huge amounts', () => {
    expect(parseMoneyInput('', 'USD')).toEqual({ ok: false, reason: 'empty' });
    expect(parseMoneyInput('   ', 'USD')).toEqual({ ok: false, reason: 'empty' });
    expect(parseMoneyInput('abc', 'USD')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseMoneyInput('12a', 'USD')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseMoneyInput('-5', 'USD')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseMoneyInput('1e5', 'USD')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseMoneyInput('.', 'USD')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseMoneyInput('1.2.3', 'USD')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseMoneyInput('1.234,5,6', 'EUR')).toEqual({ ok: false, reason: 'invalid' });
    expect(parseMoneyInput('999999999999999999', 'USD')).toEqual({ ok: false, reason: 'too_large' });
    expect(parseMoneyInput('100000000001', 'USD')).toEqual({ ok: false, reason: 'too_large' });
    expect(parseMoneyInput('100000000000', 'USD')).toEqual({ ok: true, cents: MAX_CENTS });
  });
});

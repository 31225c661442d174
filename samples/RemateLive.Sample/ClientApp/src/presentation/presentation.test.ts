import { describe, expect, it } from 'vitest';
import { detectLang, messages, translate } from '../application/i18n';
import { bid } from '../test/fixtures';
import { matchRoute } from './App';
import { chartPoints } from './components/PriceChart';
import { formatDuration } from './components/Timer';

describe('matchRoute', () => {
  it('maps /auctions/:id to the room and anything else to the list', () => {
    expect(matchRoute('/auctions/abc-123')).toEqual({ name: 'room', id: 'abc-123' });
    expect(matchRoute('/auctions/abc-123/')).toEqual({ name: 'room', id: 'abc-123' });
    expect(matchRoute('/auctions/a%20b')).toEqual({ name: 'room', id: 'a b' });
    expect(matchRoute('/')).toEqual({ name: 'list' });
    expect(matchRoute('/auctions')).toEqual({ name: 'list' });
    expect(matchRoute('/auctions/x/bids')).toEqual({ name: 'list' });
  });
});

describe('chartPoints', () => {
  it('draws a rising step line from the starting price (SVG y grows downwards)', () => {
    const pts = chartPoints([bid(2, 300), bid(1, 200)], 100, 100, 50, 0);
    // start at (0, floor), then per bid a horizontal then a vertical segment
    expect(pts[0]).toEqual({ x: 0, y: 50 });
    expect(pts).toHaveLength(5);
    expect(pts[2]).toEqual({ x: 0, y: 25 }); // bid 1 (200) half way up at t0
    expect(pts[4]).toEqual({ x: 100, y: 0 }); // bid 2 (300) at the top, right edge
  });
  it('centres a flat history and handles no bids', () => {
    const pts = chartPoints([bid(1, 100)], 100, 100, 50, 0);
    expect(pts.every((p) => p.y === 25)).toBe(true);
    expect(chartPoints([], 100, 100, 50)).toEqual([]);
  });
});

describe('formatDuration', () => {
  const days = (d: number) => `${d} d`;
  it('formats mm:ss, hh:mm:ss and days, rounding up partial seconds', () => {
    expect(formatDuration(65_000, days)).toBe('01:05');
    expect(formatDuration(64_001, days)).toBe('01:05');
    expect(formatDuration(3_600_000 + 61_000, days)).toBe('01:01:01');
    expect(formatDuration(2 * 86_400_000 + 5_000, days)).toBe('2 d 00:00:05');
    expect(formatDuration(-5, days)).toBe('00:00');
  });
});

describe('i18n', () => {
  it('defaults from navigator.language unless the user chose', () => {
    expect(detectLang('es-CL', null)).toBe('es');
    expect(detectLang('en-GB', null)).toBe('en');
    expect(detectLang(undefined, null)).toBe('en');
    expect(detectLang('es-ES', 'en')).toBe('en');
  });
  it('has every key in both languages, with the same placeholders', () => {
    const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(messages.en) as (keyof typeof messages.en)[]) {
      expect(messages.es[key], key).toBeTruthy();
      expect(ph(messages.es[key]), key).toEqual(ph(messages.en[key]));
    }
  });
  it('turns every bid_error code into human text, with a fallback for new codes', () => {
    for (const code of ['BID_TOO_LOW', 'CONCURRENCY', 'AUCTION_CLOSED', 'AUCTION_NOT_OPEN', 'RATE_LIMITED', 'NOT_AUTHENTICATED', 'SELLER_CANNOT_BID', 'INVALID_AMOUNT', 'NOT_FOUND']) {
      expect(translate('en', `error.${code}`, { min: '$5.00' })).not.toContain('error.');
      expect(translate('es', `error.${code}`, { min: '$5' })).not.toMatch(/Algo salió mal/);
    }
    expect(translate('en', 'error.BID_TOO_LOW', { min: '$16,100.00' })).toBe('Your bid is too low. The minimum is now $16,100.00.');
    expect(translate('es', 'error.SOMETHING_NEW', { fallback: 'boom' })).toBe('Algo salió mal: boom');
  });
});

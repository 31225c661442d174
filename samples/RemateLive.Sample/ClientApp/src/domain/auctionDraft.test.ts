import { describe, expect, it } from 'vitest';
import { checkDraft, emptyDraft, isoToLocal, parsePercent, serverErrors, type AuctionDraft } from './auctionDraft';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const inHours = (h: number) => isoToLocal(NOW + h * 3600_000);

function draft(over: Partial<AuctionDraft> = {}): AuctionDraft {
  return { ...emptyDraft(NOW), title: 'Leica M3', startingPrice: '1.200,00', incrementAmount: '25', ...over };
}

function errorsOf(d: AuctionDraft): Record<string, string> {
  const r = checkDraft(d, NOW);
  if (r.ok) return {};
  return Object.fromEntries(Object.entries(r.errors).map(([k, v]) => [k, v.key]));
}

describe('checkDraft', () => {
  it('builds the request the server reads: cents, ISO instants, snake_case soft close', () => {
    const r = checkDraft(draft({ reservePrice: '1500', buyNowPrice: '3000', currency: 'usd', startsAt: inHours(1), endsAt: inHours(5) }), NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.request).toMatchObject({
      title: 'Leica M3',
      currency: 'USD',
      starting_price_cents: 120000,
      reserve_price_cents: 150000,
      buy_now_price_cents: 300000,
      increment: { kind: 'fixed', amount_cents: 2500 },
      starts_at: new Date(NOW + 3600_000).toISOString(),
      ends_at: new Date(NOW + 5 * 3600_000).toISOString(),
      soft_close: { window_seconds: 120, extension_seconds: 120, max_extensions: 10 },
      anonymous_bidding: false,
    });
    expect(r.request.description).toBeNull();
  });

  it('requires the title, a currency code, a starting price and an increment', () => {
    expect(errorsOf(draft({ title: '  ', currency: 'US', startingPrice: '', incrementAmount: '' }))).toMatchObject({
      title: 'admin.err.title',
      currency: 'admin.err.currency',
    });
    expect(errorsOf(draft({ startingPrice: '', incrementAmount: '' }))).toEqual({
      starting_price_cents: 'admin.err.required',
      increment: 'admin.err.required',
    });
  });

  it('mirrors the server on reserve and buy-now', () => {
    expect(errorsOf(draft({ reservePrice: '1000' }))).toEqual({ reserve_price_cents: 'admin.err.reserveBelowStart' });
    expect(errorsOf(draft({ buyNowPrice: '1200' }))).toEqual({ buy_now_price_cents: 'admin.err.buyNowNotAboveStart' });
    expect(errorsOf(draft({ reservePrice: '2000', buyNowPrice: '1500' }))).toEqual({ buy_now_price_cents: 'admin.err.buyNowBelowReserve' });
    expect(errorsOf(draft({ reservePrice: '2000', buyNowPrice: '2000' }))).toEqual({});
  });

  it('reads amounts in the currency: no decimals for CLP', () => {
    expect(errorsOf(draft({ currency: 'CLP', startingPrice: '1500.5' }))).toEqual({ starting_price_cents: 'bid.err.too_many_decimals' });
    const r = checkDraft(draft({ currency: 'CLP', startingPrice: '1.500.000', incrementAmount: '50.000' }), NOW);
    expect(r.ok && r.request.starting_price_cents).toBe(1500000);
  });

  it('percent increments are basis points from 1 to 100000', () => {
    expect(parsePercent('2.5')).toBe(250);
    expect(parsePercent('2,55')).toBe(255);
    expect(parsePercent('5 %')).toBe(500);
    expect(parsePercent('2.555')).toBeNull();
    const ok = checkDraft(draft({ incrementKind: 'percent', incrementPercent: '1000' }), NOW);
    expect(ok.ok && ok.request.increment).toMatchObject({ kind: 'percent', basis_points: 100000 });
    expect(errorsOf(draft({ incrementKind: 'percent', incrementPercent: '0' }))).toEqual({ increment: 'admin.err.percent' });
    expect(errorsOf(draft({ incrementKind: 'percent', incrementPercent: '1000.01' }))).toEqual({ increment: 'admin.err.percent' });
  });

  it('tiered tables: the first band starts at 0, bands strictly increase, increments above zero', () => {
    const tiers = (...t: [string, string][]) => t.map(([from, increment]) => ({ from, increment }));
    const ok = checkDraft(draft({ incrementKind: 'tiered', tiers: tiers(['0', '10'], ['500', '50'], ['1.000', '100']) }), NOW);
    expect(ok.ok && ok.request.increment).toMatchObject({
      kind: 'tiered',
      tiers: [
        { from_cents: 0, increment_cents: 1000 },
        { from_cents: 50000, increment_cents: 5000 },
        { from_cents: 100000, increment_cents: 10000 },
      ],
    });
    expect(errorsOf(draft({ incrementKind: 'tiered', tiers: tiers(['10', '10']) }))).toEqual({ increment: 'admin.err.tiersFirst' });
    expect(errorsOf(draft({ incrementKind: 'tiered', tiers: tiers(['0', '10'], ['500', '5'], ['500', '6']) }))).toEqual({
      increment: 'admin.err.tiersOrder',
    });
    expect(errorsOf(draft({ incrementKind: 'tiered', tiers: tiers(['0', '10'], ['', '0']) }))).toEqual({ 'tiers.1': 'admin.err.tier' });
    expect(errorsOf(draft({ incrementKind: 'tiered', tiers: [] }))).toEqual({ increment: 'admin.err.tiersEmpty' });
  });

  it('the end is in the future and after the start', () => {
    expect(errorsOf(draft({ endsAt: inHours(-1) }))).toEqual({ ends_at: 'admin.err.endsAt' });
    expect(errorsOf(draft({ startsAt: inHours(3), endsAt: inHours(2) }))).toEqual({ ends_at: 'admin.err.endsAt' });
    expect(errorsOf(draft({ endsAt: '' }))).toEqual({ ends_at: 'admin.err.date' });
  });

  it('soft close: window and extension 1..86400 s, cap 0..1000; off sends null', () => {
    expect(errorsOf(draft({ windowSeconds: '0', extensionSeconds: '86401', maxExtensions: '1001' }))).toEqual({
      'soft_close.window_seconds': 'admin.err.seconds',
      'soft_close.extension_seconds': 'admin.err.seconds',
      'soft_close.max_extensions': 'admin.err.maxExtensions',
    });
    const off = checkDraft(draft({ softClose: false, windowSeconds: 'x' }), NOW);
    expect(off.ok && off.request.soft_close).toBeNull();
  });

  it('image URLs: http(s) or a site path, at most 2048 characters', () => {
    expect(errorsOf(draft({ imageUrl: 'https://example.org/a.jpg' }))).toEqual({});
    expect(errorsOf(draft({ imageUrl: '/img/a.jpg' }))).toEqual({});
    expect(errorsOf(draft({ imageUrl: 'not a url' }))).toEqual({ image_url: 'admin.err.imageUrl' });
    expect(errorsOf(draft({ imageUrl: 'https://x.org/' + 'a'.repeat(2048) }))).toEqual({ image_url: 'admin.err.imageUrl' });
  });
});

describe('serverErrors', () => {
  it('groups the server problem by the form field that shows it', () => {
    expect(serverErrors({ 'increment.tiers': ['Every tier needs from_cents.'], increment: ['Bad.'], ends_at: ['In the past.'] })).toEqual({
      increment: 'Every tier needs from_cents. Bad.',
      ends_at: 'In the past.',
    });
    expect(serverErrors(undefined)).toEqual({});
  });
});

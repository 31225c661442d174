import { useApp } from '../../application/context/AppContext';
import { formatMoneyCompact } from '../../domain/money';
import type { Bid } from '../../domain/types';

export interface ChartPoint {
  x: number;
  y: number;
}

/**
 * Maps a bid history (any order) to a step line in a w×h box: time on x, price on y.
 * Prices are integer cents; only the final pixel position is a float.
 */
export function chartPoints(bids: Bid[], startCents: number, w: number, h: number, pad = 4): ChartPoint[] {
  const sorted = [...bids].sort((a, b) => a.seq - b.seq);
  if (sorted.length === 0) return [];
  const t0 = Date.parse(sorted[0]!.placed_at);
  const t1 = Date.parse(sorted[sorted.length - 1]!.placed_at);
  const lo = Math.min(startCents, ...sorted.map((b) => b.amount_cents));
  const hi = Math.max(...sorted.map((b) => b.amount_cents));
  const span = Math.max(1, t1 - t0);
  const range = hi - lo;
  const x = (t: number) => pad + ((t - t0) / span) * (w - 2 * pad);
  // A flat history (one price) sits in the middle instead of on the floor.
  const y = (c: number) => (range === 0 ? h / 2 : h - pad - ((c - lo) / range) * (h - 2 * pad));
  const pts: ChartPoint[] = [{ x: x(t0), y: y(Math.min(startCents, sorted[0]!.amount_cents)) }];
  for (const b of sorted) {
    const px = sorted.length === 1 ? w - pad : x(Date.parse(b.placed_at));
    pts.push({ x: px, y: pts[pts.length - 1]!.y });
    pts.push({ x: px, y: y(b.amount_cents) });
  }
  return pts;
}

export function PriceChart({ bids, currency, startCents }: { bids: Bid[]; currency: string; startCents: number }) {
  const { t, money, locale } = useApp();
  const W = 320;
  const H = 120;
  if (bids.length === 0) return null;
  const pts = chartPoints(bids, startCents, W, H);
  const line = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
  const area = `${line} L${pts[pts.length - 1]!.x.toFixed(1)},${H} L${pts[0]!.x.toFixed(1)},${H} Z`;
  const sorted = [...bids].sort((a, b) => a.seq - b.seq);
  const first = Math.min(startCents, sorted[0]!.amount_cents);
  const last = sorted[sorted.length - 1]!.amount_cents;
  const end = pts[pts.length - 1]!;
  return (
    <section className="card chart" aria-labelledby="chart-heading">
      <h2 id="chart-heading">{t('chart.heading')}</h2>
      <figure>
        <svg
          viewBox={`0 0 ${W} ${H}`}
          role="img"
          aria-label={t('chart.label', { from: money(first, currency), to: money(last, currency), count: bids.length })}
          data-testid="price-chart"
        >
          <defs>
            <linearGradient id="chart-fill" x1="0" x2="0" y1="0" y2="1">
              <stop offset="0%" stopColor="var(--accent)" stopOpacity="0.35" />
              <stop offset="100%" stopColor="var(--accent)" stopOpacity="0" />
            </linearGradient>
          </defs>
          {[0.25, 0.5, 0.75].map((f) => (
            <line key={f} className="chart-grid" x1="0" x2={W} y1={H * f} y2={H * f} vectorEffect="non-scaling-stroke" />
          ))}
          <path d={area} fill="url(#chart-fill)" stroke="none" />
          <path d={line} fill="none" stroke="var(--accent)" strokeWidth="2" vectorEffect="non-scaling-stroke" />
          <circle cx={end.x} cy={end.y} r="3.5" fill="var(--accent)" />
        </svg>
        <figcaption className="chart-axis">
          <span>{formatMoneyCompact(first, currency, locale)}</span>
          <span>{formatMoneyCompact(last, currency, locale)}</span>
        </figcaption>
      </figure>
    </section>
  );
}

/** The live-sale routes: `/sales`, `/sales/:id` (bidder view) and `/sales/:id/console` (auctioneer). */
export type SaleRoute = { name: 'sales' } | { name: 'sale' | 'console'; id: string };

export function matchSaleRoute(path: string): SaleRoute | null {
  const m = /^\/sales(?:\/([^/?#]+)(\/console)?)?\/?$/.exec(path);
  if (!m) return null;
  if (!m[1]) return { name: 'sales' };
  return { name: m[2] ? 'console' : 'sale', id: decodeURIComponent(m[1]) };
}

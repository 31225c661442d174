/** The admin console's routes: `/admin` and `/admin/auctions/:id` (null for any other path). */
export function matchAdminRoute(path: string): { name: 'admin' } | { name: 'adminAuction'; id: string } | null {
  if (/^\/admin\/?$/.test(path)) return { name: 'admin' };
  const m = /^\/admin\/auctions\/([^/?#]+)\/?$/.exec(path);
  return m ? { name: 'adminAuction', id: decodeURIComponent(m[1]!) } : null;
}

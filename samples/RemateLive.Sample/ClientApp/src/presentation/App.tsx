import { useApp } from '../application/context/AppContext';
import { AuctionListPage } from './pages/AuctionListPage';
import { AuctionRoomPage } from './pages/AuctionRoomPage';
import { LoginPage } from './pages/LoginPage';
import { AdminAuctionPage } from './pages/admin/AdminAuctionPage';
import { AdminConsolePage } from './pages/admin/AdminConsolePage';
import { matchAdminRoute } from './pages/admin/adminRoutes';
import { MyBidsPage } from './pages/MyBidsPage';
import { WatchlistPage } from './pages/WatchlistPage';
import { SaleRoutePage } from './pages/sale/SaleRoutePage';
import { matchSaleRoute } from './pages/sale/saleRoutes';

/** Two routes need no router library: `/` and `/auctions/:id` (history API; the host falls back to index.html). */
export function matchRoute(
  path: string,
): { name: 'list' } | { name: 'room'; id: string } | { name: 'myBids' } | { name: 'watchlist' } {
  if (/^\/me\/bids\/?$/.test(path)) return { name: 'myBids' };
  if (/^\/me\/watchlist\/?$/.test(path)) return { name: 'watchlist' };
  const m = /^\/auctions\/([^/?#]+)\/?$/.exec(path);
  return m ? { name: 'room', id: decodeURIComponent(m[1]!) } : { name: 'list' };
}

export function App() {
  const { session, path } = useApp();
  if (!session) return <LoginPage />;
  // The admin console (`/admin…`) is for the admin role only; the server checks every admin call too.
  const admin = session.role === 'admin' ? matchAdminRoute(path) : null;
  if (admin) return admin.name === 'admin' ? <AdminConsolePage /> : <AdminAuctionPage key={admin.id} auctionId={admin.id} />;
  const sale = matchSaleRoute(path);
  if (sale) return <SaleRoutePage route={sale} />;
  const route = matchRoute(path);
  if (route.name === 'myBids') return <MyBidsPage />;
  if (route.name === 'watchlist') return <WatchlistPage />;
  return route.name === 'room' ? <AuctionRoomPage key={route.id} auctionId={route.id} /> : <AuctionListPage />;
}

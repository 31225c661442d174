import { useApp } from '../application/context/AppContext';
import { AuctionListPage } from './pages/AuctionListPage';
import { AuctionRoomPage } from './pages/AuctionRoomPage';
import { LoginPage } from './pages/LoginPage';
import { AuctioneerConsolePage } from './pages/sale/AuctioneerConsolePage';
import { SaleBidderPage } from './pages/sale/SaleBidderPage';
import { SaleListPage } from './pages/sale/SaleListPage';

/** Two routes need no router library: `/` and `/auctions/:id` (history API; the host falls back to index.html). */
export function matchRoute(
  path: string,
): { name: 'list' } | { name: 'room'; id: string } | { name: 'sales' } | { name: 'sale' | 'console'; id: string } {
  const sale = /^\/sales(?:\/([^/?#]+)(\/console)?)?\/?$/.exec(path);
  if (sale) return !sale[1] ? { name: 'sales' } : { name: sale[2] ? 'console' : 'sale', id: decodeURIComponent(sale[1]) };
  const m = /^\/auctions\/([^/?#]+)\/?$/.exec(path);
  return m ? { name: 'room', id: decodeURIComponent(m[1]!) } : { name: 'list' };
}

export function App() {
  const { session, path } = useApp();
  if (!session) return <LoginPage />;
  const route = matchRoute(path);
  if (route.name === 'sales') return <SaleListPage />;
  if (route.name === 'sale') return <SaleBidderPage key={route.id} saleId={route.id} />;
  if (route.name === 'console') return <AuctioneerConsolePage key={route.id} saleId={route.id} />;
  return route.name === 'room' ? <AuctionRoomPage key={route.id} auctionId={route.id} /> : <AuctionListPage />;
}

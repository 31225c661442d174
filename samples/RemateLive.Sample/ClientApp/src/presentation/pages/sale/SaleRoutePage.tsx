import { AuctioneerConsolePage } from './AuctioneerConsolePage';
import { SaleBidderPage } from './SaleBidderPage';
import { SaleListPage } from './SaleListPage';
import type { SaleRoute } from './saleRoutes';

/** The page of a live-sale route (one sale per page instance: a new id starts a new connection). */
export function SaleRoutePage({ route }: { route: SaleRoute }) {
  if (route.name === 'sales') return <SaleListPage />;
  if (route.name === 'console') return <AuctioneerConsolePage key={route.id} saleId={route.id} />;
  return <SaleBidderPage key={route.id} saleId={route.id} />;
}

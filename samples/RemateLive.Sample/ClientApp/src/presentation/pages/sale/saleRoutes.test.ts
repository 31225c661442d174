import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../App';
import { matchSaleRoute } from './saleRoutes';
import { canRunSale } from './saleText';

describe('sale routes', () => {
  it('maps the sales list, a sale and its console, and nothing else', () => {
    expect(matchSaleRoute('/sales')).toEqual({ name: 'sales' });
    expect(matchSaleRoute('/sales/')).toEqual({ name: 'sales' });
    expect(matchSaleRoute('/sales/s%201')).toEqual({ name: 'sale', id: 's 1' });
    expect(matchSaleRoute('/sales/s1/console')).toEqual({ name: 'console', id: 's1' });
    expect(matchSaleRoute('/sales/s1/other')).toBeNull();
    expect(matchSaleRoute('/salesman')).toBeNull();
    expect(matchSaleRoute('/auctions/a1')).toBeNull();
    expect(matchRoute('/auctions/a1')).toEqual({ name: 'room', id: 'a1' });
  });

  it('shows the console to admins and auctioneers only', () => {
    expect(canRunSale('admin')).toBe(true);
    expect(canRunSale('auctioneer')).toBe(true);
    expect(canRunSale('bidder')).toBe(false);
    expect(canRunSale(undefined)).toBe(false);
  });
});

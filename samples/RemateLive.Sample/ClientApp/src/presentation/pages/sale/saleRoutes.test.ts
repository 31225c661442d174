import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../App';
import { canRunSale } from './saleText';

describe('sale routes', () => {
  it('maps the sales list, a sale and its console; other paths as before', () => {
    expect(matchRoute('/sales')).toEqual({ name: 'sales' });
    expect(matchRoute('/sales/')).toEqual({ name: 'sales' });
    expect(matchRoute('/sales/s%201')).toEqual({ name: 'sale', id: 's 1' });
    expect(matchRoute('/sales/s1/console')).toEqual({ name: 'console', id: 's1' });
    expect(matchRoute('/sales/s1/other')).toEqual({ name: 'list' });
    expect(matchRoute('/auctions/a1')).toEqual({ name: 'room', id: 'a1' });
    expect(matchRoute('/')).toEqual({ name: 'list' });
  });

  it('shows the console to admins and auctioneers only', () => {
    expect(canRunSale('admin')).toBe(true);
    expect(canRunSale('auctioneer')).toBe(true);
    expect(canRunSale('bidder')).toBe(false);
    expect(canRunSale(undefined)).toBe(false);
  });
});

import type { AppContextValue } from '../../../application/context/AppContext';
import type { SaleNotice } from '../../../application/saleReducer';
import type { BidSource, SaleEvent, SaleView } from '../../../domain/sale';

type T = AppContextValue['t'];
type Money = AppContextValue['money'];

export function sourceText(t: T, source: BidSource | null): string {
  return source ? t(`sale.source.${source}`) : '';
}

/** A notice's text: sale-specific wording for a code when there is one, else the app's general `error.*`. */
export function noticeText(t: T, notice: SaleNotice): string {
  const text = t(notice.key, notice.params);
  if (text !== notice.key) return text;
  const code = notice.key.slice(notice.key.lastIndexOf('.') + 1);
  return t(`error.${code}`, notice.params);
}

/** One line of the sale's event stream, in the user's language. */
export function eventText(t: T, money: Money, sale: SaleView, event: SaleEvent): string {
  const c = sale.currency;
  const lotNumber = (lotId: string) => sale.lots.find((l) => l.id === lotId)?.number ?? '?';
  switch (event.type) {
    case 'lot_opened':
      return t('sale.event.lot_opened', { n: event.payload.lot_number, amount: money(event.payload.asking_price_cents, c) });
    case 'asking_price':
      return t('sale.event.asking_price', { amount: money(event.payload.asking_price_cents, c) });
    case 'bid_placed':
      return t('sale.event.bid_placed', {
        amount: money(event.payload.amount_cents, c),
        paddle: event.payload.paddle,
        source: sourceText(t, event.payload.source),
      });
    case 'fair_warning':
      return t('sale.event.fair_warning');
    case 'lot_sold':
      return t('sale.event.lot_sold', {
        n: lotNumber(event.payload.lot_id),
        amount: money(event.payload.price_cents, c),
        paddle: event.payload.paddle,
        source: sourceText(t, event.payload.source),
      });
    case 'lot_passed':
    case 'lot_withdrawn':
      return t(`sale.event.${event.type}`, { n: lotNumber(event.payload.lot_id) });
    case 'sale_paused':
    case 'sale_resumed':
      return t(`sale.event.${event.type}`);
    case 'sale_ended':
      return t('sale.event.sale_ended', { sold: event.payload.sold, passed: event.payload.passed, withdrawn: event.payload.withdrawn });
  }
}

/** The user may run the rostrum (the server decides; this only chooses what to show). */
export function canRunSale(role: string | undefined): boolean {
  return role === 'admin' || role === 'auctioneer';
}

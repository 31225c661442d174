import { ApiError } from '@remate-live/client';
import type { SaleEvent, SaleView } from '../domain/sale';

/** The rostrum actions of `POST /api/sales/{id}/auctioneer`. */
export type AuctioneerAction =
  | { action: 'open_lot'; lot_id?: string }
  | { action: 'set_asking'; amount_cents: number }
  | { action: 'floor_bid'; paddle: number; amount_cents: number }
  | { action: 'fair_warning' | 'sold' | 'pass' | 'pause' | 'resume' }
  | { action: 'withdraw'; lot_id: string };

export interface AbsenteeBidAccepted {
  lot_id: string;
  paddle: number;
  max_amount_cents: number;
}

interface Problem {
  code?: string;
  title?: string;
  detail?: string;
  errors?: Record<string, string[]>;
}

/**
 * The sale endpoints under `/api/sales` (docs/protocol.md, "Live sales"). Errors are thrown as the
 * client package's ApiError (problem details `code`), like the rest of the UI's REST calls.
 */
export class HttpSaleApi {
  constructor(
    private readonly getToken: () => string | undefined,
    private readonly baseUrl = '',
  ) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const token = this.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(`${this.baseUrl}/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let data: unknown = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    if (!res.ok) {
      const p = (data && typeof data === 'object' ? data : {}) as Problem;
      const code = p.code ?? (res.status === 404 ? 'NOT_FOUND' : res.status === 401 ? 'NOT_AUTHENTICATED' : `HTTP_${res.status}`);
      throw new ApiError(res.status, code, p.detail ?? p.title ?? res.statusText, p.errors);
    }
    return data as T;
  }

  listSales(): Promise<SaleView[]> {
    return this.call('GET', '/sales');
  }

  getSale(id: string): Promise<SaleView> {
    return this.call('GET', `/sales/${encodeURIComponent(id)}`);
  }

  /** Stored events after `afterSeq`, as the socket sends them. */
  events(id: string, afterSeq: number, limit = 100): Promise<SaleEvent[]> {
    return this.call('GET', `/sales/${encodeURIComponent(id)}/events?after_seq=${afterSeq}&limit=${limit}`);
  }

  /** A secret maximum on a lot that has not opened yet (a second one replaces the first). */
  absenteeBid(saleId: string, lotId: string, maxAmountCents: number): Promise<AbsenteeBidAccepted> {
    return this.call('POST', `/sales/${encodeURIComponent(saleId)}/lots/${encodeURIComponent(lotId)}/absentee-bids`, {
      max_amount_cents: maxAmountCents,
    });
  }

  /** One rostrum action; the answer is the sale after it. */
  command(saleId: string, command: AuctioneerAction): Promise<SaleView> {
    return this.call('POST', `/sales/${encodeURIComponent(saleId)}/auctioneer`, command);
  }
}

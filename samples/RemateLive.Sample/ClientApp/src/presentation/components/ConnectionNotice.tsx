import { useApp } from '../../application/context/AppContext';
import type { ConnectionState } from '../../domain/types';
import './bidder.css';

/**
 * Says plainly when the room is not live: offline at once (the browser's `offline` event), and that a bid
 * made meanwhile is waiting to be sent (once, with its idempotency key) rather than placed.
 */
export function ConnectionNotice({ connection, pendingBids }: { connection: ConnectionState; pendingBids: number }) {
  const { t } = useApp();
  const waiting = pendingBids > 0 && connection !== 'open';
  // The live region stays mounted (announced when its text changes); only its content comes and goes.
  return (
    <div className="connection-notice" role="status" data-testid="connection-notice" data-state={connection}>
      {connection === 'offline' && <p data-testid="offline-notice">{t('room.offline')}</p>}
      {waiting && <p data-testid="bid-waiting">{t('room.bidWaiting')}</p>}
    </div>
  );
}

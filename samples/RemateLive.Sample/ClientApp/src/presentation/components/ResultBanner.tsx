import { useApp } from '../../application/context/AppContext';
import type { RoomResult } from '../../application/roomReducer';
import { BanIcon, GavelIcon, TrophyIcon } from './Icons';

// "You won" by paddle, never by display name: two users may share a name.
export function ResultBanner({ result, currency, myPaddle }: { result: RoomResult; currency: string; myPaddle: number | null }) {
  const { t, money } = useApp();
  let text: string;
  let tone: 'won' | 'sold' | 'none' | 'cancelled';
  if (result.kind === 'cancelled') {
    tone = 'cancelled';
    text = result.reason ? t('result.cancelledReason', { reason: result.reason }) : t('result.cancelled');
  } else if (!result.winner_name) {
    tone = 'none';
    text = result.reserve_met === false ? t('result.reserveNotMet') : t('result.noWinner');
  } else if (myPaddle != null && result.winner_paddle === myPaddle) {
    tone = 'won';
    text = t('result.won', { amount: money(result.final_price_cents, currency) });
  } else {
    tone = 'sold';
    text = t('result.winner', { name: result.winner_name, amount: money(result.final_price_cents, currency) });
  }
  return (
    <div className={`result-banner result-${tone}`} role="status" data-testid="result-banner" data-tone={tone}>
      <span className="result-icon" aria-hidden="true">
        {tone === 'won' ? <TrophyIcon /> : tone === 'sold' ? <GavelIcon /> : <BanIcon />}
      </span>
      <strong>{text}</strong>
    </div>
  );
}

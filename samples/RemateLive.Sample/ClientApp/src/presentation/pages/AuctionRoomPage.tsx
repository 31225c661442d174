import { useApp } from '../../application/context/AppContext';
import { useAuctionRoom } from '../../application/hooks/useAuctionRoom';
import { AuctionItem } from '../components/AuctionItem';
import { BidHistory } from '../components/BidHistory';
import { BidPanel } from '../components/BidPanel';
import { BuyNowPanel } from '../components/BuyNowPanel';
import { Header } from '../components/Header';
import { Notices } from '../components/Notices';
import { PriceChart } from '../components/PriceChart';
import { ResultBanner } from '../components/ResultBanner';
import { Timer } from '../components/Timer';

export function AuctionRoomPage({ auctionId }: { auctionId: string }) {
  const { t, setSession, navigate } = useApp();
  const { state, placeBid, dismiss } = useAuctionRoom(auctionId);
  const a = state.auction;
  // Who leads is decided by paddle (our own bids come marked `yours`), never by display name.
  const leaderIsMe = state.myPaddle != null && a?.leader_paddle === state.myPaddle;

  return (
    <>
      <Header onlineCount={state.onlineCount} connection={state.connection} retryInMs={state.retryInMs} />
      <main className="room-page">
        <nav className="breadcrumbs">
          <a
            href="/"
            onClick={(e) => {
              e.preventDefault();
              navigate('/');
            }}
          >
            ← {t('header.backToList')}
          </a>
        </nav>
        {state.authError && (
          <div className="field-error" role="alert">
            {t('room.authError', { error: t(`error.${state.authError.code}`, { fallback: state.authError.error }) })}{' '}
            {state.authError.code === 'NOT_FOUND' ? null : (
              <button type="button" className="btn-link" onClick={() => setSession(null)}>
                {t('header.signOut')}
              </button>
            )}
          </div>
        )}
        {!a && !state.authError && <p className="muted">{t('room.loading')}</p>}
        {a && (
          <>
            {state.result && <ResultBanner result={state.result} currency={a.currency} myPaddle={state.myPaddle} />}
            <Notices notices={state.notices} currency={a.currency} onDismiss={dismiss} />
            <div className="room-grid">
              <div className="room-main">
                <AuctionItem auction={a} leaderIsMe={leaderIsMe} />
                <PriceChart bids={state.bids} currency={a.currency} startCents={a.starting_price_cents} />
              </div>
              <div className="room-side">
                <BuyNowPanel auction={a} pending={state.pendingBids > 0} onBuy={placeBid} />
                <section className="card timer-card" aria-label={t('timer.label')}>
                  <Timer
                    endsAt={a.ends_at}
                    startsAt={a.starts_at}
                    status={a.status}
                    extendedKey={state.lastExtension?.seq}
                  />
                </section>
                <BidPanel auction={a} pending={state.pendingBids > 0} leaderIsMe={leaderIsMe} onBid={placeBid} />
                <BidHistory bids={state.bids} currency={a.currency} myPaddle={state.myPaddle} />
              </div>
            </div>
          </>
        )}
      </main>
    </>
  );
}

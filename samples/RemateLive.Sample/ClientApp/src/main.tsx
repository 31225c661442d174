import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppProvider, type AppServices } from './application/context/AppContext';
import { ClockOffset } from '@remate-live/client';
import { HttpAuctionApi } from './infrastructure/api';
import { loadLang, loadSession, saveLang, saveSession } from './infrastructure/storage';
import { App } from './presentation/App';
import './presentation/styles.css';

const clock = new ClockOffset();
const services: AppServices = {
  api: new HttpAuctionApi(() => loadSession()?.token, '', (t) => clock.sample(t)),
  clock,
  loadSession,
  saveSession,
  loadLang,
  saveLang,
};

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProvider services={services}>
      <App />
    </AppProvider>
  </StrictMode>,
);

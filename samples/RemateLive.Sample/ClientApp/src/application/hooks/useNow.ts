import { useEffect, useState } from 'react';
import type { ClockOffset } from '@remate-live/client';

/** The server's "now" (epoch ms, corrected by the clock offset), re-rendered every `everyMs`. */
export function useServerNow(clock: ClockOffset, everyMs = 250): number {
  const [now, setNow] = useState(() => clock.serverNow());
  useEffect(() => {
    const id = setInterval(() => setNow(clock.serverNow()), everyMs);
    return () => clearInterval(id);
  }, [clock, everyMs]);
  return now;
}

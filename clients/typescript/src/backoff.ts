/** Reconnect delay policy: exponential growth, capped, with "equal jitter" (half fixed, half random). */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Share of the delay that is randomised, 0..1 (0.5 = equal jitter). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 15_000, jitter: 0.5 };

/** Upper bound of the delay before reconnect attempt `attempt` (0-based), before jitter. */
export function backoffCeiling(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  const exp = Math.min(attempt, 30); // 2^30 already dwarfs any cap
  return Math.min(opts.maxMs, opts.baseMs * 2 ** exp);
}

/**
 * Delay before attempt `attempt`: ceiling × (1 − jitter) + random × ceiling × jitter.
 * `random` is injectable so the schedule is testable; it must return a value in [0, 1).
 */
export function backoffDelay(
  attempt: number,
  opts: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const ceiling = backoffCeiling(attempt, opts);
  const fixed = ceiling * (1 - opts.jitter);
  return Math.round(fixed + random() * ceiling * opts.jitter);
}

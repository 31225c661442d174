/**
 * Estimates the offset between the server's clock and this browser's clock from the `server_time`
 * stamps the server sends (auth_ok, ping, REST auction objects).
 *
 * One sample = server_time − local receive time = trueOffset − oneWayLatency, so every sample
 * underestimates the true offset by the latency; the best estimate is the LARGEST recent sample
 * (the one that travelled fastest). A sliding window lets the estimate follow a local clock change.
 */
export class ClockOffset {
  private samples: number[] = [];

  constructor(
    private readonly windowSize = 10,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Records a server timestamp received now; returns the new offset. Ignores unparsable input. */
  sample(serverTime: string | undefined | null, receivedAt: number = this.now()): number {
    if (!serverTime) return this.offsetMs;
    const t = Date.parse(serverTime);
    if (Number.isNaN(t)) return this.offsetMs;
    this.samples.push(t - receivedAt);
    if (this.samples.length > this.windowSize) this.samples.shift();
    return this.offsetMs;
  }

  /** serverNow ≈ Date.now() + offsetMs. 0 until the first sample. */
  get offsetMs(): number {
    return this.samples.length === 0 ? 0 : Math.max(...this.samples);
  }

  /** The server's current time in epoch ms. */
  serverNow(): number {
    return this.now() + this.offsetMs;
  }

  /** Milliseconds until an ISO instant according to the server's clock (negative when past). */
  msUntil(iso: string): number {
    return Date.parse(iso) - this.serverNow();
  }
}

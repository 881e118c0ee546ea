// Round-trip time of request → answer on this link, smoothed as TCP does (RFC 6298: srtt, rttvar, RTO = srtt +
// 4 × rttvar, doubled after each timeout), so retransmissions on a noisy line wait for what the line really takes
// rather than a fixed worst case.

export class RttEstimator {
  private srtt?: number;
  private rttvar = 0;
  private backoff = 1;

  constructor(private readonly floorMs: number, private readonly ceilingMs: number) {}

  /** One measured round trip of a frame sent once (never of a retransmitted one: its answer is ambiguous). */
  sample(ms: number): void {
    if (this.srtt === undefined) {
      this.srtt = ms;
      this.rttvar = ms / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - ms);
      this.srtt = 0.875 * this.srtt + 0.125 * ms;
    }
    this.backoff = 1;
  }

  /** A timeout: wait twice as long next time, up to the ceiling. */
  timedOut(): void {
    this.backoff = Math.min(this.backoff * 2, 8);
  }

  /** How long to wait for an answer; the ceiling until a round trip has been measured. */
  get timeoutMs(): number {
    if (this.srtt === undefined) return this.ceilingMs;
    return Math.min(this.ceilingMs, Math.max(this.floorMs, this.srtt + 4 * this.rttvar) * this.backoff);
  }
}

import { rateLimited } from "./errors.js";

/** A key's bucket: tokens left and when they were counted (ms). */
interface Bucket {
  tokens: number;
  at: number;
}

/** Keys kept before idle, full buckets are dropped (bounds the memory of a long-lived instance). */
const PRUNE_AT = 10_000;

/**
 * Token buckets, one per key (a uid), in this process's memory: each holds up to `burst`
 * tokens and refills at `perSecond`; an action takes one. No reads or writes anywhere, so a
 * limit costs nothing per call; each instance counts on its own (see the README's rate limits).
 * `perSecond` 0 turns the limit off.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly perSecond: number,
    readonly burst: number,
  ) {}

  /**
   * Takes a token from `key`'s bucket at `nowMs`.
   * @returns 0 when taken, else how many ms until a token is there (nothing is taken then).
   */
  take(key: string, nowMs: number): number {
    if (this.perSecond <= 0) return 0;
    const capacity = Math.max(1, this.burst);
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: nowMs };
    const tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.perSecond);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: nowMs });
      return Math.ceil(((1 - tokens) / this.perSecond) * 1000);
    }
    this.buckets.set(key, { tokens: tokens - 1, at: nowMs });
    if (this.buckets.size > PRUNE_AT) this.prune(nowMs);
    return 0;
  }

  /**
   * {@link take}, refusing when no token is left.
   * @throws AppError `resource-exhausted` ("`what` too fast") with the wait.
   */
  require(key: string, nowMs: number, what: string): void {
    const wait = this.take(key, nowMs);
    if (wait > 0) throw rateLimited(`You are ${what} too fast; slow down.`, wait);
  }

  private prune(nowMs: number): void {
    const capacity = Math.max(1, this.burst);
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((nowMs - bucket.at) / 1000) * this.perSecond >= capacity) this.buckets.delete(key);
    }
  }
}

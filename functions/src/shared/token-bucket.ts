import { rateLimited } from "./errors.js";

/** A limit: up to `burst` actions at once, refilling at `perSecond`; `perSecond` 0 is no limit. */
export interface Rate {
  perSecond: number;
  burst: number;
}

/** A bucket as kept (in memory or in a doc): tokens left, and when they were counted (ms). */
export interface BucketState {
  tokens: number;
  at: number;
}

/** A take: the bucket to keep, or how many ms until a token is there (nothing taken then). */
export type Take = { taken: BucketState } | { waitMs: number };

/**
 * Takes one token from `state` (absent: a full bucket) at `nowMs` under `rate`. Pure: the
 * caller keeps `taken` where the bucket lives. A clock that went back counts no refill.
 */
export function takeToken(state: BucketState | undefined, nowMs: number, rate: Rate): Take {
  if (rate.perSecond <= 0) return { taken: { tokens: 0, at: nowMs } };
  const capacity = Math.max(1, rate.burst);
  const elapsed = Math.max(0, nowMs - (state?.at ?? nowMs));
  const tokens = Math.min(capacity, (state?.tokens ?? capacity) + (elapsed / 1000) * rate.perSecond);
  if (tokens < 1) return { waitMs: Math.ceil(((1 - tokens) / rate.perSecond) * 1000) };
  return { taken: { tokens: tokens - 1, at: Math.max(nowMs, state?.at ?? nowMs) } };
}

/**
 * {@link takeToken}, refusing when no token is left.
 * @throws AppError `resource-exhausted` ("You are `what` too fast") with the wait.
 */
export function requireToken(state: BucketState | undefined, nowMs: number, rate: Rate, what: string): BucketState {
  const take = takeToken(state, nowMs, rate);
  if ("waitMs" in take) throw rateLimited(`You are ${what} too fast; slow down.`, take.waitMs);
  return take.taken;
}

/** Keys kept before idle, full buckets are dropped (bounds the memory of a long-lived instance). */
const PRUNE_AT = 10_000;

/**
 * Token buckets, one per key, in this process's memory: a cheap first answer that costs no
 * reads (the typing indicator's repeats). Each instance counts on its own, so nothing that must
 * hold across instances is limited only here.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, BucketState>();
  private readonly rate: Rate;

  constructor(perSecond: number, burst: number) {
    this.rate = { perSecond, burst };
  }

  /**
   * Takes a token from `key`'s bucket at `nowMs`.
   * @returns 0 when taken, else how many ms until a token is there (nothing is taken then).
   */
  take(key: string, nowMs: number): number {
    const take = takeToken(this.buckets.get(key), nowMs, this.rate);
    if ("waitMs" in take) return take.waitMs;
    this.buckets.set(key, take.taken);
    if (this.buckets.size > PRUNE_AT) this.prune(nowMs);
    return 0;
  }

  /** How many ms until `key`'s bucket has a token at `nowMs` (0: now); takes nothing. */
  peek(key: string, nowMs: number): number {
    const take = takeToken(this.buckets.get(key), nowMs, this.rate);
    return "waitMs" in take ? take.waitMs : 0;
  }

  private prune(nowMs: number): void {
    const capacity = Math.max(1, this.rate.burst);
    for (const [key, { tokens, at }] of this.buckets) {
      if (tokens + ((nowMs - at) / 1000) * this.rate.perSecond >= capacity) this.buckets.delete(key);
    }
  }
}

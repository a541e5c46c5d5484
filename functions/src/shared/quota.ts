import type { Firestore } from "firebase-admin/firestore";
import { rateLimited } from "./errors.js";
import { refs } from "./model.js";

/** A durable per-user allowance: `limit` units per fixed window of `windowMs` (0: no limit). */
export interface Quota {
  /** The counter's name in `rate-limits/{uid}`. */
  name: "creations" | "uploadBytes";
  limit: number;
  windowMs: number;
  /** What the refusal says, e.g. "You have created too many chats and rooms". */
  refusal: string;
}

/** How much of whose quota {@link takeQuota} takes, and when. */
export interface TakeQuotaOptions {
  /** The request's time: it picks the window. */
  now: Date;
  /** The user: `rate-limits/{uid}`. */
  uid: string;
  /** The allowance. */
  quota: Quota;
  /** Units to take (chats, bytes). */
  amount: number;
}

/**
 * Takes `amount` units of `quota` for `uid` at `now`: one transaction on `rate-limits/{uid}`
 * (1 read, 1 write), whose counter restarts with each window (windows are aligned to the epoch:
 * whole UTC hours or days). Used for what is rare and costly (creating chats and rooms, file
 * bytes), where a per-instance limit would not do: the count is shared by every instance.
 * An amount over what is left is refused whole, and then nothing is written.
 * @throws AppError `resource-exhausted` with the wait until the window ends.
 */
export async function takeQuota(db: Firestore, options: TakeQuotaOptions): Promise<void> {
  const { now, uid, quota, amount } = options;
  if (quota.limit <= 0) return;
  const ref = refs.rateLimit(db, uid);
  const start = Math.floor(now.getTime() / quota.windowMs) * quota.windowMs;
  await db.runTransaction(async (tx) => {
    const counter = (await tx.get(ref)).data()?.[quota.name];
    const used = counter?.windowStart === start ? counter.used : 0;
    if (used + amount > quota.limit) {
      throw rateLimited(`${quota.refusal}; try again later.`, start + quota.windowMs - now.getTime());
    }
    tx.set(ref, { [quota.name]: { windowStart: start, used: used + amount } }, { merge: true });
  });
}

import { FieldPath, type Firestore } from "firebase-admin/firestore";
import { z } from "zod";
import { rateLimited } from "./errors.js";
import { refs } from "./model.js";
import { retryOnConflict } from "./optimistic.js";
import { requireToken, type Rate } from "./token-bucket.js";

/**
 * The writes (and the costly search) a user makes, in the classes that share one limit each.
 * Sends are limited per chat instead, on the docs a send writes anyway (see `appendMessage`);
 * typing and heartbeats by the docs they write (one write per window, whatever the calls).
 */
export const limitedActions = {
  /** Joining and leaving rooms, removing and unbanning members, rotating invites. */
  membership: "changing room memberships",
  /** Adding and removing reactions, and votes in polls. */
  reactions: "reacting",
  /** Editing, deleting, pinning, unpinning and hiding messages, and closing polls. */
  edits: "changing messages",
  /** Reporting messages. */
  reports: "reporting",
  /** Searching a chat's messages (up to 200 reads each). */
  searches: "searching",
  /** Ending and muting chats, blocking users, registering devices. */
  settings: "changing settings",
} as const;
export type LimitedAction = keyof typeof limitedActions;

/** Each action class's rate (per second) and burst. */
export type ActionRates = Record<LimitedAction, Rate>;

/** The defaults of {@link ActionRates}, as per-minute or per-hour rates. */
export const DEFAULT_ACTION_RATES: ActionRates = {
  membership: { perSecond: 30 / 3600, burst: 10 },
  reactions: { perSecond: 1, burst: 30 },
  edits: { perSecond: 0.5, burst: 20 },
  reports: { perSecond: 20 / 3600, burst: 5 },
  searches: { perSecond: 0.5, burst: 10 },
  settings: { perSecond: 0.5, burst: 20 },
};

/** The form of `RATE_LIMITS`: per class, a rate per minute (0: no limit) and a burst. */
const rateOverrides = z.partialRecord(
  z.enum(Object.keys(limitedActions) as [LimitedAction, ...LimitedAction[]]),
  z.strictObject({ perMinute: z.number().min(0), burst: z.int().min(1) }),
);

/**
 * The rates of `RATE_LIMITS` (JSON, e.g. `{"reactions": {"perMinute": 30, "burst": 10}}`) over
 * {@link DEFAULT_ACTION_RATES}; empty text gives the defaults.
 * @throws Error naming the fault when the text is not such JSON.
 */
export function parseRateLimits(text: string): ActionRates {
  if (!text.trim()) return DEFAULT_ACTION_RATES;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("RATE_LIMITS is not JSON.");
  }
  const parsed = rateOverrides.safeParse(json);
  if (!parsed.success) throw new Error(`RATE_LIMITS is not valid: ${z.prettifyError(parsed.error)}`);
  const rates = { ...DEFAULT_ACTION_RATES };
  for (const name of Object.keys(limitedActions) as LimitedAction[]) {
    const rate = parsed.data[name];
    if (rate) rates[name] = { perSecond: rate.perMinute / 60, burst: rate.burst };
  }
  return rates;
}

/** Tries before a burst of one user's own concurrent calls is refused as too fast. */
const MAX_ATTEMPTS = 20;

/** Whose token of which action {@link takeActionToken} takes, when, at which rate. */
export interface TakeActionTokenOptions {
  /** The request's time. */
  now: Date;
  /** The user: `rate-limits/{uid}`. */
  uid: string;
  /** The action class, whose bucket is `buckets.{action}`. */
  action: LimitedAction;
  /** The class's rate and burst; a rate of 0 takes nothing. */
  rate: Rate;
}

/**
 * Takes one token of `action` for `uid` at `now`, the same count for REST and callables in every
 * instance: `rate-limits/{uid}.buckets.{action}` (a token bucket: `rate.burst` at once, refilled
 * at `rate.perSecond`), read and written back with a `lastUpdateTime` precondition (or
 * `create`), retried on a lost race. 1 read and 1 write; a refusal writes nothing. Attempts are
 * counted, whether the action then succeeds or not.
 * @throws AppError `resource-exhausted` with the wait (no token; or {@link MAX_ATTEMPTS} races lost).
 */
export async function takeActionToken(db: Firestore, options: TakeActionTokenOptions): Promise<void> {
  const { now, uid, action, rate } = options;
  if (rate.perSecond <= 0) return;
  const ref = refs.rateLimit(db, uid);
  const what = limitedActions[action];
  const tooMany = () => rateLimited(`You are ${what} too fast; slow down.`, 1000);
  await retryOnConflict(
    MAX_ATTEMPTS,
    async () => {
      const snap = await ref.get();
      const state = snap.data()?.buckets?.[action];
      const taken = requireToken(state, now.getTime(), rate, what);
      if (!snap.exists) await ref.create({ buckets: { [action]: taken } });
      else await ref.update(new FieldPath("buckets", action), taken, { lastUpdateTime: snap.updateTime });
    },
    tooMany,
  );
}

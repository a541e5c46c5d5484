import type { BadgeShare } from "../shared/model.js";

// One notification per unread streak: a room member is pushed for the first message of each
// run of messages they have not read, and for every message that mentions them; the messages in
// between only count on their badge. The state is the room's own share of their app badge
// (`users-external-event/{uid}.badge.{roomId}`), which the fan-out reads and writes anyway:
// `readUpTo` (their read position) and `pushedUpTo` (the message that opened the streak).

/** A room message as the streak rule sees it, for one member it may push. */
export interface StreakMessage {
  /** The message's number. */
  number: number;
  /** Whether it mentions the member (a mention always pushes). */
  mentioned: boolean;
}

/** What the streak rule decides for one member and one message. */
export interface StreakDecision {
  /** Whether the member is pushed this message. */
  push: boolean;
  /** The share's new `pushedUpTo` when the message opens a streak; absent: unchanged. */
  pushedUpTo?: number;
}

/** Whether `share` holds an unread streak that was pushed: a push past the read position. */
function inStreak(share: BadgeShare | undefined): boolean {
  const pushed = share?.pushedUpTo;
  return pushed !== undefined && pushed > (share?.readUpTo ?? 0);
}

/**
 * The streak rule, decided when the fan-out tells the member (over their share as read, in the
 * same write): a message they already read (at or before `readUpTo`), or of a room they left,
 * pushes nothing; one that this rule already chose for them (`pushedUpTo` is its number: a
 * page told again after a run died) pushes again, so a retry loses no push (the push claim keeps
 * devices from being pushed twice); otherwise one that finds no pushed unread streak opens one
 * (push, and `pushedUpTo` becomes its number), and inside a streak only a mention pushes.
 * The caller has already left out members who may not be pushed at all (muted, silenced).
 * Pure.
 */
export function decideStreakPush(share: BadgeShare | undefined, message: StreakMessage): StreakDecision {
  if (share?.left || message.number <= (share?.readUpTo ?? 0)) return { push: false };
  if (share?.pushedUpTo === message.number) return { push: true };
  if (!inStreak(share)) return { push: true, pushedUpTo: message.number };
  return { push: message.mentioned };
}

/**
 * What {@link decideStreakPush} chose when the member was told, read back from their share
 * afterwards (a page an earlier run told, pushed by a redelivery): the message opened their
 * streak (`pushedUpTo` is its number) or mentions them, and they have not read it since.
 * Pure.
 */
export function wasChosen(share: BadgeShare | undefined, message: StreakMessage): boolean {
  if (share?.left || message.number <= (share?.readUpTo ?? 0)) return false;
  return share?.pushedUpTo === message.number || message.mentioned;
}

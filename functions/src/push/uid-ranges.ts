// How a room's members are split for a parallel fan-out, without reading them first.
//
// Firebase Auth uids are 28 characters drawn evenly from [0-9A-Za-z], so splitting the uid space
// by its first character splits a room's members evenly. Firestore orders document ids by their
// UTF-8 bytes, and every range is an interval of that order, so the ranges cover every possible
// id (`-`, `_` and any other character included) exactly once. Ids chosen by an app (custom
// tokens) may crowd into one range: the fan-out stays correct, and that range's pages run one
// after another.

/** The characters of Firebase Auth uids, in Firestore's (byte) order. */
const UID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Most ranges one message's fan-out runs at once. */
export const MAX_RANGES = 32;

/** Members per range a room is planned for: a range of evenly spread uids then fits one page. */
export const MEMBERS_PER_RANGE = 300;

/** One interval of uids: from `from` (inclusive; `null`: the lowest) to `to` (exclusive; `null`: past the highest). */
export interface UidRange {
  from: string | null;
  to: string | null;
}

/** How many ranges a room of `memberCount` members fans out in: 1 up to 300 members, at most 32. */
export function rangeCount(memberCount: number): number {
  return Math.min(MAX_RANGES, Math.max(1, Math.ceil(memberCount / MEMBERS_PER_RANGE)));
}

/**
 * `count` (1-{@link MAX_RANGES}) adjacent ranges that together cover every uid, split at
 * first characters spread evenly over {@link UID_ALPHABET}.
 * @throws RangeError when `count` is not an integer from 1 to {@link MAX_RANGES}.
 */
export function uidRanges(count: number): UidRange[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_RANGES) throw new RangeError(`${count} ranges`);
  const cuts = Array.from({ length: count - 1 }, (_, i) => UID_ALPHABET[Math.round(((i + 1) * UID_ALPHABET.length) / count)]);
  const bounds = [null, ...cuts, null];
  return cuts.concat([""]).map((_, i) => ({ from: bounds[i], to: bounds[i + 1] }));
}

/** Whether `uid` lies in `range` (by UTF-16 code units, which order [0-9A-Za-z] as bytes do). */
export function inRange(uid: string, { from, to }: UidRange): boolean {
  return (from === null || uid >= from) && (to === null || uid < to);
}

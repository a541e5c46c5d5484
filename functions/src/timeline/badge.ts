import {
  FieldPath,
  FieldValue,
  Transaction,
  type DocumentSnapshot,
  type Firestore,
  type Timestamp,
  type WriteBatch,
} from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { isDirectChatId, refs, type BadgeShare, type ExternalEventDoc, type MessageDoc } from "../shared/model.js";
import { retryOnConflict } from "../shared/optimistic.js";

/**
 * Most runs one share keeps. Past it, the two oldest merge into one run that keeps their count
 * but not which numbers in between counted, so a later read that ends inside it takes off an
 * estimate (see {@link readTo}); with fewer runs every count is exact.
 */
export const MAX_BADGE_RUNS = 32;

/** One run of a share: numbers `from..to`, of which `count` are counted unread messages. */
interface Run {
  from: number;
  to: number;
  count: number;
}

/** A message (or thread reply) as the badge counts it: its number and when it was created (ms). */
export interface Counted {
  number: number;
  at: number;
}

/** Whether a message counts toward its recipients' badges: a member's, not a system message. */
export function countsForBadge(message: Pick<MessageDoc, "from" | "type">): boolean {
  return message.from !== null && message.type !== "system";
}

/** Whether `chatId` names a room (rooms' shares hold their read position when empty). */
export function isRoomId(chatId: string): boolean {
  return !isDirectChatId(chatId);
}

/** The key of a thread's share in `badge`: `{chatId}:{parent}`. A chat's own share's key is its id. */
export function threadKey(chatId: string, parent: number): string {
  return `${chatId}:${parent}`;
}

/** The chat a share's key belongs to (a chat's own, or one of its threads). */
function chatOfKey(key: string): string {
  const at = key.indexOf(":");
  return at < 0 ? key : key.slice(0, at);
}

function runsOf(share: BadgeShare | undefined): Run[] {
  const flat = share?.runs ?? [];
  const runs: Run[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) runs.push({ from: flat[i], to: flat[i + 1], count: flat[i + 2] });
  return runs;
}

function flatten(runs: Run[]): number[] {
  return runs.flatMap(({ from, to, count }) => [from, to, count]);
}

/** How many unread messages `share` counts. */
export function shareCount(share: BadgeShare | undefined): number {
  return runsOf(share).reduce((sum, run) => sum + run.count, 0);
}

/** `true` while a mute ending at `until` (`null`: never; `undefined`: not muted) holds at `at` (ms). */
function mutedAt(until: Timestamp | null | undefined, at: number): boolean {
  if (until === undefined) return false;
  return until === null || until.toMillis() > at;
}

/**
 * `share` with `counted` added, or `null` when it does not count: at or before the read
 * position, already counted, or (with `chat`, the chat's own share) while the chat was muted or
 * after its member left. Adjacent runs join; past {@link MAX_BADGE_RUNS} the oldest two merge.
 */
export function withCounted(share: BadgeShare | undefined, counted: Counted, chat: BadgeShare | undefined): BadgeShare | null {
  if (chat?.left || mutedAt(chat?.mutedUntil, counted.at)) return null;
  if (counted.number <= (share?.readUpTo ?? 0)) return null;
  const runs = runsOf(share);
  if (runs.some(({ from, to }) => from <= counted.number && counted.number <= to)) return null;
  runs.push({ from: counted.number, to: counted.number, count: 1 });
  runs.sort((a, b) => a.from - b.from);
  const joined: Run[] = [];
  for (const run of runs) {
    const last = joined.at(-1);
    const full = last && last.count === last.to - last.from + 1 && run.count === run.to - run.from + 1;
    if (last && full && last.to + 1 === run.from)
      joined[joined.length - 1] = { ...last, to: run.to, count: last.count + run.count };
    else joined.push(run);
  }
  while (joined.length > MAX_BADGE_RUNS) {
    const [first, second] = joined.splice(0, 2);
    joined.unshift({ from: first.from, to: second.to, count: first.count + second.count });
  }
  return { ...share, runs: flatten(joined) };
}

/**
 * `share` read up to `upTo`: the read position moves forward only, and what it covers no longer
 * counts. A run it ends inside keeps the numbers after it: exact for a run with no gaps, and for
 * a merged one at most `to - upTo`.
 */
export function readTo(share: BadgeShare | undefined, upTo: number): BadgeShare {
  const readUpTo = Math.max(share?.readUpTo ?? 0, upTo);
  const runs = runsOf(share).flatMap((run) => {
    if (run.to <= readUpTo) return [];
    if (run.from > readUpTo) return [run];
    return [{ from: readUpTo + 1, to: run.to, count: Math.min(run.count, run.to - readUpTo) }];
  });
  return { ...share, readUpTo, runs: flatten(runs) };
}

/**
 * The badge of one user (`users-external-event/{uid}`: `badge` and `unreadTotal`) being changed:
 * read it, apply changes, then {@link writeBadge} writes it back over the doc as read. Pure; the
 * caller reads and writes.
 */
export class BadgeEdit {
  private readonly badge: Record<string, BadgeShare>;
  /** The keys whose shares changed (or went). */
  private readonly touched = new Set<string>();

  constructor(
    /** The event doc as read (`undefined`: none yet). */
    readonly doc: ExternalEventDoc | undefined,
    /** Chats that are rooms: their own share stays when empty, to hold the read position and a leave. */
    private readonly isRoom: (chatId: string) => boolean,
  ) {
    this.badge = { ...(doc?.badge ?? {}) };
  }

  /** Whether a change was made. */
  get changed(): boolean {
    return this.touched.size > 0;
  }

  /** The user's total: the sum of every share's count. */
  get total(): number {
    return Object.values(this.badge).reduce((sum, share) => sum + shareCount(share), 0);
  }

  /** Counts `counted` in share `key` (a chat's id, or {@link threadKey}); `false` when it does not count. */
  count(key: string, counted: Counted): boolean {
    const next = withCounted(this.badge[key], counted, this.badge[chatOfKey(key)]);
    if (next) this.put(key, next);
    return next !== null;
  }

  /** Share `key` as it now stands (`undefined`: none). */
  share(key: string): BadgeShare | undefined {
    return this.badge[key];
  }

  /** Room `chatId`'s unread streak opened with a push of message `number` (`pushedUpTo`, see `push/streak.ts`). */
  pushed(chatId: string, number: number): void {
    const share = this.badge[chatId];
    if (share?.pushedUpTo === number) return;
    this.put(chatId, { ...share, pushedUpTo: number });
  }

  /** Share `key` read up to `upTo`. */
  read(key: string, upTo: number): void {
    const before = this.badge[key];
    if (!before && !this.holdsReads(key)) return;
    this.put(key, readTo(before, upTo));
  }

  /** The chat muted until `until` (`null`: until unmuted): its share and its threads' count nothing, and nothing counts meanwhile. */
  mute(chatId: string, until: Timestamp | null): void {
    this.clearThreads(chatId);
    const readUpTo = this.badge[chatId]?.readUpTo;
    this.put(chatId, { ...(readUpTo !== undefined && { readUpTo }), mutedUntil: until });
  }

  /**
   * The chat's mute ended at `now`: what is created from then on counts again. The end stays as
   * `mutedUntil`, so a message created during the mute whose fan-out comes later still does not.
   */
  unmute(chatId: string, now: Timestamp): void {
    const share = this.badge[chatId];
    if (!share || share.mutedUntil === undefined) return;
    if (share.mutedUntil !== null && share.mutedUntil.toMillis() <= now.toMillis()) return;
    this.put(chatId, { ...share, mutedUntil: now });
  }

  /** The user joined room `chatId` at read position `upTo`: a fresh share, whatever a past membership left. */
  join(chatId: string, upTo: number): void {
    this.clearThreads(chatId);
    this.put(chatId, { readUpTo: upTo, runs: [] });
  }

  /** The user left (or was removed from) room `chatId`: it and its threads count nothing until they join again. */
  leave(chatId: string): void {
    this.clearThreads(chatId);
    this.put(chatId, { left: true });
  }

  /** The chat (a chat's id: with its threads) or the thread ({@link threadKey}) is gone: its shares are removed. */
  drop(key: string): void {
    if (key === chatOfKey(key)) this.clearThreads(key);
    if (key in this.badge) {
      delete this.badge[key];
      this.touched.add(key);
    }
  }

  /** The whole badge as it now stands: `badge` and its `unreadTotal` (a new event doc's). */
  fields(): Pick<ExternalEventDoc, "badge" | "unreadTotal"> {
    return { badge: this.badge, unreadTotal: this.total };
  }

  /**
   * The `[field, value]` pairs of an update: each changed share (`badge.{key}`, or its deletion)
   * and `unreadTotal`, so a write carries what changed, not the whole map.
   */
  changes(): [FieldPath | string, unknown][] {
    const shares = [...this.touched].map((key): [FieldPath, unknown] => [
      new FieldPath("badge", key),
      this.badge[key] ?? FieldValue.delete(),
    ]);
    return [...shares, ["unreadTotal", this.total]];
  }

  /** A room's own share: kept when empty, for its read position (the fan-out comes after reads). */
  private holdsReads(key: string): boolean {
    return key === chatOfKey(key) && this.isRoom(key);
  }

  private clearThreads(chatId: string): void {
    for (const key of Object.keys(this.badge)) {
      if (key !== chatId && chatOfKey(key) === chatId) {
        delete this.badge[key];
        this.touched.add(key);
      }
    }
  }

  /** Stores `share` under `key`; an empty one of a thread or a 1:1 chat is removed (nothing can race past its read). */
  private put(key: string, share: BadgeShare): void {
    const empty = shareCount(share) === 0 && share.mutedUntil === undefined && !share.left;
    const keep = !empty || this.holdsReads(key);
    const stored = share.runs?.length === 0 ? (({ runs: _none, ...rest }) => rest)(share) : share;
    if (keep) this.badge[key] = stored;
    else if (key in this.badge) delete this.badge[key];
    else return;
    this.touched.add(key);
  }
}

/**
 * Adds the write of `edit` (with `also`: more fields of the event doc) to `writer`, on the event
 * doc as it was read: an update of the changed shares and `unreadTotal` on its update time, or
 * a create when there was none. A change to the doc meanwhile fails the commit with
 * FAILED_PRECONDITION or ALREADY_EXISTS, a conflict the caller retries. In a transaction the read
 * already holds the doc, so it writes plainly.
 */
export function writeBadge(
  writer: WriteBatch | Transaction,
  snap: DocumentSnapshot<ExternalEventDoc>,
  edit: BadgeEdit,
  also: Partial<ExternalEventDoc> = {},
): void {
  const { ref } = snap;
  if (!snap.exists || !snap.updateTime) {
    writer.create(ref, { notifyNewMessage: false, lastEvent: null, ...also, ...edit.fields() });
    return;
  }
  const [[field, value], ...more] = [...Object.entries(also), ...edit.changes()];
  const rest = more.flat();
  if (writer instanceof Transaction) writer.update(ref, field, value, ...rest);
  else writer.update(ref, field, value, ...rest, { lastUpdateTime: snap.updateTime });
}

/** How often {@link dropFromBadges} tries one user's badge while it keeps changing. */
const DROP_MAX_ATTEMPTS = 20;

/**
 * Removes chat `key` (a purged chat, with its threads) or thread `key` ({@link threadKey}: a
 * thread retention deleted) from the app badges of `uids`: one read and at most one write of
 * each `users-external-event/{uid}`, over the doc as read. Idempotent.
 * @throws AppError `aborted` when a badge kept changing.
 */
export async function dropFromBadges(db: Firestore, key: string, uids: readonly string[]): Promise<void> {
  for (let at = 0; at < uids.length; at += DROP_AT_ONCE) await dropFromSome(db, key, uids.slice(at, at + DROP_AT_ONCE));
}

/** Badges {@link dropFromBadges} changes at once. */
const DROP_AT_ONCE = 50;

async function dropFromSome(db: Firestore, key: string, uids: readonly string[]): Promise<void> {
  const exhausted = () => new AppError("aborted", "An app badge kept changing while a chat was removed from it.");
  await Promise.all(
    uids.map((uid) =>
      retryOnConflict(
        DROP_MAX_ATTEMPTS,
        async () => {
          const snap = await refs.externalEvent(db, uid).get();
          const badge = new BadgeEdit(snap.data(), isRoomId);
          badge.drop(key);
          if (!badge.changed) return;
          const batch = db.batch();
          writeBadge(batch, snap, badge);
          await batch.commit();
        },
        exhausted,
      ),
    ),
  );
}

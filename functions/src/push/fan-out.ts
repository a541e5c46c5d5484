import {
  FieldPath,
  FieldValue,
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type QueryDocumentSnapshot,
  type WriteBatch,
} from "firebase-admin/firestore";
import { isMuted } from "../chats/mute-chat.js";
import { silencersOf } from "../users/mutes.js";
import { isAlreadyExists } from "../shared/errors.js";
import { errorSummary, isTransient, TransientError } from "../shared/failures.js";
import { backoff, isConflict } from "../shared/optimistic.js";
import { BadgeEdit, countsForBadge, isRoomId, writeBadge } from "../timeline/badge.js";
import { fanOutPushId } from "../shared/docs.js";
import {
  converters,
  getAll,
  refs,
  type ChatDoc,
  type ExternalEventDoc,
  type FanOutDoc,
  type MemberDoc,
  type MessageDoc,
} from "../shared/model.js";
import { mentionedIn, pushes, pushToMembers } from "./deliver-push.js";
import type { PushTransport } from "./transport.js";
import { compareIds, readRoster, type RosterMember } from "../timeline/rosters.js";
import { inRange, rangeCount, uidRanges, type UidRange } from "./uid-ranges.js";
import { decideStreakPush, wasChosen } from "./streak.js";

// A room message's fan-out, designed for production's failures (README, "When a function
// fails"). The message trigger creates one marker per uid range (`fan-outs/`, all in one batch)
// and runs the ranges at once; each range pages through its members, 400 at a time, committing
// each page's external events in one batch with the marker's progress. Every marker write after
// the first carries the `lastUpdateTime` of the one before, so only the run that owns a range
// can move it on: a page is told once, however often the event is delivered. A run that fails
// records the failure on the marker and, when it is transient, throws, so the runtime delivers
// the event again; the redelivery takes each unfinished range over and carries on after its
// last written page. The sweep (`sweepFanOuts`) re-drives ranges whose lease ran out.

/** Members per fan-out page: one batch of their external events and the marker (< 500 writes). */
export const FAN_OUT_PAGE = 400;

/** How long a run owns a range it took; past it, the sweep may take the range over. */
export const FAN_OUT_LEASE_MS = 10 * 60_000;

/** After a transient failure, how long the sweep waits before it re-drives the range. */
export const FAN_OUT_RETRY_MS = 60_000;

/**
 * Runs of one range before a transient failure counts as permanent. Redeliveries come with the
 * runtime's backoff (seconds, growing to minutes), so 25 runs span about the hour that
 * `EVENT_MAX_AGE_MINUTES` gives an event by default.
 */
export const FAN_OUT_MAX_ATTEMPTS = 25;

/** How long a marker is kept (a TTL policy on `fan-outs.expiresAt` may purge it). */
const MARKER_DAYS = 7;

/** A room message to fan out: the room's id and the message as stored. */
export interface FanOutTask {
  chatId: string;
  message: MessageDoc;
}

/** What a fan-out run did, summed over the ranges it ran. */
export interface FanOutReport {
  ranges: number;
  /** Ranges this run took and finished; ranges done before, or held by another run, are skipped. */
  done: number;
  skipped: number;
  /** Ranges that failed in this run: `retrying` will run again, the others gave up. */
  failed: number;
  retrying: number;
  /** Members told, and pages written, by this run. */
  events: number;
  pages: number;
  push: { sent: number; failed: number; removedDevices: number };
  /**
   * Where the run's members came from: the room's roster, or its member docs (a room made before
   * rosters, or a roster that did not count `memberCount`). Absent when nothing was fanned out.
   */
  read?: "roster" | "member docs";
}

/** Everything a range's run needs besides its marker. */
interface RangeRun {
  db: Firestore;
  now: Date;
  transport: PushTransport;
  chatId: string;
  message: MessageDoc;
  room: ChatDoc;
  /** Uids that blocked or muted the sender: told, never pushed to, the message not on their badge. */
  silenced: Set<string>;
}

/** A marker this run owns: its data as last written, and that write's time (the next write's precondition). */
interface OwnedRange {
  ref: DocumentReference<FanOutDoc>;
  doc: FanOutDoc;
  writeTime: Timestamp;
}

/** A run's outcome for one range. */
type RangeOutcome =
  | { kind: "done"; events: number; pages: number; push: FanOutReport["push"] }
  | { kind: "skipped" }
  | { kind: "failed"; retrying: boolean; error: unknown };

/**
 * Tells a room's members (`chats/{roomId}/members`) about a new message, off the send's request
 * path: each member but the sender (and the member a system message is about) gets
 * `users-external-event/{uid}` set once, and those who have not muted the room (or are
 * mentioned) and have neither blocked nor muted the sender get a push (claimed per page,
 * `push-events/`) when the message opens an unread streak for them or mentions them: one
 * notification per unread streak (`push/streak.ts`; decided over the badge share the page reads
 * and writes anyway, so it costs no read or write more).
 * Joins, leaves and removals fan out nothing; a "chat ended" message sets external events and
 * pushes nothing.
 *
 * The first run creates the markers `fan-outs/{chatId}-{number}-{range}` ({@link rangeCount} of
 * them, one batch) and runs every range at once; a later run (a redelivery) reads them and takes
 * over each range not `done`. Reads `chats/{roomId}` and marker 0, the room's members, and the
 * sender's blockers and muters; writes the markers, each member's external event and the pushes' claims.
 * A room with `rosters` is read from its roster (`rosters/`, up to 64 docs, `timeline/rosters.ts`);
 * an older room, and a page an earlier run told, from its member docs (one read per member).
 * Each push carries its recipient's app badge: as the tell phase wrote it, no read; for a page an
 * earlier run told, read again with the streak rule's choice (`users-external-event/{uid}`, one
 * read per member who may be pushed).
 * @throws TransientError when a range failed and will be retried: the trigger is to be delivered
 * again. A range that failed for good is recorded on its marker (`failed`, no lease) and thrown
 * by no one.
 */
export async function fanOutMessage(db: Firestore, now: Date, transport: PushTransport, task: FanOutTask): Promise<FanOutReport> {
  const { chatId, message } = task;
  if (message.type === "system" && message.event?.type !== "chat-ended") return report(0, []);
  const [roomSnap, firstSnap] = await getAll(db, refs.chat(db, chatId), refs.fanOut(db, chatId, message.number, 0));
  const room = roomSnap.data();
  if (!room) return report(0, []);
  const reading = silencedBy(db, message);
  const base = { db, now, transport, chatId, message, room };
  // A first run reads the members, the blockers and muters and plans the ranges all at once.
  const ranges = uidRanges(rangeCount(room.memberCount ?? 1));
  const roster = room.rosters ? checkedRoster(base) : undefined;
  const streamed = firstSnap.exists ? undefined : roster ? byRange(roster, ranges) : streamMembers(base, ranges);
  // Awaited by the ranges, or unused when another run planned first.
  for (const members of [roster, ...(streamed ?? [])]) members?.catch(() => undefined);
  const [silenced, planned] = await Promise.all([reading, firstSnap.exists ? null : planRanges(base, ranges)]);
  const run: RangeRun = { ...base, silenced };
  const read = async (): Promise<FanOutReport["read"]> => ((await roster)?.fromRoster ? "roster" : "member docs");
  if (planned) return finish(await runRanges(run, planned, streamed), await read());
  const count = await plannedRanges(run, firstSnap);
  const preloaded = roster && byRange(roster, uidRanges(count));
  return finish(await runRanges(run, await takeOverRanges(run, count), preloaded), await read());
}

/**
 * Who gets no push of `message`, and no badge count: the users who blocked or muted its sender (`blockersOf`,
 * `mutersOf`: two queries at once, a read per user found, at least one each); nobody for a
 * system message.
 */
async function silencedBy(db: Firestore, message: MessageDoc): Promise<Set<string>> {
  if (!countsForBadge(message) || !message.from) return new Set();
  return silencersOf(db, message.from);
}

/** A room's members for its fan-out, in uid (byte) order, and whether they came from its roster. */
type RoomMembers = RosterMember[] & { fromRoster?: boolean };

/**
 * The members of a room with `rosters`: from its roster when that counts the room's
 * `memberCount` at the same snapshot; otherwise from its member docs, in one query. A roster
 * drifts only when code that doesn't keep it changed the members (an older version during a
 * deploy or a rollback): then a member could be missed, or one who left still told, so the
 * member docs decide.
 */
async function checkedRoster(run: Pick<RangeRun, "db" | "chatId">): Promise<RoomMembers> {
  const { members, memberCount } = await readRoster(run.db, run.chatId);
  if (members.length === memberCount) return Object.assign(members, { fromRoster: true });
  const [all] = streamMembers(run, [{ from: null, to: null }]);
  return all;
}

/** Sums a run's outcomes. @throws TransientError when a range failed and will be retried. */
function finish(outcomes: RangeOutcome[], read: FanOutReport["read"]): FanOutReport {
  const result = { ...report(outcomes.length, outcomes), read };
  if (result.retrying > 0) throw new TransientError(`${result.retrying} of ${result.ranges} fan-out ranges failed`);
  return result;
}

/** How many ranges an earlier (or concurrent) run planned: marker 0 says; read again when it was missing at first. */
async function plannedRanges(run: RangeRun, first: DocumentSnapshot<FanOutDoc>): Promise<number> {
  const marker = (first.exists ? first : await first.ref.get()).data();
  if (!marker) throw new TransientError("the fan-out's markers are not readable yet");
  return marker.ranges;
}

/**
 * Creates every range's marker, `pending` and leased to this run, in one batch. `null` when
 * another run created them first (the batch then wrote nothing).
 */
async function planRanges(run: Omit<RangeRun, "silenced">, ranges: UidRange[]): Promise<OwnedRange[] | null> {
  const { db, now, chatId, message } = run;
  const at = Timestamp.fromDate(now);
  const docs = ranges.map(({ from, to }, range): FanOutDoc => ({
    ...{ chatId, number: message.number, range, ranges: ranges.length, from, to, state: "pending", attempts: 1 },
    ...{ after: null, pages: 0, events: 0, told: false, pushedAfter: null, pushedPages: 0 },
    leaseUntil: Timestamp.fromMillis(now.getTime() + FAN_OUT_LEASE_MS),
    ...{ createdAt: at, updatedAt: at, expiresAt: Timestamp.fromMillis(now.getTime() + MARKER_DAYS * 86_400_000) },
  }));
  const batch = db.batch();
  const markerRefs = docs.map((doc) => refs.fanOut(db, chatId, message.number, doc.range));
  docs.forEach((doc, i) => batch.create(markerRefs[i], doc));
  try {
    const results = await batch.commit();
    return docs.map((doc, i) => ({ ref: markerRefs[i], doc, writeTime: results[i].writeTime }));
  } catch (error) {
    if (isAlreadyExists(error)) return null;
    throw error;
  }
}

/**
 * Reads the room's members in one query, in uid order, and hands each planned range its members
 * as soon as the stream has passed them: a range starts telling while later ones are still read.
 * (One query, not one per range: the reads are the same, and the emulator answers 32 range
 * queries of a 10,000-member room in 5× the time of one query of all.)
 */
function streamMembers(run: Pick<RangeRun, "db" | "chatId">, ranges: UidRange[]): Promise<RosterMember[]>[] {
  const handed = ranges.map(() => {
    let hand!: (members: RosterMember[]) => void;
    let fail!: (error: unknown) => void;
    const promise = new Promise<RosterMember[]>((resolve, reject) => ((hand = resolve), (fail = reject)));
    return { promise, hand, fail };
  });
  void (async () => {
    let index = 0;
    let members: RosterMember[] = [];
    const query = refs.members(run.db, run.chatId).orderBy(FieldPath.documentId());
    try {
      for await (const snap of query.stream() as AsyncIterable<QueryDocumentSnapshot>) {
        while (!inRange(snap.id, ranges[index])) {
          handed[index++].hand(members);
          members = [];
        }
        // The stream is untyped (the SDK types no stream): typed through the members' converter.
        members.push(converters.members.fromFirestore(snap));
      }
      for (; index < ranges.length; index++, members = []) handed[index].hand(members);
    } catch (error) {
      for (; index < ranges.length; index++) handed[index].fail(error);
    }
  })();
  return handed.map(({ promise }) => promise);
}

/** A room's members, sorted by uid, split into `ranges` (each in uid order). */
function byRange(members: Promise<RosterMember[]>, ranges: UidRange[]): Promise<RosterMember[]>[] {
  return ranges.map((range) => members.then((all) => all.filter(({ uid }) => inRange(uid, range))));
}

/** Reads a message's `ranges` markers and takes over, in parallel, every one not `done` (`null`: done or taken). */
async function takeOverRanges(run: RangeRun, ranges: number): Promise<(OwnedRange | null)[]> {
  const { db, chatId, message } = run;
  const snaps = await getAll(db, ...Array.from({ length: ranges }, (_, range) => refs.fanOut(db, chatId, message.number, range)));
  return Promise.all(snaps.map((snap) => takeRange(run, snap)));
}

const skipped: RangeOutcome = { kind: "skipped" };

/**
 * Takes a range for this run: counts the attempt and leases it, on the condition that nobody
 * wrote the marker since `snap` was read. `null` when it is done, missing or taken by another run.
 */
export async function takeRange(run: Pick<RangeRun, "now">, snap: DocumentSnapshot<FanOutDoc>): Promise<OwnedRange | null> {
  const doc = snap.data();
  if (!doc || doc.state === "done" || !snap.updateTime) return null;
  const taken = {
    state: "pending" as const,
    attempts: doc.attempts + 1,
    leaseUntil: Timestamp.fromMillis(run.now.getTime() + FAN_OUT_LEASE_MS),
    updatedAt: Timestamp.fromDate(run.now),
  };
  try {
    const result = await snap.ref.update(taken, { lastUpdateTime: snap.updateTime });
    return { ref: snap.ref, doc: { ...doc, ...taken }, writeTime: result.writeTime };
  } catch (error) {
    if (isConflict(error)) return null;
    throw error;
  }
}

/**
 * Runs owned ranges (`null`: one another run holds, or done) to their end, in two phases so that
 * every member is told before any push starts: all ranges tell their members at once, then all
 * push. A range that fails records it on its marker (`failed`, the error, and a `leaseUntil` when
 * it may be retried: transient, under {@link FAN_OUT_MAX_ATTEMPTS}) and skips its push phase.
 */
export async function runRanges(
  run: RangeRun,
  ranges: (OwnedRange | null)[],
  preloaded?: Promise<RosterMember[]>[],
): Promise<RangeOutcome[]> {
  const tell = (owned: OwnedRange, i: number) => failSafe(run, owned, async () => tellRange(run, owned, await preloaded?.[i]));
  const told = await Promise.all(ranges.map((owned, i) => (owned ? tell(owned, i) : Promise.resolve(skipped))));
  return Promise.all(
    told.map((outcome) =>
      outcome.kind === "told" ? failSafe(run, outcome.owned, () => pushRange(run, outcome)) : Promise.resolve(outcome),
    ),
  );
}

/** A range whose members are all told: the pages told in this run, kept for the push phase. */
interface Told {
  kind: "told";
  owned: OwnedRange;
  /**
   * Each page told: the uid before it, its last uid, its recipients, each recipient's app
   * badge (`unreadTotal`) as the page's batch wrote it, and whom the streak rule chose to push.
   */
  pages: { after: string | null; last: string; members: RosterMember[]; badges: Map<string, number>; pushTo: Set<string> }[];
  events: number;
}

/** Runs `phase`; a failure is recorded on the marker and becomes the outcome. */
async function failSafe<T extends RangeOutcome | Told>(
  run: RangeRun,
  owned: OwnedRange,
  phase: () => Promise<T>,
): Promise<T | RangeOutcome> {
  try {
    return await phase();
  } catch (error) {
    if (isConflict(error)) return skipped;
    const retrying = isTransient(error) && owned.doc.attempts < FAN_OUT_MAX_ATTEMPTS;
    const failure = {
      state: "failed",
      error: errorSummary(error),
      leaseUntil: retrying ? Timestamp.fromMillis(run.now.getTime() + FAN_OUT_RETRY_MS) : FieldValue.delete(),
      updatedAt: Timestamp.fromDate(run.now),
    };
    // No precondition: the failure is recorded even when the commit that failed had landed.
    await owned.ref.update(failure).catch(() => undefined);
    return { kind: "failed", retrying, error };
  }
}

/** Tells the range's members, page after page, from where its marker says it stopped. */
async function tellRange(run: RangeRun, start: OwnedRange, preloaded?: RosterMember[]): Promise<Told> {
  let owned = start;
  const told: Told = { kind: "told", owned, pages: [], events: 0 };
  const skip = run.message.from ?? run.message.event?.uid;
  while (!owned.doc.told) {
    const { after } = owned.doc;
    const rest = preloaded?.filter(({ uid }) => after === null || compareIds(uid, after) > 0);
    const members = rest?.slice(0, FAN_OUT_PAGE) ?? (await readMembers(run, owned.doc, after, null));
    const recipients = members.filter(({ uid }) => uid !== skip);
    // The sender, when in this page: their badge reads up to their message (their read position moved).
    const sender =
      run.message.from !== null && members.some(({ uid }) => uid === run.message.from) ? run.message.from : undefined;
    const more = rest ? rest.length > FAN_OUT_PAGE : members.length === FAN_OUT_PAGE;
    const last = members.at(-1)?.uid ?? after;
    const pages = owned.doc.pages + (members.length > 0 ? 1 : 0);
    const page = await tellPage(run, owned, { recipients, sender }, { after: last, pages, told: !more });
    if (last !== null && members.length > 0)
      told.pages.push({ after, last, members: recipients, badges: page.badges, pushTo: page.pushTo });
    owned = page.owned;
    told.events += recipients.length;
  }
  return { ...told, owned };
}

/** The marker's progress after a page: the page's last uid, the pages told, whether the range is told. */
interface PageProgress {
  after: string | null;
  pages: number;
  told: boolean;
}

/** Whom a page tells: its recipients, and the message's sender when the page holds them. */
interface PageMembers {
  recipients: RosterMember[];
  sender?: string;
}

/** How often a page's one batch is tried before its members are told one by one. */
const PAGE_BATCH_ATTEMPTS = 3;

/** How often one member's event doc is tried when told on its own. */
const MEMBER_MAX_ATTEMPTS = 20;

/** Members told at once when told one by one. */
const MEMBERS_AT_ONCE = 50;

/**
 * A page told: the marker as written, each recipient's app badge (`unreadTotal`) as written, and
 * the recipients the streak rule chose to push (`push/streak.ts`).
 */
interface ToldPage {
  owned: OwnedRange;
  badges: Map<string, number>;
  pushTo: Set<string>;
}

/** What telling one member gave: their new app badge and whether they are to be pushed (absent for the sender). */
type MemberTold = { total: number; push: boolean } | undefined;

/** Notes what telling `uid` gave in `page`. */
function noteTold(page: Pick<ToldPage, "badges" | "pushTo">, uid: string, told: MemberTold): void {
  if (!told) return;
  page.badges.set(uid, told.total);
  if (told.push) page.pushTo.add(uid);
}

/**
 * Tells one page: in one batch with the marker's progress ({@link tryTellPage}), tried again
 * while the conflict was on a member's event doc (a send, read or mute of theirs meanwhile)
 * rather than on the marker (another run took the range). Members whose docs keep changing
 * would starve the batch, so after {@link PAGE_BATCH_ATTEMPTS} each member is told on its own
 * and then the marker moves: counting is idempotent (a number already counted, or at or before
 * the read position, counts nothing), so a run that dies in between and is run again changes no
 * badge twice.
 * @throws the marker's conflict.
 */
async function tellPage(run: RangeRun, owned: OwnedRange, page: PageMembers, progress: PageProgress): Promise<ToldPage> {
  for (let attempt = 1; attempt <= PAGE_BATCH_ATTEMPTS; attempt++) {
    try {
      return await tryTellPage(run, owned, page, progress);
    } catch (error) {
      if (!isConflict(error)) throw error;
      const marker = await owned.ref.get();
      if (!marker.updateTime?.isEqual(owned.writeTime)) throw error;
      await backoff(attempt);
    }
  }
  const told = { badges: new Map<string, number>(), pushTo: new Set<string>() };
  const uids = [...page.recipients.map(({ uid }) => uid), ...(page.sender ? [page.sender] : [])];
  for (let at = 0; at < uids.length; at += MEMBERS_AT_ONCE) {
    await Promise.all(uids.slice(at, at + MEMBERS_AT_ONCE).map((uid) => tellMember(run, page, uid, told)));
  }
  return { owned: await save(run, owned, pageUpdate(run, owned, page, progress)), ...told };
}

/**
 * Tells one member of a page on its own, over their event doc as read, again on a conflict.
 * @throws TransientError when their doc kept changing (the range is retried).
 */
async function tellMember(
  run: RangeRun,
  page: PageMembers,
  uid: string,
  told: Pick<ToldPage, "badges" | "pushTo">,
): Promise<void> {
  for (let attempt = 1; attempt <= MEMBER_MAX_ATTEMPTS; attempt++) {
    try {
      const snap = await refs.externalEvent(run.db, uid).get();
      const batch = run.db.batch();
      const member = tellBadge(run, page, batch, snap);
      await batch.commit();
      noteTold(told, uid, member);
      return;
    } catch (error) {
      if (!isConflict(error)) throw error;
      await backoff(attempt);
    }
  }
  throw new TransientError("a member's event doc kept changing during a fan-out");
}

/** The marker's fields after `page` is told. */
function pageUpdate(run: RangeRun, owned: OwnedRange, page: PageMembers, progress: PageProgress) {
  const nothingToPush = !pushes(run.message) || progress.after === owned.doc.pushedAfter;
  return {
    ...progress,
    events: owned.doc.events + page.recipients.length,
    updatedAt: Timestamp.fromDate(run.now),
    ...(progress.told && nothingToPush ? finished(run.now) : {}),
  };
}

/**
 * Adds one page member's event doc write to `batch`, over `snap` as read: a recipient's external
 * event, with the message on their app badge (not for a system message, a member who blocked or
 * muted the sender, or had the room muted when it was sent, or read past it; see
 * `timeline/badge.ts`) and the streak rule's decision (`push/streak.ts`: a member who may be
 * pushed at all, see {@link mayPush}, is pushed when the message opens an unread streak or
 * mentions them; an opened streak is written as the share's `pushedUpTo`); the sender's badge
 * read up to it (written only when that changes). Answers a recipient's new total and whether
 * to push them.
 */
function tellBadge(run: RangeRun, page: PageMembers, batch: WriteBatch, snap: DocumentSnapshot<ExternalEventDoc>): MemberTold {
  const { chatId, message } = run;
  const badge = new BadgeEdit(snap.data(), isRoomId);
  if (snap.id === page.sender) {
    badge.read(chatId, message.number);
    if (badge.changed) writeBadge(batch, snap, badge);
    return undefined;
  }
  const member = page.recipients.find(({ uid }) => uid === snap.id);
  const mutedWhenSent = isMuted(member?.mutedUntil, message.createdAt.toDate());
  if (countsForBadge(message) && !run.silenced.has(snap.id) && !mutedWhenSent) {
    badge.count(chatId, { number: message.number, at: message.createdAt.toMillis() });
  }
  const decision = member && mayPush(run, member) ? decideStreakPush(badge.share(chatId), streakOf(message, snap.id)) : undefined;
  if (decision?.pushedUpTo !== undefined) badge.pushed(chatId, decision.pushedUpTo);
  writeBadge(batch, snap, badge, {
    notifyNewMessage: true,
    lastEvent: { chatId, number: message.number, at: message.createdAt },
  });
  return { total: badge.total, push: decision?.push ?? false };
}

/**
 * Whether a room member may be pushed `run`'s message at all: it pushes (`pushes`), and they are
 * not its sender (nor the member a system message is about), did not block or mute the sender,
 * and did not mute the room at the run's time unless it mentions them.
 */
function mayPush(run: RangeRun, { uid, mutedUntil }: RosterMember): boolean {
  const { message, now, silenced } = run;
  if (!pushes(message) || uid === (message.from ?? message.event?.uid) || silenced.has(uid)) return false;
  return !isMuted(mutedUntil, now) || mentionedIn(message, uid);
}

/** `message` as the streak rule sees it for member `uid`. */
function streakOf(message: MessageDoc, uid: string) {
  return { number: message.number, mentioned: mentionedIn(message, uid) };
}

/**
 * One batch: the page's members' event docs ({@link tellBadge}: one read and one write per
 * recipient) and the marker's progress, on the marker's last write and the event docs as read.
 * Answers each recipient's new total too, for the page's push.
 */
async function tryTellPage(run: RangeRun, owned: OwnedRange, page: PageMembers, progress: PageProgress): Promise<ToldPage> {
  const { db } = run;
  const update = pageUpdate(run, owned, page, progress);
  const batch = db.batch().update(owned.ref, update, { lastUpdateTime: owned.writeTime });
  const uids = [...page.recipients.map(({ uid }) => uid), ...(page.sender ? [page.sender] : [])];
  const snaps = uids.length > 0 ? await getAll(db, ...uids.map((uid) => refs.externalEvent(db, uid))) : [];
  const told = { badges: new Map<string, number>(), pushTo: new Set<string>() };
  for (const snap of snaps) noteTold(told, snap.id, tellBadge(run, page, batch, snap));
  const [result] = await batch.commit();
  const written = { ref: owned.ref, doc: { ...owned.doc, ...(update as Partial<FanOutDoc>) }, writeTime: result.writeTime };
  return { owned: written, ...told };
}

/**
 * Pushes the range's told pages not yet pushed, in order: the pages this run told from memory
 * (whom the streak rule chose, and their app badges), the others (told by an earlier run) read
 * again (the members, and their event docs: {@link chosenOf}). Each page has its own claim
 * (`push-events/{chatId}-{number}-{range}-{page}`), so a page pushed in part sends only to the rest.
 */
async function pushRange(run: RangeRun, { owned: start, pages, events }: Told): Promise<RangeOutcome> {
  let owned = start;
  const push = { sent: 0, failed: 0, removedDevices: 0 };
  while (pushes(run.message) && owned.doc.pushedAfter !== owned.doc.after) {
    const kept = pages.find((page) => page.after === owned.doc.pushedAfter);
    const members = kept?.members ?? (await readMembers(run, owned.doc, owned.doc.pushedAfter, owned.doc.after));
    const chosen = kept ?? (await chosenOf(run, members));
    addPush(push, await pushPage(run, owned.doc, { page: owned.doc.pushedPages, ...chosen }));
    const pushedAfter = kept?.last ?? members.at(-1)?.uid ?? owned.doc.after;
    const done = pushedAfter === owned.doc.after;
    owned = await save(run, owned, { pushedAfter, pushedPages: owned.doc.pushedPages + 1, ...(done ? finished(run.now) : {}) });
  }
  return { kind: "done", events, pages: pages.length, push };
}

/** Marker fields of a range that is done. */
function finished(now: Date) {
  return { state: "done" as const, doneAt: Timestamp.fromDate(now), leaseUntil: FieldValue.delete(), error: FieldValue.delete() };
}

/** Updates the owned marker on its last write. */
async function save(run: RangeRun, owned: OwnedRange, fields: Record<string, unknown>): Promise<OwnedRange> {
  const update = { ...fields, updatedAt: Timestamp.fromDate(run.now) };
  const result = await owned.ref.update(update, { lastUpdateTime: owned.writeTime });
  return { ref: owned.ref, doc: { ...owned.doc, ...(update as Partial<FanOutDoc>) }, writeTime: result.writeTime };
}

/** Up to a page of the range's members after `after` (through `last`, when given), by uid. */
async function readMembers(run: RangeRun, range: FanOutDoc, after: string | null, last: string | null): Promise<MemberDoc[]> {
  let query = refs.members(run.db, run.chatId).orderBy(FieldPath.documentId());
  if (after !== null) query = query.startAfter(after);
  else if (range.from !== null) query = query.startAt(range.from);
  if (last !== null) query = query.endAt(last);
  else if (range.to !== null) query = query.endBefore(range.to);
  const snap = await query.limit(FAN_OUT_PAGE).get();
  return snap.docs.map((doc) => doc.data());
}

/** Whom a told page pushes (the streak rule's choice) and their app badges (`unreadTotal`). */
interface ChosenPage {
  pushTo: ReadonlySet<string>;
  badges: ReadonlyMap<string, number>;
}

/** Page `page` of a range to push: whom, and with which app badges. */
interface PushedPage extends ChosenPage {
  page: number;
}

/**
 * Whom the tell phase of an earlier run chose to push on a page of `members`, read back: the
 * members who may be pushed ({@link mayPush}) and whose share says the message opened their
 * streak or who are mentioned, and have not read it since (`wasChosen`), with their totals.
 * Reads `users-external-event/{uid}` of each member who may be pushed (one `getAll`; only on a
 * redelivery's push of a page it did not tell).
 */
async function chosenOf(run: RangeRun, members: RosterMember[]): Promise<ChosenPage> {
  const { db, chatId, message } = run;
  const may = members.filter((member) => mayPush(run, member));
  const snaps = may.length === 0 ? [] : await getAll(db, ...may.map(({ uid }) => refs.externalEvent(db, uid)));
  const pushTo = new Set<string>();
  const badges = new Map<string, number>();
  for (const snap of snaps) {
    const doc = snap.data();
    if (!wasChosen(doc?.badge?.[chatId], streakOf(message, snap.id))) continue;
    pushTo.add(snap.id);
    badges.set(snap.id, doc?.unreadTotal ?? 0);
  }
  return { pushTo, badges };
}

/**
 * Pushes page `page` of a range to the members the streak rule chose (`pushTo`: members who
 * may be pushed, see {@link mayPush}, whose unread streak the message opened, or mentioned),
 * each with their app badge (`badges`). No claim when nobody is chosen.
 */
function pushPage(run: RangeRun, range: FanOutDoc, { page, pushTo, badges }: PushedPage) {
  const { now, message } = run;
  const uids = [...pushTo];
  if (uids.length === 0) return Promise.resolve({ duplicate: false, sent: 0, failed: 0, removedDevices: 0 });
  const id = fanOutPushId(run.chatId, message.number, range.range, page);
  const event = { id, chatId: run.chatId, message };
  const style = { roomTitle: run.room.title };
  return pushToMembers(run.db, { now, transport: run.transport, event, recipients: uids, style, badges });
}

function addPush(sum: FanOutReport["push"], push: FanOutReport["push"]): void {
  sum.sent += push.sent;
  sum.failed += push.failed;
  sum.removedDevices += push.removedDevices;
}

/** Sums the ranges' outcomes. */
function report(ranges: number, outcomes: RangeOutcome[]): FanOutReport {
  const sum: FanOutReport = {
    ranges,
    done: 0,
    skipped: 0,
    failed: 0,
    retrying: 0,
    events: 0,
    pages: 0,
    push: { sent: 0, failed: 0, removedDevices: 0 },
  };
  for (const outcome of outcomes) {
    if (outcome.kind === "skipped") sum.skipped++;
    else if (outcome.kind === "failed") {
      sum.failed++;
      if (outcome.retrying) sum.retrying++;
    } else {
      sum.done++;
      sum.events += outcome.events;
      sum.pages += outcome.pages;
      addPush(sum.push, outcome.push);
    }
  }
  return sum;
}

/** What one sweep did. */
export interface SweepReport {
  /** Ranges found past their lease, and taken, finished and failed again of those. */
  found: number;
  done: number;
  failed: number;
  /** Ranges another run took first, or whose message or room is gone (marked failed for good). */
  skipped: number;
}

/**
 * Re-drives fan-out ranges whose lease ran out: a run that died, or a failed range whose retry is
 * due. Takes up to `limit` markers with `leaseUntil` before `now`, oldest first, and runs each as
 * the trigger would (see {@link fanOutMessage}); stops taking new ones after `deadline`. A range
 * whose message or room is gone is marked failed for good. Reads `fan-outs` (the query), each
 * range's message and room once per message, and then as a fan-out run.
 */
export async function sweepFanOuts(
  db: Firestore,
  now: Date,
  transport: PushTransport,
  { deadline, limit }: { deadline: Date; limit: number },
): Promise<SweepReport> {
  const due = await refs.fanOuts(db).where("leaseUntil", "<", Timestamp.fromDate(now)).orderBy("leaseUntil").limit(limit).get();
  const sweep: SweepReport = { found: due.size, done: 0, failed: 0, skipped: 0 };
  const runs = new Map<string, Promise<RangeRun | null>>();
  for (const snap of due.docs) {
    if (Date.now() > deadline.getTime()) break;
    const { chatId, number } = snap.data();
    const key = `${chatId}-${number}`;
    if (!runs.has(key)) runs.set(key, rangeRunOf(db, { now, transport, chatId, number }));
    const run = await runs.get(key);
    const owned = run ? await takeRange({ now }, snap) : null;
    if (!run)
      await snap.ref.update({
        state: "failed",
        leaseUntil: FieldValue.delete(),
        error: { code: "gone", message: "message or room gone" },
      });
    const [outcome] = run && owned ? await runRanges(run, [owned]) : [skipped];
    sweep[outcome.kind]++;
  }
  return sweep;
}

/** The sweep's run of a range of message `number` of room `chatId`. */
interface SweptRange {
  /** The sweep's time. */
  now: Date;
  /** Sends the FCM messages. */
  transport: PushTransport;
  /** The room: `chats/{roomId}`. */
  chatId: string;
  /** The message's number. */
  number: number;
}

/** What a range of message `number` of room `chatId` needs to run, or `null` when the message or room is gone. */
async function rangeRunOf(db: Firestore, swept: SweptRange): Promise<RangeRun | null> {
  const { now, transport, chatId, number } = swept;
  const [roomSnap, messageSnap] = await getAll(db, refs.chat(db, chatId), refs.message(db, chatId, number));
  const room = roomSnap.data();
  const message = messageSnap.data();
  if (!room || !message) return null;
  return { db, now, transport, chatId, message, room, silenced: await silencedBy(db, message) };
}

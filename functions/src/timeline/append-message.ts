import {
  FieldPath,
  FieldValue,
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
  type Precondition,
  type WriteBatch,
} from "firebase-admin/firestore";
import { AppError, isAlreadyExists } from "../shared/errors.js";
import {
  converters,
  exists,
  isDirectChatId,
  getAll,
  refs,
  type ChatDoc,
  type ClientMessageKeyDoc,
  type ExternalEventDoc,
  type MessageDoc,
  type SnapshotsOf,
} from "../shared/model.js";
import { retryOnConflict } from "../shared/optimistic.js";
import type { Rate } from "../shared/token-bucket.js";
import { chatNotFound } from "./chat-access.js";
import { chatChangeUpdates, type ChatChange } from "./chat-change.js";
import { GroupQueue } from "./group-queue.js";
import { messagePreview } from "./preview.js";
import { BadgeEdit, countsForBadge, isRoomId, writeBadge } from "./badge.js";
import { SendBuckets } from "./send-rate.js";
import { writersOf } from "./took-part.js";
import { acceptanceFields, DEFAULT_REQUEST_MESSAGE_LIMIT, requestRefusal } from "./message-requests.js";

/** Most unread mentions kept per member of a chat or room (the latest). */
export const MAX_UNREAD_MENTIONS = 100;

/** How often one group tries to claim its numbers before its appends give up with `aborted`. */
export const APPEND_MAX_ATTEMPTS = 100;

/**
 * Most appends one commit takes. Each writes its message, maybe its idempotency key and, in a
 * room, its sender's member doc; the commit adds the chat (and a 1:1 chat's recipient's
 * external event): under Firestore's 500 writes per commit.
 */
export const MAX_GROUP = 100;

/** The fields of a new message that its author decides. */
export type MessageContent = Pick<
  MessageDoc,
  "type" | "text" | "file" | "reference" | "event" | "mentions" | "words" | "poll" | "threadOf"
>;

/** A message to append, as {@link AppendRequest.prepare} decides it. */
export interface PreparedMessage {
  from: string | null;
  content: MessageContent;
  /** The idempotency key `chats/{chatId}/client-messages/{key}` to create with it. */
  keyRef?: DocumentReference<ClientMessageKeyDoc>;
  clientMessageId?: string;
  /** A chat change committed with the message (system messages; such appends commit alone). */
  change?: ChatChange;
  /**
   * The member a system message is about: they get no unread count or external event for it
   * (in a room, their read position moves to it).
   */
  aboutUid?: string | null;
}

/** Docs an append reads with the chat, of any collections; `undefined` where a read does not apply. */
export type AppendReads = readonly (DocumentReference<object> | undefined)[];

/** One append, as its caller asks for it; `R`: its `reads`, each snapshot typed by its reference. */
export interface AppendRequest<R extends AppendReads = AppendReads> {
  /** The request's time; a message is never dated before the one it follows. */
  now: Date;
  /** Docs to read with the chat (an idempotency key, a quoted message); `undefined` for none. */
  reads: R;
  /**
   * Decides the append from the chat as read and the `reads` (in their order, `undefined` where
   * none): the message, `{existing: n}` when an earlier send already made message n, or `null`
   * for nothing to write. It may throw an AppError to refuse; only this append fails then.
   * It runs again when the group's commit lost a race.
   */
  prepare(chat: DocumentSnapshot<ChatDoc>, reads: SnapshotsOf<R>): PreparedMessage | { existing: number } | null;
  /** Commit alone, not with other appends: set for appends that change the chat. */
  alone?: boolean;
  /**
   * The sender's send limit in this chat (`SEND_RATE_LIMIT`), kept in {@link SendBuckets}; absent
   * for none (system messages, callers with the `unlimited` claim). In a room, `reads` must hold
   * the sender's member doc.
   */
  sendRate?: Rate;
  /**
   * The user whose own messages or system events this append is: the sender, or the member a
   * system message is about. In a room their app badge moves with their read position, so their
   * `users-external-event/{uid}` is read with the chat.
   */
  reader?: string;
  /**
   * Messages the opener of a message request may send before it is accepted
   * (`REQUEST_MESSAGE_LIMIT`); default {@link DEFAULT_REQUEST_MESSAGE_LIMIT}.
   */
  requestLimit?: number;
}

/** A message appended to a chat: its doc id, the doc as written, and the commits it took. */
export interface AppendedMessage {
  id: string;
  message: MessageDoc;
  /** Commits tried, 1 when no other instance competed for the numbers. */
  attempts: number;
}

/** What became of an append. */
export type AppendOutcome = { appended: AppendedMessage } | { existing: number; attempts: number } | null;

interface Pending {
  request: AppendRequest;
  resolve: (outcome: AppendOutcome) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: AppendOutcome } | { error: unknown };

/** One queue per Firestore handle (tests and the bench may use more than one). */
const queues = new WeakMap<Firestore, GroupQueue<Pending>>();

/**
 * The append primitive, with group commit. Appends to one chat that arrive in this instance
 * while a commit is under way wait, and then commit together: one read of the chat (with each
 * append's `reads`), numbers n+1..n+k, and one batch that `create`s each message (its doc id is
 * its number) and idempotency key, and updates `chats/{chatId}` once (count, last message). In
 * a 1:1 chat the batch also sums the recipient's `unread` increment and sets their
 * `users-external-event/{uid}`; in a room it moves each sender's read position
 * (`chats/{roomId}/members/{uid}.lastRead`) to their last message, and the message trigger fans
 * out the rest, so the batch's size does not grow with the room. A message's `mentions` join
 * the mentioned members' unread mentions: `chats/{chatId}.mentioned.{uid}` (1:1) or
 * `chats/{roomId}/members/{uid}.mentioned` (rooms; one more write per mentioned member). A
 * sender is recorded as having written (`chats/{chatId}.wrote` in a 1:1 chat, their member doc's
 * `wrote` in a room), in writes the batch makes anyway. A hot
 * chat gets more messages per commit as its load grows. An append with a `sendRate` takes a
 * token of its sender's bucket in this chat ({@link SendBuckets}: `sendRate` on the 1:1 chat doc
 * or the sender's member doc, in the same batch); with none left it fails alone with
 * `resource-exhausted`, taking no number.
 *
 * Across instances, `create` fails with ALREADY_EXISTS when another commit took a number first;
 * then nothing was written, and the group re-reads and tries again (up to
 * {@link APPEND_MAX_ATTEMPTS}). An ALREADY_EXISTS on any other doc is not a race and fails at once. The count and the messages are written together, so a count of n
 * means messages 1..n exist and n+1 does not: numbers are gapless and unique.
 * Reads `chats/{chatId}` and the requests' `reads`; writes `chats/{chatId}`,
 * `chats/{chatId}/messages/{number}`, `chats/{chatId}/client-messages/{key}`, a poll's
 * `chats/{chatId}/open-polls/{messageId}`,
 * `users-external-event/{recipient}` (1:1), `chats/{roomId}/members/{sender}` (rooms) and what a
 * chat change writes.
 * @throws AppError whatever `prepare` throws; `not-found` (no chat); `failed-precondition` (a
 *   message request's opener past its limit, or after it was declined); `resource-exhausted`
 *   (over `sendRate`); `aborted` when no number was won.
 */
export function appendMessage<const R extends AppendReads>(
  db: Firestore,
  chatId: string,
  request: AppendRequest<R>,
): Promise<AppendOutcome> {
  let queue = queues.get(db);
  if (!queue) {
    queue = new GroupQueue<Pending>(
      MAX_GROUP,
      (pending) => pending.request.alone === true,
      (key, group) => commitGroup(db, key, group),
    );
    queues.set(db, queue);
  }
  const appends = queue;
  return new Promise((resolve, reject) => appends.add(chatId, { request, resolve, reject }));
}

/** Commits `group`, retrying lost races, and settles each of its appends. Never rejects. */
async function commitGroup(db: Firestore, chatId: string, group: Pending[]): Promise<void> {
  let settled: Settled[];
  try {
    settled = await retryOnConflict(APPEND_MAX_ATTEMPTS, (attempt) => tryGroup(db, chatId, group, attempt), appendsExhausted);
  } catch (error) {
    settled = group.map(() => ({ error }));
  }
  group.forEach(({ resolve, reject }, i) => {
    const result = settled[i];
    if ("ok" in result) resolve(result.ok);
    else reject(result.error);
  });
}

/**
 * What one attempt at committing a group read, and what it gathers while it places the group's
 * appends, to write them all in one batch.
 */
interface GroupAttempt {
  db: Firestore;
  chatId: string;
  /** This attempt's number, from 1. */
  attempt: number;
  /** The chat as read, and its data (`undefined`: no such chat). */
  chatSnap: DocumentSnapshot<ChatDoc>;
  chat: ChatDoc | undefined;
  /** The appends' `reads` but the `undefined` ones, in order, and their snapshots. */
  extra: DocumentReference<object>[];
  snaps: DocumentSnapshot<object>[];
  /** The index in `snaps` of the next append's first read. */
  next: number;
  batch: WriteBatch;
  /** 1:1 chats: each recipient's unread increment and external event. */
  unread: Map<string, number>;
  events: Map<string, ExternalEventDoc>;
  /** The app badges the group changes, by uid, over their event docs as read ({@link badgeReads}). */
  badges: Map<string, { snap: DocumentSnapshot<ExternalEventDoc>; edit: BadgeEdit }>;
  /** Rooms: the members whose read position moves, to which number. */
  readers: Map<string, number>;
  /** Each mentioned member's new mentions. */
  mentioned: Map<string, number[]>;
  /** The idempotency keys created, by path, with their message numbers. */
  keys: Map<string, number>;
  /** The senders of the group's messages. */
  writers: Set<string>;
  sendBuckets: SendBuckets;
  /** The `[field, value]` pairs of the chat changes. */
  chatUpdates: [string, unknown][];
  /** The chat's message count so far, and the newest message's time (ms). */
  count: number;
  lastAt: number;
  /** The group's newest message so far. */
  last: MessageDoc | undefined;
  /** A message request until its recipient's reply in this group accepts it. */
  openRequest: ChatDoc["request"];
}

/** One attempt at committing `group`; a lost race throws the commit's conflict. */
async function tryGroup(db: Firestore, chatId: string, group: Pending[], attempt: number): Promise<Settled[]> {
  const chatRef = refs.chat(db, chatId);
  const extra = group.flatMap(({ request }) => request.reads.filter((ref) => ref !== undefined));
  let eventRefs = badgeReads(db, chatId, group);
  const [chatSnap, ...snaps] = await getAll(db, chatRef, ...extra, ...eventRefs);
  let eventSnaps = snaps.splice(extra.length) as DocumentSnapshot<ExternalEventDoc>[];
  const chat = chatSnap.data();
  const members = chat?.type === "room" ? [] : (chat?.members ?? []);
  if (members.some((uid) => !eventRefs.some((ref) => ref.id === uid))) {
    // A 1:1 chat whose id did not split into its members' uids: read their event docs now.
    eventRefs = members.map((uid) => refs.externalEvent(db, uid));
    eventSnaps = await getAll(db, ...eventRefs);
  }
  const badges = new Map(eventSnaps.map((snap) => [snap.id, { snap, edit: new BadgeEdit(snap.data(), isRoomId) }]));
  const state: GroupAttempt = {
    ...{ db, chatId, attempt, chatSnap, chat, extra, snaps, next: 0, batch: db.batch(), badges },
    ...{ unread: new Map(), events: new Map(), readers: new Map(), mentioned: new Map(), keys: new Map() },
    ...{ writers: new Set<string>(), sendBuckets: new SendBuckets(chat, snaps), chatUpdates: [] },
    count: chat?.messageCount ?? 0,
    lastAt: chat?.lastMessageAt?.toMillis() ?? 0,
    last: undefined,
    openRequest: chat?.request,
  };
  const settled = group.map(({ request }) => placeAppend(state, request));
  if (!state.last) return settled;

  updateChat(state, state.last);
  updateBadges(state);
  updateMembers(state);
  try {
    await state.batch.commit();
  } catch (error) {
    throw isAlreadyExists(error) && !takenByAnotherSend(error) ? notAConflict(error) : error;
  }
  return settled;
}

/**
 * Settles one append of the group: its `prepare` decides, then the message request's and the
 * send limit's checks; a message that passes is added to the batch ({@link addMessage}).
 */
function placeAppend(group: GroupAttempt, request: AppendRequest): Settled {
  const { chat, attempt } = group;
  const reads = request.reads.map((ref) => (ref ? group.snaps[group.next++] : undefined));
  let prepared: ReturnType<AppendRequest["prepare"]>;
  try {
    prepared = request.prepare(group.chatSnap, reads);
  } catch (error) {
    return { error };
  }
  if (prepared === null) return { ok: null };
  if ("existing" in prepared) return { ok: { existing: prepared.existing, attempts: attempt } };
  const earlier = prepared.keyRef && group.keys.get(prepared.keyRef.path);
  if (earlier !== undefined) return { ok: { existing: earlier, attempts: attempt } };
  if (!chat) return { error: chatNotFound() };
  const limit = request.requestLimit ?? DEFAULT_REQUEST_MESSAGE_LIMIT;
  const unrequested = prepared.from && requestRefusal(group.openRequest, prepared.from, group.count + 1, limit);
  if (unrequested) return { error: unrequested };
  const refused =
    request.sendRate && prepared.from && group.sendBuckets.take(prepared.from, request.now.getTime(), request.sendRate);
  if (refused) return { error: refused };
  if (group.openRequest && prepared.from === group.openRequest.to) group.openRequest = undefined;
  return { ok: { appended: addMessage(group, chat, request, prepared) } };
}

/**
 * Numbers `prepared`'s message and adds its writes to the group's batch: the message, its
 * idempotency key, a poll's open-poll doc (`chats/{chatId}/open-polls/{messageId}`), and its
 * chat change; records its sender, recipients and mentions.
 */
function addMessage(group: GroupAttempt, chat: ChatDoc, request: AppendRequest, prepared: PreparedMessage): AppendedMessage {
  const { db, chatId, batch } = group;
  const number = ++group.count;
  // Never earlier than the message before it, so createdAt grows with the number.
  group.lastAt = Math.max(request.now.getTime(), group.lastAt);
  const at = Timestamp.fromMillis(group.lastAt);
  const message: MessageDoc = {
    number,
    from: prepared.from,
    ...prepared.content,
    clientMessageId: prepared.clientMessageId ?? null,
    createdAt: at,
  };
  const messageRef = refs.message(db, chatId, number);
  batch.create(messageRef, message);
  if (prepared.keyRef) {
    batch.create(prepared.keyRef, { number, createdAt: at } satisfies ClientMessageKeyDoc);
    group.keys.set(prepared.keyRef.path, number);
  }
  if (message.poll) batch.create(refs.openPoll(db, chatId, number), { number });
  if (prepared.from !== null) group.writers.add(prepared.from);
  addRecipients(group, chat, prepared, message);
  for (const uid of prepared.content.mentions ?? []) {
    if (uid !== prepared.from) group.mentioned.set(uid, [...(group.mentioned.get(uid) ?? []), number]);
  }
  if (prepared.change) {
    group.chatUpdates.push(...chatChangeUpdates(db, { batch, chatId, now: request.now, change: prepared.change }));
  }
  group.last = message;
  return { id: messageRef.id, message, attempts: group.attempt };
}

/**
 * Records whom `message` counts for: in a room, the read positions it moves (its sender's, and
 * the member a system message is about); in a 1:1 chat, each recipient's unread count and
 * external event.
 */
function addRecipients(group: GroupAttempt, chat: ChatDoc, prepared: PreparedMessage, message: MessageDoc): void {
  const { number, createdAt: at } = message;
  if (chat.type === "room") {
    // Unread counts in rooms derive from read positions; the trigger fans out the rest.
    if (prepared.from !== null) group.readers.set(prepared.from, number);
    const about = prepared.aboutUid;
    if (about && about !== prepared.change?.joined?.uid && about !== prepared.change?.left) group.readers.set(about, number);
    const { joined, left } = prepared.change ?? {};
    if (joined) group.badges.get(joined.uid)?.edit.join(group.chatId, joined.lastRead);
    if (left !== undefined) group.badges.get(left)?.edit.leave(group.chatId);
  } else {
    for (const uid of chat.members ?? []) {
      if (uid === prepared.from || uid === prepared.aboutUid) continue;
      group.unread.set(uid, (group.unread.get(uid) ?? 0) + 1);
      group.events.set(uid, { notifyNewMessage: true, lastEvent: { chatId: group.chatId, number, at } });
      if (countsForBadge(message)) group.badges.get(uid)?.edit.count(group.chatId, { number, at: at.toMillis() });
    }
  }
}

/**
 * The event docs an attempt reads with the chat, for the app badges it changes: in a 1:1 chat
 * its members' (from its id; see {@link tryGroup} for an id that does not split), in a room its
 * appends' `reader`s'.
 */
function badgeReads(db: Firestore, chatId: string, group: Pending[]): DocumentReference<ExternalEventDoc>[] {
  const parts = chatId.split("_");
  const uids = isDirectChatId(chatId)
    ? parts.length === 2
      ? parts
      : []
    : [...new Set(group.flatMap(({ request }) => (request.reader ? [request.reader] : [])))];
  return uids.map((uid) => refs.externalEvent(db, uid));
}

/**
 * Adds the event doc writes to the group's batch: a 1:1 recipient's external event with their
 * badge, and each room reader's badge read up to their new read position, over the docs as read.
 */
function updateBadges(group: GroupAttempt): void {
  for (const [uid, number] of group.readers) group.badges.get(uid)?.edit.read(group.chatId, number);
  for (const [uid, { snap, edit }] of group.badges) {
    const event = group.events.get(uid);
    if (event || edit.changed) writeBadge(group.batch, snap, edit, event);
  }
}

/** Adds the chat doc's one update to the group's batch, after `last`, the group's newest message. */
function updateChat(group: GroupAttempt, last: MessageDoc): void {
  const { chat, chatSnap, unread, mentioned, writers } = group;
  // prettier-ignore
  group.batch.update(
    chatSnap.ref,
    // Safe to set rather than increment: the creates above only succeed while the count is as read.
    "messageCount", group.count,
    "lastMessage", { number: last.number, from: last.from, type: last.type, preview: messagePreview(last) },
    "lastMessageAt", last.createdAt,
    "started", true,
    "updatedAt", last.createdAt,
    ...[...unread].flatMap(([uid, n]) => [new FieldPath("unread", uid), FieldValue.increment(n)]),
    ...(chat?.type === "room" ? [] : directMentions(chat, mentioned)),
    ...(chat?.type === "room" ? [] : newWriters(chat, writers)),
    // The recipient's reply accepts a message request.
    ...(chat?.request && !group.openRequest ? acceptanceFields(chat) : []),
    ...group.sendBuckets.chatFields(),
    ...group.chatUpdates.flat(),
    // Unread mentions are written whole: only over the chat as read (see keptMentions).
    ...(chat?.type !== "room" && mentioned.size > 0 ? [{ lastUpdateTime: chatSnap.updateTime as Timestamp }] : []),
  );
}

/**
 * Adds each room member's one update to the group's batch: read position, `wrote`, send bucket
 * and mentions.
 */
function updateMembers(group: GroupAttempt): void {
  const { db, chatId, chat, batch, extra, snaps } = group;
  const memberUpdates = new Map<string, Record<string, unknown>>();
  for (const [uid, lastRead] of group.readers) {
    memberUpdates.set(uid, { lastRead, ...(group.writers.has(uid) && { wrote: true }) });
  }
  for (const [uid, fields] of group.sendBuckets.memberFields()) memberUpdates.set(uid, { ...memberUpdates.get(uid), ...fields });
  // A mentioned member's list is written whole, so only over the doc as read (a deletion's
  // removal meanwhile makes the group re-read).
  const asRead = new Map<string, Precondition>();
  if (chat?.type === "room") {
    for (const [uid, numbers] of group.mentioned) {
      const at = extra.findIndex((ref) => ref.path === refs.member(db, chatId, uid).path);
      if (at < 0) throw new Error(`A room mention of ${uid} needs their member doc in the append's reads.`);
      const memberSnap = snaps[at];
      // Read with docs of other collections, so typed through its own collection's converter.
      const member = exists(memberSnap) ? converters.members.fromFirestore(memberSnap) : undefined;
      memberUpdates.set(uid, { ...memberUpdates.get(uid), mentioned: keptMentions(member, numbers) });
      if (memberSnap.updateTime) asRead.set(uid, { lastUpdateTime: memberSnap.updateTime });
    }
  }
  for (const [uid, update] of memberUpdates) {
    const precondition = asRead.get(uid);
    if (precondition) batch.update(refs.member(db, chatId, uid), update, precondition);
    else batch.update(refs.member(db, chatId, uid), update);
  }
}

/**
 * The `[field, value]` pairs that add `mentioned` (uid -> new message numbers) to a 1:1 chat's
 * `mentioned.{uid}`: the unread ones kept (after the member's `lastRead`), the latest
 * {@link MAX_UNREAD_MENTIONS} (see {@link keptMentions}).
 */
function directMentions(chat: ChatDoc | undefined, mentioned: Map<string, number[]>): unknown[] {
  return [...mentioned].flatMap(([uid, numbers]) => [
    new FieldPath("mentioned", uid),
    keptMentions({ lastRead: chat?.lastRead?.[uid], mentioned: chat?.mentioned?.[uid] }, numbers),
  ]);
}

/**
 * A member's unread mentions after `added` (new message numbers): those of `current.mentioned`
 * after `current.lastRead`, then `added`, the latest {@link MAX_UNREAD_MENTIONS}. Written as a
 * whole list (1:1: `chats/{chatId}.mentioned.{uid}`; rooms: the member doc's `mentioned`), never
 * unioned, so the list can't outgrow the cap; the write carries the doc's update time as read,
 * so a read or deletion in between makes the group re-read rather than being undone.
 */
export function keptMentions(current: { lastRead?: number; mentioned?: number[] } | undefined, added: number[]): number[] {
  const lastRead = current?.lastRead ?? 0;
  const kept = (current?.mentioned ?? []).filter((number) => number > lastRead);
  return [...kept, ...added].slice(-MAX_UNREAD_MENTIONS);
}

/**
 * The `[field, value]` pair adding `writers` to a 1:1 chat's `wrote`, when any is new. A chat
 * made before `wrote` was kept gets the whole list, starting from whom it counted before
 * ({@link writersOf}), so no earlier writer is lost.
 */
function newWriters(chat: ChatDoc | undefined, writers: Set<string>): unknown[] {
  const known = chat ? writersOf(chat) : [];
  const added = [...writers].filter((uid) => !known.includes(uid));
  if (chat && !chat.wrote) return known.length + added.length === 0 ? [] : ["wrote", [...known, ...added]];
  return added.length === 0 ? [] : ["wrote", FieldValue.arrayUnion(...added)];
}

/**
 * Whether an ALREADY_EXISTS names a doc a competing send creates: a message (its number taken)
 * or an idempotency key (the same send retried). Only those are lost races to retry; Firestore
 * names the doc in the error's message.
 */
function takenByAnotherSend(error: unknown): boolean {
  return /\/(messages|client-messages|users-external-event)\/[^/\s]+\s*$/.test(
    String((error as { details?: unknown }).details ?? error),
  );
}

/** Any other ALREADY_EXISTS is a bug, not a race: fail at once rather than retry it. */
function notAConflict(error: unknown): Error {
  return new Error(`A chat change created a doc that already exists: ${String(error)}`, { cause: error });
}

function appendsExhausted(): AppError {
  return new AppError("aborted", "Too many messages are being sent to this chat at once; retry the send.");
}

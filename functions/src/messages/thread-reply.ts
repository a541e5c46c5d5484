import {
  FieldPath,
  FieldValue,
  Timestamp,
  type DocumentSnapshot,
  type Firestore,
  type WriteBatch,
} from "firebase-admin/firestore";
import { AppError, grpcStatus, hasGrpcStatus } from "../shared/errors.js";
import {
  existing,
  exists,
  getAll,
  isDirectChatId,
  MAX_THREAD_PARTICIPANTS,
  refs,
  THREAD_REPLIERS_SHOWN,
  type ChatDoc,
  type ClientMessageKeyDoc,
  type ExternalEventDoc,
  type MemberDoc,
  type MessageDoc,
  type ThreadDoc,
} from "../shared/model.js";
import { isConflict, retryOnConflict } from "../shared/optimistic.js";
import { APPEND_MAX_ATTEMPTS } from "../timeline/append-message.js";
import { BadgeEdit, isRoomId, threadKey, writeBadge } from "../timeline/badge.js";
import { silencersOf } from "../users/mutes.js";
import { memberRefOf, requireCanSend } from "../timeline/chat-access.js";
import { SendBuckets } from "../timeline/send-rate.js";
import { clientMessageKey, sendMessage, type SendResult } from "./send-message.js";
import { searchWords } from "./search-words.js";
import { screenMessage, type BeforeSend, type BeforeSendRequest, type Screened } from "./before-send.js";
import { once } from "../shared/lazy.js";
import { toMessageViewOfDoc } from "./views.js";
import type { Rate } from "../shared/token-bucket.js";

/** What {@link sendThreadReply} sends, from whom, to which thread, and when. */
export interface ThreadReplyOptions {
  /** The request's time; a reply is never dated before the one it follows. */
  now: Date;
  /** The sender: a member of the chat. */
  senderUid: string;
  chatId: string;
  /** The thread's parent: a message of the chat's channel. */
  threadOf: number;
  text: string;
  clientMessageId?: string;
  /** Members to mention (uids, each once); each must be a member of the chat, and joins the thread. */
  mentions?: string[];
  /** Also send the reply to the channel as a message (`threadOf` set on it). */
  showInChannel?: boolean;
  /** The sender's send limit in this chat (`SEND_RATE_LIMIT`, the bucket sends take from); absent for none. */
  sendRate?: Rate;
  /** The before-send hooks; absent: none. */
  beforeSend?: BeforeSend;
}

/**
 * Replies in the thread of message `threadOf` of chat `chatId`. The reply is numbered in its
 * thread (1, 2, 3... gapless), never in the channel, so it counts toward no chat's unread count.
 * One batch `create`s `chats/{chatId}/threads/{parent}/replies/{reply}` (and the idempotency key),
 * writes the thread doc `chats/{chatId}/threads/{parent}` over the doc as read (`replyCount`,
 * `lastReplyAt`, the first repliers, participants and their read positions) and the parent's
 * `thread` summary; a lost race (another reply took the number, or the thread changed) re-reads
 * and tries again, as sends do (`retryOnConflict`), as does a doc it updates that went away
 * after it was read (a participant who left the room). The participants other than the sender
 * (the parent's sender, the repliers, the members mentioned; at most `MAX_THREAD_PARTICIPANTS`)
 * get `users-external-event/{uid}` (`lastEvent.number`: the parent), and each whose thread was
 * read becomes one more of their `threadsUnread` (1:1: `chats/{chatId}.threadsUnread.{uid}`;
 * rooms: `chats/{roomId}/members/{uid}.threadsUnread`); the sender has read the thread. A reply
 * takes a token of the sender's send bucket in the chat, as a send does (same batch).
 * With `showInChannel`, the reply is then also sent to the channel (`sendMessage`, with an
 * idempotency key of its own made from the reply, so a retried reply sends it once).
 * With `beforeSend`, the reply's text is screened ({@link screenMessage}) once its checks
 * passed and before its batch (asked once, however many attempts); the channel copy takes the
 * screened text unasked.
 * Reads `chats/{chatId}`, the parent, the thread doc, the key and, in a room, the sender's, each
 * mentioned member's and each other participant's member doc; writes as above.
 * @throws AppError `not-found` (no chat, or not a member), `permission-denied` (a 1:1 chat where
 *   a member blocks the other), `failed-precondition` (chat not active, or a message request not
 *   accepted yet), `resource-exhausted` (over `sendRate`, the bucket sends take from),
 *   `invalid-argument` (`threadOf` names no message, a system message, a reply or a deleted message; a mention
 *   names no member), `aborted` (no reply number won), and, for the channel copy, as `sendMessage`;
 *   with `beforeSend` as {@link screenMessage}.
 */
export async function sendThreadReply(db: Firestore, options: ThreadReplyOptions): Promise<SendResult> {
  const { beforeSend } = options;
  const screen = beforeSend ? once(() => screenMessage(beforeSend, replyRequestOf(options), options.now)) : undefined;
  const result = await retryOnConflict(
    APPEND_MAX_ATTEMPTS,
    (attempt) => tryReply(db, { options, attempt, screen }),
    repliesExhausted,
    lostRace,
  );
  if (options.showInChannel) {
    const reply = result.message.number;
    await sendMessage(db, {
      now: options.now,
      senderUid: options.senderUid,
      chatId: options.chatId,
      draft: {
        type: "text",
        text: result.message.text,
        clientMessageId: `thread:${options.threadOf}:${reply}`,
        ...(options.mentions && { mentions: options.mentions }),
        shownFromThread: options.threadOf,
        sendRate: options.sendRate,
      },
    });
  }
  return result;
}

/** What one attempt at a reply read. */
interface ReplyReads {
  chatSnap: DocumentSnapshot<ChatDoc>;
  parentSnap: DocumentSnapshot<MessageDoc>;
  threadSnap: DocumentSnapshot<ThreadDoc>;
  keySnap: DocumentSnapshot<ClientMessageKeyDoc> | undefined;
  memberSnap: DocumentSnapshot<MemberDoc> | undefined;
}

/** What the hooks are asked about a reply. */
function replyRequestOf(options: ThreadReplyOptions): BeforeSendRequest {
  const { chatId, senderUid, threadOf, text, mentions } = options;
  return {
    kind: "new",
    chatId,
    from: senderUid,
    type: "text",
    text,
    threadOf,
    ...(mentions && mentions.length > 0 && { mentions }),
  };
}

/** One attempt at a reply: its options, its number (from 1), and the screening of its text (asked once for all attempts). */
interface ReplyAttempt {
  options: ThreadReplyOptions;
  attempt: number;
  screen?: () => Promise<Screened>;
}

/** One attempt: read, check, and commit the reply's batch; a lost race throws the commit's conflict. */
async function tryReply(db: Firestore, { options, attempt, screen }: ReplyAttempt): Promise<SendResult> {
  const { chatId, senderUid, threadOf } = options;
  const mentions = options.mentions ?? [];
  const keyRef =
    options.clientMessageId === undefined
      ? undefined
      : refs.clientMessage(db, chatId, clientMessageKey(senderUid, options.clientMessageId));
  const mentionRefs = isDirectChatId(chatId) ? [] : mentions.map((uid) => refs.member(db, chatId, uid));
  const [chatSnap, parentSnap, threadSnap, keySnap, memberSnap, ...mentionSnaps] = await getAll(
    db,
    refs.chat(db, chatId),
    refs.message(db, chatId, threadOf),
    refs.thread(db, chatId, threadOf),
    keyRef,
    memberRefOf(db, chatId, senderUid),
    ...mentionRefs,
  );
  const found = await foundReply(db, chatId, { chatSnap, parentSnap, threadSnap, keySnap, memberSnap }, senderUid);
  if (found) return { ...found, attempts: attempt };
  const chat = requireCanSend(chatSnap, senderUid, memberSnap);
  if (chat.request) throw new AppError("failed-precondition", "Threads open once the message request is accepted.");
  const parent = requireThreadParent(parentSnap, threadOf);
  const strangers = mentions.filter((uid, i) =>
    chat.type === "room" ? !mentionSnaps[i]?.exists : !(chat.members ?? []).includes(uid),
  );
  if (strangers.length > 0) {
    throw new AppError("invalid-argument", `mentions: ${strangers.join(", ")} is not a member of this chat`);
  }
  // The hooks hear of the reply once it may be sent, and before anything is written.
  const text = screen ? (await screen()).text : options.text;
  const thread = threadSnap.data();
  const participants = threadParticipants(thread, [parent.from, senderUid, ...mentions]);
  const told = await membersAmong(db, chat, chatId, participants);
  const [badges, silenced] = await Promise.all([
    told.length > 0 ? getAll(db, ...told.map((uid) => refs.externalEvent(db, uid))) : [],
    // In a room, who muted or blocked the sender: the reply stays off their badge.
    chat.type === "room" ? silencersOf(db, senderUid) : new Set<string>(),
  ]);
  const batch = db.batch();
  takeSendToken(batch, { db, chat, memberSnap, options });
  const reply = writeReply(batch, { db, options: { ...options, text }, thread, threadSnap, participants });
  if (keyRef) batch.create(keyRef, { number: reply.number, createdAt: reply.createdAt, threadOf });
  tellParticipants(batch, { db, chatId, chat, reply, thread, told, badges, silenced, sender: senderUid });
  await batch.commit();
  const id = refs.reply(db, chatId, threadOf, reply.number).id;
  return { message: toMessageViewOfDoc(chatId, id, reply), created: true, attempts: attempt };
}

/** A retry's reply: the one its idempotency key names, when the key exists (and the sender is a member). */
async function foundReply(db: Firestore, chatId: string, reads: ReplyReads, senderUid: string): Promise<SendResult | undefined> {
  const { keySnap, chatSnap, memberSnap } = reads;
  if (!keySnap || !exists(keySnap)) return undefined;
  requireCanSend(chatSnap, senderUid, memberSnap);
  const { number, threadOf } = keySnap.data();
  const snap =
    threadOf === undefined ? await refs.message(db, chatId, number).get() : await refs.reply(db, chatId, threadOf, number).get();
  return { message: toMessageViewOfDoc(chatId, snap.id, existing(snap).data()), created: false, attempts: 1 };
}

/**
 * The parent in `snap`, when it may have a thread: a channel message that is there, not a
 * system message, not a reply shown in the channel (threads are one level deep), not deleted.
 * @throws AppError `invalid-argument` otherwise.
 */
function requireThreadParent(snap: DocumentSnapshot<MessageDoc>, threadOf: number): MessageDoc {
  const parent = snap.data();
  if (!parent) throw new AppError("invalid-argument", `threadOf: message ${threadOf} does not exist in this chat`);
  if (parent.type === "system") throw new AppError("invalid-argument", `threadOf: message ${threadOf} is a system message`);
  if (parent.threadOf !== undefined) {
    throw new AppError("invalid-argument", `threadOf: message ${threadOf} is a thread reply (threads are one level deep)`);
  }
  if (parent.deleted) throw new AppError("invalid-argument", `threadOf: message ${threadOf} was deleted`);
  return parent;
}

/** The thread's participants after a reply: those before, then `joining` (nulls left out), each once, capped. */
function threadParticipants(thread: ThreadDoc | undefined, joining: (string | null)[]): string[] {
  const all = new Set(thread?.participants ?? []);
  for (const uid of joining) if (uid !== null) all.add(uid);
  return [...all].slice(0, MAX_THREAD_PARTICIPANTS);
}

/**
 * The participants that are members of the chat still: all of a 1:1 chat's; in a room, those
 * whose member doc exists (one `getAll` of up to `MAX_THREAD_PARTICIPANTS` docs).
 */
async function membersAmong(db: Firestore, chat: ChatDoc, chatId: string, participants: string[]): Promise<string[]> {
  if (chat.type !== "room") return participants.filter((uid) => (chat.members ?? []).includes(uid));
  if (participants.length === 0) return [];
  const snaps = await db.getAll(...participants.map((uid) => refs.member(db, chatId, uid)));
  return participants.filter((_, i) => snaps[i].exists);
}

/**
 * Takes a token of the sender's send bucket in this chat (the one sends take from: the 1:1
 * chat's `sendRate.{uid}`, the room member's `sendRate`) and adds its write to `batch`.
 * @throws AppError `resource-exhausted` when none is left.
 */
function takeSendToken(
  batch: WriteBatch,
  {
    db,
    chat,
    memberSnap,
    options,
  }: { db: Firestore; chat: ChatDoc; memberSnap?: DocumentSnapshot<MemberDoc>; options: ThreadReplyOptions },
): void {
  if (!options.sendRate) return;
  const buckets = new SendBuckets(chat, [memberSnap]);
  const refused = buckets.take(options.senderUid, options.now.getTime(), options.sendRate);
  if (refused) throw refused;
  const [field, value, ...more] = buckets.chatFields();
  if (field instanceof FieldPath) batch.update(refs.chat(db, options.chatId), field, value, ...more);
  const bucket = buckets.memberFields().get(options.senderUid);
  if (bucket && memberSnap) batch.update(memberSnap.ref, bucket);
}

/** What {@link writeReply} writes from. */
interface ReplyWrite {
  db: Firestore;
  options: ThreadReplyOptions;
  thread: ThreadDoc | undefined;
  threadSnap: DocumentSnapshot<ThreadDoc>;
  participants: string[];
}

/** Adds the reply, the thread doc (over the doc as read) and the parent's summary to `batch`; the reply. */
function writeReply(batch: WriteBatch, { db, options, thread, threadSnap, participants }: ReplyWrite): MessageDoc {
  const { chatId, threadOf, senderUid, text } = options;
  const number = (thread?.replyCount ?? 0) + 1;
  const at = Timestamp.fromMillis(Math.max(options.now.getTime(), thread?.lastReplyAt.toMillis() ?? 0));
  const words = searchWords(text);
  const mentions = options.mentions ?? [];
  const reply: MessageDoc = {
    number,
    from: senderUid,
    type: "text",
    text,
    clientMessageId: options.clientMessageId ?? null,
    createdAt: at,
    threadOf,
    ...(mentions.length > 0 && { mentions }),
    ...(words.length > 0 && { words }),
  };
  batch.create(refs.reply(db, chatId, threadOf, number), reply);
  const repliers = thread?.repliers ?? [];
  const shown = repliers.includes(senderUid) ? repliers : [...repliers, senderUid].slice(0, THREAD_REPLIERS_SHOWN);
  const read = { ...thread?.read, ...(participants.includes(senderUid) && { [senderUid]: number }) };
  const next: ThreadDoc = { parent: threadOf, replyCount: number, lastReplyAt: at, repliers: shown, participants, read };
  // Over the thread as read: a reply or a read in between makes this attempt lose and re-read.
  if (threadSnap.updateTime) batch.update(threadSnap.ref, { ...next }, { lastUpdateTime: threadSnap.updateTime });
  else batch.create(threadSnap.ref, next);
  batch.update(refs.message(db, chatId, threadOf), { thread: { replyCount: number, lastReplyAt: at, repliers: shown } });
  return reply;
}

/** What {@link tellParticipants} tells, and whom. */
interface Telling {
  db: Firestore;
  chatId: string;
  chat: ChatDoc;
  reply: MessageDoc;
  thread: ThreadDoc | undefined;
  /** The participants that are members. */
  told: string[];
  /** Their event docs (`users-external-event/{uid}`), as read, in the same order. */
  badges: DocumentSnapshot<ExternalEventDoc>[];
  /** Who muted or blocked the sender (rooms): told, but not counted. */
  silenced: Set<string>;
  sender: string;
}

/**
 * Adds to `batch` each told participant's external event (not the sender's) with the reply on
 * their app badge (the sender's badge reads the thread up to it), over the event docs as read,
 * and the change of their count of threads with new replies: +1 for one whose thread was read,
 * -1 for the sender when theirs was not.
 */
function tellParticipants(batch: WriteBatch, telling: Telling): void {
  const { db, chatId, chat, reply, thread, told, badges, silenced, sender } = telling;
  const before = thread?.replyCount ?? 0;
  const directChanges: unknown[] = [];
  const key = threadKey(chatId, reply.threadOf ?? 0);
  told.forEach((uid, i) => {
    const badge = new BadgeEdit(badges[i].data(), isRoomId);
    if (uid === sender) {
      badge.read(key, reply.number);
      if (badge.changed) writeBadge(batch, badges[i], badge);
    } else {
      if (!silenced.has(uid)) badge.count(key, { number: reply.number, at: reply.createdAt.toMillis() });
      const lastEvent = { chatId, number: reply.threadOf ?? 0, at: reply.createdAt };
      writeBadge(batch, badges[i], badge, { notifyNewMessage: true, lastEvent });
    }
  });
  for (const uid of told) {
    const wasUnread = (thread?.participants.includes(uid) ?? false) && (thread?.read[uid] ?? 0) < before;
    const change = uid === sender ? (wasUnread ? -1 : 0) : wasUnread ? 0 : 1;
    if (change === 0) continue;
    if (chat.type === "room") batch.update(refs.member(db, chatId, uid), { threadsUnread: FieldValue.increment(change) });
    else directChanges.push(new FieldPath("threadsUnread", uid), FieldValue.increment(change));
  }
  // A 1:1 chat's counts change in one update of the chat doc.
  const [field, value, ...more] = directChanges;
  if (field instanceof FieldPath) batch.update(refs.chat(db, chatId), field, value, ...more);
}

/**
 * A reply's lost race: another writer took its number or changed the thread first
 * ({@link isConflict}), or a doc it updates went away after it was read (gRPC NOT_FOUND: a
 * participant left the room, the parent was purged). Either way, reading again decides.
 */
function lostRace(error: unknown): boolean {
  return isConflict(error) || hasGrpcStatus(error, grpcStatus.notFound);
}

function repliesExhausted(): AppError {
  return new AppError("aborted", "Too many replies are being sent to this thread at once; retry the send.");
}

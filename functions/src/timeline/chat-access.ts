import type { DocumentReference, DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { blockedError } from "../users/blocks.js";
import {
  exists,
  getAll,
  isDirectChatId,
  refs,
  type BlockDoc,
  type ChatDoc,
  type MemberDoc,
  type SnapshotsOf,
} from "../shared/model.js";

/**
 * Where membership of `uid` in chat `chatId` is kept apart from the chat doc: a room's
 * `chats/{roomId}/members/{uid}`. `undefined` for a 1:1 chat, whose `members` are on the chat doc.
 */
export function memberRefOf(db: Firestore, chatId: string, uid: string): DocumentReference<MemberDoc> | undefined {
  return isDirectChatId(chatId) ? undefined : refs.member(db, chatId, uid);
}

/** A chat as one of its members reads it: the chat, and their member doc in a room. */
export interface MemberAccess {
  chat: ChatDoc;
  /** Rooms only: the caller's `chats/{roomId}/members/{uid}`. */
  member?: MemberDoc;
}

/**
 * Reads `chats/{chatId}` and, for a room, the caller's member doc, plus `more` docs, in one
 * `getAll`. Snapshots come back in that order: chat, member (rooms only), then `more`.
 */
export async function readAsMember<const M extends readonly DocumentReference<object>[]>(
  db: Firestore,
  chatId: string,
  uid: string,
  ...more: M
): Promise<{ chatSnap: DocumentSnapshot<ChatDoc>; memberSnap?: DocumentSnapshot<MemberDoc>; more: SnapshotsOf<M> }> {
  const [chatSnap, memberSnap, ...rest] = await getAll(db, refs.chat(db, chatId), memberRefOf(db, chatId, uid), ...more);
  return { chatSnap, memberSnap, more: rest };
}

/**
 * The one answer to a chat the caller may not see, whether it exists or not: a non-member can't
 * tell a stranger's chat from no chat, so chat ids don't reveal who talks to whom.
 */
export function chatNotFound(): AppError {
  return new AppError("not-found", "No such chat, or you are not a member of it.");
}

/**
 * The chat in `snap`, when `uid` is one of its members: listed in `members` (1:1 chats), or
 * with an existing `memberSnap` (rooms).
 * @throws AppError `not-found` ({@link chatNotFound}) when the chat does not exist or `uid` is
 *   not a member: the same error either way.
 */
export function requireMember(snap: DocumentSnapshot<ChatDoc>, uid: string, memberSnap?: DocumentSnapshot<MemberDoc>): ChatDoc {
  return requireAccess(snap, uid, memberSnap).chat;
}

/** As {@link requireMember}, with the caller's member doc of a room. */
export function requireAccess(
  snap: DocumentSnapshot<ChatDoc>,
  uid: string,
  memberSnap?: DocumentSnapshot<MemberDoc>,
): MemberAccess {
  if (!exists(snap)) throw chatNotFound();
  return requireMemberOf(snap.data(), uid, memberSnap);
}

/** As {@link requireAccess}, for a chat already read. */
export function requireMemberOf(chat: ChatDoc, uid: string, memberSnap?: DocumentSnapshot<MemberDoc>): MemberAccess {
  const member = chat.type === "room" ? memberSnap?.data() : undefined;
  const isMember = chat.type === "room" ? member !== undefined : (chat.members ?? []).includes(uid);
  if (!isMember) throw chatNotFound();
  return { chat, member };
}

/** Whether a member of 1:1 chat `chat` blocks the other (`blocked`, or `blockedBy` on chats blocked before it). */
export function isBlocked(chat: ChatDoc): boolean {
  return chat.blocked === true || (chat.blockedBy?.length ?? 0) > 0;
}

/**
 * The chat in `snap`, when `uid` is a member and the chat still takes messages.
 * @throws AppError as {@link requireMember}, `failed-precondition` when the chat is not active,
 *   `permission-denied` in a 1:1 chat where a member blocks the other ({@link isBlocked}).
 */
export function requireCanSend(snap: DocumentSnapshot<ChatDoc>, uid: string, memberSnap?: DocumentSnapshot<MemberDoc>): ChatDoc {
  const chat = requireActiveMember(snap, uid, memberSnap);
  if (isBlocked(chat)) throw blockedError();
  return chat;
}

/**
 * The chat in `snap`, when `uid` is a member and the chat is still active, block or not: what a
 * member may do to their own messages (delete them), even after blocking the other member.
 * @throws AppError as {@link requireMember}, `failed-precondition` when the chat is not active.
 */
export function requireActiveMember(
  snap: DocumentSnapshot<ChatDoc>,
  uid: string,
  memberSnap?: DocumentSnapshot<MemberDoc>,
): ChatDoc {
  const chat = requireMember(snap, uid, memberSnap);
  if (chat.status === "ended") throw new AppError("failed-precondition", "This chat no longer accepts messages.");
  return chat;
}

/**
 * Where a block of `uid` by the other member of 1:1 chat `chatId` would be
 * (`blocks/{other}_{uid}`), read with the chat by what {@link requireNotBlocked} guards;
 * `undefined` for a room, or an id `uid` is not part of.
 */
export function blockOfRef(db: Firestore, chatId: string, uid: string): DocumentReference<BlockDoc> | undefined {
  if (!isDirectChatId(chatId)) return undefined;
  const other = chatId.startsWith(`${uid}_`)
    ? chatId.slice(uid.length + 1)
    : chatId.endsWith(`_${uid}`)
      ? chatId.slice(0, -(uid.length + 1))
      : undefined;
  return other === undefined ? undefined : refs.block(db, other, uid);
}

/**
 * Refuses a member of a 1:1 chat whom the other member blocked: they may not change the chat for
 * the blocker (end it, unpin). The blocker may. The chat doc does not say who blocked whom, so
 * the caller reads `blockOf`, the snapshot of {@link blockOfRef}, with the chat.
 * @throws AppError `permission-denied`.
 */
export function requireNotBlocked(chat: ChatDoc, uid: string, blockOf: DocumentSnapshot<BlockDoc> | undefined): void {
  if (!isBlocked(chat)) return;
  const legacy = chat.blockedBy?.some((blocker) => blocker !== uid) ?? false;
  if (legacy || blockOf?.exists) throw blockedError(false);
}

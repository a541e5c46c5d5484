import { FieldValue, Timestamp, type Firestore, type Transaction } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import {
  getAll,
  isArchived,
  isDirectChatId,
  refs,
  type ChatDoc,
  type DirectPrivateState,
  type MemberDoc,
  type UserSettingsDoc,
} from "../shared/model.js";
import { memberRefOf, requireAccess } from "../timeline/chat-access.js";
import { privateStateWrite } from "../timeline/private-state.js";
import { toChatViewOfDoc, type ChatView } from "./views.js";

/**
 * Pins and archives are the caller's own state of a chat, kept where only they read it: in a
 * 1:1 chat `user-settings/{uid}.direct.{chatId}.pinnedAt` / `.archivedAt`, in a room their
 * member doc `chats/{roomId}/members/{uid}` (same fields). A chat is pinned or archived, never
 * both: pinning un-archives it and archiving unpins it, in the same write. Whether an archived
 * chat still is is derived when read ({@link isArchived}): a message arriving while the member
 * has not muted the chat brings it back, and costs no write here.
 */

/** Who pins or archives which chat, and when. */
export interface PlaceChatOptions {
  /** The request's time: the stored `pinnedAt` / `archivedAt`. */
  now: Date;
  /** The member who pins or archives the chat, for themselves only. */
  callerUid: string;
  /** `chats/{chatId}`: a 1:1 chat or a room the caller is a member of. */
  chatId: string;
}

/** {@link pinChat}'s options: also the most chats the caller may have pinned (`MAX_PINNED_CHATS`). */
export interface PinChatOptions extends PlaceChatOptions {
  maxPinned: number;
}

/** The caller's pin and archive of one chat, as stored: `null` for none. */
interface Placement {
  pinnedAt: Timestamp | null;
  archivedAt: Timestamp | null;
}

/** What a placement change reads: the chat, the caller's own state of it, and their settings. */
interface Placed {
  chat: ChatDoc;
  member?: MemberDoc;
  settings?: UserSettingsDoc;
  /** The caller's member doc (room) or `user-settings/{uid}.direct.{chatId}` (1:1 chat). */
  own: Pick<DirectPrivateState, "pinnedAt" | "archivedAt" | "mutedUntil"> | undefined;
}

/**
 * Pins `chatId` to the top of the caller's chat list (un-archiving it); pinning a pinned chat
 * changes nothing. At most `maxPinned` pinned chats per user, counted over their 1:1 chats
 * (`user-settings/{uid}`) and their rooms (collection group `members` where `uid` == caller and
 * `pinnedAt` != null, composite index). One transaction: 3 reads + 1 per pinned room (the chat,
 * the member doc in a room, `user-settings/{uid}`, the query, which costs 1 read when empty),
 * 1 write (none when pinned already). Two pins of rooms at the same moment may let one more in.
 * @throws AppError `not-found` (no chat, or not a member), `failed-precondition` (`maxPinned` pinned already).
 */
export function pinChat(db: Firestore, options: PinChatOptions): Promise<ChatView> {
  const { now, callerUid, chatId, maxPinned } = options;
  return placeChat(db, options, true, async ({ own, settings }, tx) => {
    if (own?.pinnedAt) return undefined;
    const directPins = Object.entries(settings?.direct ?? {}).filter(([id, state]) => id !== chatId && state.pinnedAt);
    const pinnedRooms = refs.memberGroup(db).where("uid", "==", callerUid).where("pinnedAt", "!=", null);
    const roomPins = (await tx.get(pinnedRooms)).docs.filter((doc) => doc.data().chatId !== chatId);
    if (directPins.length + roomPins.length >= maxPinned) {
      throw new AppError("failed-precondition", `You can pin at most ${maxPinned} chats; unpin one first.`);
    }
    return { pinnedAt: Timestamp.fromDate(now), archivedAt: null };
  });
}

/**
 * Unpins `chatId` for the caller (idempotent). Reads the chat and the member doc (room) or
 * `user-settings/{uid}` (1:1 chat): 2 reads, 1 write (none when not pinned).
 * @throws AppError `not-found` (no chat, or not a member).
 */
export function unpinChat(db: Firestore, options: PlaceChatOptions): Promise<ChatView> {
  return placeChat(db, options, false, ({ own }) =>
    own?.pinnedAt ? { pinnedAt: null, archivedAt: own.archivedAt ?? null } : undefined,
  );
}

/**
 * Archives `chatId` for the caller (unpinning it): it leaves their chat list (`GET /v1/chats`
 * lists it with `archived=true`) until a message arrives while they have not muted it.
 * Archiving an archived chat changes nothing. 2 reads (as {@link unpinChat}), 1 write.
 * @throws AppError `not-found` (no chat, or not a member).
 */
export function archiveChat(db: Firestore, options: PlaceChatOptions): Promise<ChatView> {
  return placeChat(db, options, false, ({ chat, own }) =>
    isArchived(own?.archivedAt, chat.lastMessageAt, own?.mutedUntil)
      ? undefined
      : { pinnedAt: null, archivedAt: Timestamp.fromDate(options.now) },
  );
}

/**
 * Brings `chatId` back to the caller's chat list (idempotent). 2 reads (as {@link unpinChat}),
 * 1 write (none when never archived).
 * @throws AppError `not-found` (no chat, or not a member).
 */
export function unarchiveChat(db: Firestore, options: PlaceChatOptions): Promise<ChatView> {
  return placeChat(db, options, false, ({ own }) =>
    own?.archivedAt ? { pinnedAt: own.pinnedAt ?? null, archivedAt: null } : undefined,
  );
}

/**
 * One transaction around a placement change: reads the chat, the caller's member doc (rooms)
 * and, for a 1:1 chat or when `withSettings`, their `user-settings/{uid}`; asks `decide` for the
 * new placement (`undefined`: unchanged), writes it, and answers the chat as the caller now sees it.
 */
function placeChat(
  db: Firestore,
  { callerUid, chatId }: PlaceChatOptions,
  withSettings: boolean,
  decide: (placed: Placed, tx: Transaction) => Placement | undefined | Promise<Placement | undefined>,
): Promise<ChatView> {
  const settingsRef = withSettings || isDirectChatId(chatId) ? refs.userSettings(db, callerUid) : undefined;
  return db.runTransaction(async (tx) => {
    const [chatSnap, memberSnap, settingsSnap] = await getAll(
      tx,
      refs.chat(db, chatId),
      memberRefOf(db, chatId, callerUid),
      settingsRef,
    );
    const { chat, member } = requireAccess(chatSnap, callerUid, memberSnap);
    const settings = settingsSnap?.data();
    const own = chat.type === "room" ? member : settings?.direct?.[chatId];
    const placement = await decide({ chat, member, settings, own }, tx);
    if (!placement) return toChatViewOfDoc(chatId, chat, callerUid, { member, settings });
    const stored = {
      pinnedAt: placement.pinnedAt ?? FieldValue.delete(),
      archivedAt: placement.archivedAt ?? FieldValue.delete(),
    };
    if (chat.type === "room") tx.update(refs.member(db, chatId, callerUid), stored);
    else tx.set(...privateStateWrite(db, callerUid, chatId, stored), { merge: true });
    return toChatViewOfDoc(chatId, chat, callerUid, placed({ chatId, member, settings, placement }));
  });
}

/** The caller's state after `placement`, for the answer's chat view. */
function placed({
  chatId,
  member,
  settings,
  placement,
}: {
  chatId: string;
  member?: MemberDoc;
  settings?: UserSettingsDoc;
  placement: Placement;
}): { member?: MemberDoc; settings?: UserSettingsDoc } {
  if (member) return { member: withPlacement(member, placement), settings };
  const own = withPlacement(settings?.direct?.[chatId] ?? {}, placement);
  return { settings: { ...settings, direct: { ...settings?.direct, [chatId]: own } } };
}

/** `state` with `placement`'s pin and archive (a `null` one left out). */
function withPlacement<S extends Pick<DirectPrivateState, "pinnedAt" | "archivedAt">>(state: S, placement: Placement): S {
  return { ...state, pinnedAt: placement.pinnedAt ?? undefined, archivedAt: placement.archivedAt ?? undefined };
}

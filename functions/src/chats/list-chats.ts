import { FieldPath, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { directChatId, existing, exists, getAll, refs, type ChatDoc, type UserSettingsDoc } from "../shared/model.js";
import { toEmailHash } from "../users/email-hash.js";
import type { Page } from "../shared/schemas.js";
import { readAsMember, requireAccess } from "../timeline/chat-access.js";
import { wroteInChat, wroteInRoom } from "../timeline/took-part.js";
import { MAX_ROOMS_PER_USER } from "../timeline/room-count.js";
import { readUserSettings } from "../timeline/private-state.js";
import { toChatViewOfDoc, type ChatView, type ViewerState } from "./views.js";
import type { ListChatsQuery } from "./schemas.js";

/** Default page size of the chat list. */
export const CHATS_PAGE_SIZE = 20;

/** A chat of the caller's, with what orders it: newest activity first, then id (descending). */
interface Listed {
  view: ChatView;
  at: number;
}

/**
 * The caller's chats, most recent message first (chats without messages last, ties by id), each
 * with the caller's unread count. Two sources, merged:
 * - 1:1 chats: `chats` where `inbox` array-contains uid (so no message request sent to the
 *   caller), by `lastMessageAt` desc (composite index), `limit + 1` docs after the cursor;
 * - rooms: the caller's member docs (collection group `members` where `uid` ==), then those
 *   rooms' docs: 2 reads per room the caller is in (at most `MAX_ROOMS_PER_USER`, 100, and a few
 *   more a race of joins let in; the query stops at twice that), never a read of a room's other
 *   members.
 * A page costs `limit + 1` + 2 × rooms reads (at most 2 × 200), +2 for a cursor (the id of the last chat of the
 * previous page). With `with` (an e-mail address or its hash), only the chats shared with the
 * user who has it (+1 read of `user-emails/{hash}`, which holds verified addresses only): their
 * 1:1 chat with the caller and the rooms both are in (+1 read per room), each only once that
 * user has written in it. Nothing in the answer says whose address it was: a stranger's
 * address, or that of someone who has not written to the caller, answers the same empty page
 * as an unknown one, and so does a chat that is still a message request.
 * With `filter: "requests"`, the message requests sent to the caller that they have not
 * answered (`request.to` == uid and `request.state` == `pending`, composite index), and no rooms.
 * Every page also counts those requests (`requestCount`, +1 read), and reads the caller's
 * `user-settings/{uid}` (+1 read: their mutes and private read state of 1:1 chats).
 * @throws AppError `invalid-argument` for a cursor that is not one of the caller's chats.
 */
export async function listChats(db: Firestore, callerUid: string, input: ListChatsQuery): Promise<ChatPage> {
  const limit = input.limit ?? CHATS_PAGE_SIZE;
  const requestCount = countRequests(db, callerUid);
  const settingsRead = readUserSettings(db, callerUid);
  let other: string | undefined;
  if (input.with !== undefined) {
    other = (await refs.userEmail(db, toEmailHash(input.with)).get()).data()?.uid;
    if (!other) return { items: [], nextCursor: null, requestCount: await requestCount };
  }
  const after = input.cursor === undefined ? undefined : await cursorOf(db, callerUid, input.cursor);
  const requests = input.filter === "requests";
  const settings = await settingsRead;
  const [directs, rooms] = await Promise.all([
    directChats(db, callerUid, { limit, after, other, requests, settings }),
    requests ? [] : roomChats(db, callerUid, other),
  ]);
  const listed = [...directs, ...rooms].filter((chat) => !after || compare(chat, after) > 0).sort(compare);
  const items = listed.slice(0, limit).map((chat) => chat.view);
  return { items, nextCursor: listed.length > limit ? items[items.length - 1].id : null, requestCount: await requestCount };
}

/** A page of {@link listChats}, with the number of message requests waiting for the caller's answer. */
export interface ChatPage extends Page<ChatView> {
  requestCount: number;
}

/** The query of the message requests sent to `uid` that they have not answered. */
function requestsTo(db: Firestore, uid: string) {
  return refs.chats(db).where("request.to", "==", uid).where("request.state", "==", "pending");
}

/** How many message requests wait for `uid`'s answer: a count aggregation (1 read per 1,000). */
async function countRequests(db: Firestore, uid: string): Promise<number> {
  return (await requestsTo(db, uid).count().get()).data().count;
}

/** Newest activity first, then by id descending: Firestore's order for `lastMessageAt` desc. */
function compare(a: Listed, b: Listed): number {
  return b.at - a.at || (a.view.id < b.view.id ? 1 : a.view.id > b.view.id ? -1 : 0);
}

function listed(snap: DocumentSnapshot<ChatDoc>, viewer: string, own: ViewerState): Listed {
  const chat = existing(snap).data();
  return { view: toChatViewOfDoc(snap.id, chat, viewer, own), at: chat.lastMessageAt?.toMillis() ?? -Infinity };
}

/** Where the previous page ended: the cursor chat, which must be one of the caller's. */
async function cursorOf(db: Firestore, uid: string, chatId: string): Promise<Listed> {
  const { chatSnap, memberSnap } = await readAsMember(db, chatId, uid);
  try {
    // Only its place in the order is used: no private state needed.
    return listed(chatSnap, uid, { member: requireAccess(chatSnap, uid, memberSnap).member });
  } catch {
    throw new AppError("invalid-argument", "cursor: is not a cursor of this listing");
  }
}

/** Which of the caller's 1:1 chats {@link directChats} lists. */
interface DirectChatsQuery {
  limit: number;
  after?: Listed;
  /** Only the chat with this user. */
  other?: string;
  /** The message requests sent to the caller instead of their chat list. */
  requests: boolean;
  /** The caller's `user-settings/{uid}`: their private state of their 1:1 chats. */
  settings: UserSettingsDoc | undefined;
}

/**
 * Up to `limit + 1` of the caller's 1:1 chats after `after`: those in their chat list (`inbox`
 * array-contains uid), or the pending requests to them; only the one with `other`, if given.
 */
async function directChats(db: Firestore, uid: string, query: DirectChatsQuery): Promise<Listed[]> {
  const { limit, after, other, requests, settings } = query;
  if (other !== undefined) {
    // Shown only once `other` wrote in it, and never while it is a request: before, its
    // existence would tell that the address is theirs (anyone can open a chat with anyone).
    const snap = await refs.chat(db, directChatId(uid, other)).get();
    const chat = snap.data();
    const shown = !requests && chat?.members?.includes(uid) && !chat.request && wroteInChat(chat, other);
    return shown ? [listed(snap, uid, { settings })] : [];
  }
  let chats = (requests ? requestsTo(db, uid) : refs.chats(db).where("inbox", "array-contains", uid))
    .orderBy("lastMessageAt", "desc")
    .orderBy(FieldPath.documentId(), "desc")
    .limit(limit + 1);
  if (after) chats = chats.startAfter(after.view.lastMessageAt === null ? null : new Date(after.at), after.view.id);
  return (await chats.get()).docs.map((snap) => listed(snap, uid, { settings }));
}

/** Every room the caller is in (and `other` too, if given), with the caller's member doc. */
async function roomChats(db: Firestore, uid: string, other?: string): Promise<Listed[]> {
  const memberships = (
    await refs
      .memberGroup(db)
      .where("uid", "==", uid)
      .limit(2 * MAX_ROOMS_PER_USER)
      .get()
  ).docs;
  if (memberships.length === 0) return [];
  const members = memberships.map((doc) => doc.data());
  const rooms = await getAll(db, ...members.map(({ chatId }) => refs.chat(db, chatId)));
  const shared =
    other === undefined ? undefined : await getAll(db, ...members.map(({ chatId }) => refs.member(db, chatId, other)));
  const sharedWith = (room: ChatDoc, i: number) => !shared || wroteInRoom(room, shared[i].data());
  return rooms.flatMap((snap, i) =>
    exists(snap) && sharedWith(snap.data(), i) ? [listed(snap, uid, { member: members[i] })] : [],
  );
}

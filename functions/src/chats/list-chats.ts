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

/** A chat of the caller's, with what orders it: pinned first, newest activity first, then id (descending). */
interface Listed {
  view: ChatView;
  at: number;
  pinned: boolean;
}

/**
 * The caller's chats, the ones they pinned first, then most recent message first (chats without
 * messages last, ties by id), each with the caller's unread count; the chats they archived are
 * left out (`filter: "archived"` lists only those). Two sources, merged:
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
 * `user-settings/{uid}` (+1 read: their mutes, pins, archives and private read state of 1:1
 * chats). Pins and archives of rooms are on the member docs read anyway; of 1:1 chats the first
 * page reads the pinned ones by id (+1 read each, at most `MAX_PINNED_CHATS`), and the query
 * reads past the pinned and archived ones it meets (+1 read each). `filter: "archived"` reads the
 * archived 1:1 chats by id (1 read each) instead of the query.
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
  const settings = await settingsRead;
  const after = input.cursor === undefined ? undefined : await cursorOf(db, callerUid, input.cursor, settings);
  const filter = input.filter ?? "chats";
  const [directs, rooms] = await Promise.all([
    directChats(db, callerUid, { limit, after, other, filter, settings }),
    filter === "requests" ? [] : roomChats(db, callerUid, other),
  ]);
  const shown = (chat: Listed) => filter === "requests" || chat.view.archived === (filter === "archived");
  const listed = [...directs, ...rooms].filter((chat) => shown(chat) && (!after || compare(chat, after) > 0)).sort(compare);
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

/** Pinned first, then newest activity first, then by id descending: Firestore's order for `lastMessageAt` desc. */
function compare(a: Listed, b: Listed): number {
  return Number(b.pinned) - Number(a.pinned) || b.at - a.at || (a.view.id < b.view.id ? 1 : a.view.id > b.view.id ? -1 : 0);
}

function listed(snap: DocumentSnapshot<ChatDoc>, viewer: string, own: ViewerState): Listed {
  const chat = existing(snap).data();
  const view = toChatViewOfDoc(snap.id, chat, viewer, own);
  return { view, at: chat.lastMessageAt?.toMillis() ?? -Infinity, pinned: view.pinnedAt !== null };
}

/** Where the previous page ended: the cursor chat, which must be one of the caller's. */
async function cursorOf(db: Firestore, uid: string, chatId: string, settings: UserSettingsDoc | undefined): Promise<Listed> {
  const { chatSnap, memberSnap } = await readAsMember(db, chatId, uid);
  try {
    // Only its place in the order is used (whether pinned, its newest message, its id).
    return listed(chatSnap, uid, { member: requireAccess(chatSnap, uid, memberSnap).member, settings });
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
  /** `requests`: the message requests sent to the caller instead of their chat list; `archived`: their archived chats. */
  filter: NonNullable<ListChatsQuery["filter"]>;
  /** The caller's `user-settings/{uid}`: their private state of their 1:1 chats. */
  settings: UserSettingsDoc | undefined;
}

/**
 * The caller's 1:1 chats that may come after `after`: those in their chat list (`inbox`
 * array-contains uid), or the pending requests to them, or their archived ones; only the one
 * with `other`, if given. At least `limit + 1` of them when there are as many.
 */
async function directChats(db: Firestore, uid: string, query: DirectChatsQuery): Promise<Listed[]> {
  const { limit, after, other, filter, settings } = query;
  if (other !== undefined) {
    // Shown only once `other` wrote in it, and never while it is a request: before, its
    // existence would tell that the address is theirs (anyone can open a chat with anyone).
    const snap = await refs.chat(db, directChatId(uid, other)).get();
    const chat = snap.data();
    const shown = filter !== "requests" && chat?.members?.includes(uid) && !chat.request && wroteInChat(chat, other);
    return shown ? [listed(snap, uid, { settings })] : [];
  }
  if (filter === "archived") return directsById(db, uid, settings, "archivedAt");
  // A cursor past the pinned chats needs none of them.
  const pinned = filter === "requests" || (after && !after.pinned) ? [] : await directsById(db, uid, settings, "pinnedAt");
  const base = filter === "requests" ? requestsTo(db, uid) : refs.chats(db).where("inbox", "array-contains", uid);
  const ordered = base
    .orderBy("lastMessageAt", "desc")
    .orderBy(FieldPath.documentId(), "desc")
    .limit(limit + 1);
  let page =
    after && !after.pinned
      ? ordered.startAfter(after.view.lastMessageAt === null ? null : new Date(after.at), after.view.id)
      : ordered;
  const unpinned: Listed[] = [];
  for (;;) {
    const docs = (await page.get()).docs;
    // Pinned chats came above, archived ones are left out: the query reads past both.
    unpinned.push(
      ...docs
        .map((snap) => listed(snap, uid, { settings }))
        .filter((chat) => filter === "requests" || (!chat.pinned && !chat.view.archived)),
    );
    if (docs.length <= limit || unpinned.length > limit) return [...pinned, ...unpinned];
    page = ordered.startAfter(docs[docs.length - 1]);
  }
}

/**
 * The caller's 1:1 chats in their chat list whose `user-settings/{uid}.direct.{chatId}` holds
 * `field` (their pinned or archived ones), read by id (1 read each).
 */
async function directsById(
  db: Firestore,
  uid: string,
  settings: UserSettingsDoc | undefined,
  field: "pinnedAt" | "archivedAt",
): Promise<Listed[]> {
  const ids = Object.entries(settings?.direct ?? {}).flatMap(([id, state]) => (state[field] ? [id] : []));
  if (ids.length === 0) return [];
  const snaps = await getAll(db, ...ids.map((id) => refs.chat(db, id)));
  return snaps.flatMap((snap) => (exists(snap) && snap.data().inbox?.includes(uid) ? [listed(snap, uid, { settings })] : []));
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

import {
  limit,
  onSnapshot,
  orderBy,
  query,
  where,
  type DocumentSnapshot,
  type Firestore,
  type QueryDocumentSnapshot,
} from "firebase/firestore";
import { toChatViewOfDoc, toExternalEventView } from "../../functions/src/chats/views.js";
import { toPersonalExportView } from "../../functions/src/exports/views.js";
import { isDirectChatId } from "../../functions/src/shared/docs.js";
import { refs, type DocOf } from "./converters.js";
import {
  errorCode,
  once,
  reportListenerError,
  type ChatWatchOptions,
  type OnError,
  type Unsubscribe,
  type UserWatchOptions,
} from "./listeners.js";
import type { ChatView, ExternalEvent, PersonalExportView } from "./views.js";

/** A watcher of a list, at most `pageSize` long. */
export interface PagedWatchOptions<S> extends UserWatchOptions<S> {
  /** Default 50. */
  pageSize?: number;
}

type ChatDoc = DocOf<"chats">;
type MemberDoc = DocOf<"members">;
type UserSettingsDoc = DocOf<"userSettings">;

/**
 * The user's own `user-settings/{uid}`, live (only they may read it): their read receipts, and
 * their private state of their 1:1 chats (mutes, private read positions) that chat views need.
 * `onChange` gets `undefined` for a user who never changed a setting.
 */
function watchOwnSettings({ db, uid, onChange, onError = reportListenerError }: UserWatchOptions<UserSettingsDoc | undefined>) {
  return onSnapshot(refs.userSettings(db, uid), (snap) => onChange(snap.data()), onError);
}

/** A 1:1 chat's doc as {@link ChatView} for `uid`, with their private state of it from `settings`. */
function directView(snap: QueryDocumentSnapshot<ChatDoc>, uid: string, settings: UserSettingsDoc | undefined): ChatView {
  return toChatViewOfDoc(snap.id, snap.data(), uid, { settings });
}

/**
 * The message requests sent to the user that they have not answered, newest first, live (`chats`
 * where `request.to` == `uid` and `request.state` == `pending`, at most `pageSize`). Accept or
 * decline one with `rest.acceptRequest` / `rest.declineRequest`; replying accepts it too.
 */
export function watchRequests({
  db,
  uid,
  onChange,
  onError = reportListenerError,
  pageSize = 50,
}: PagedWatchOptions<ChatView[]>): Unsubscribe {
  const fail = once(onError);
  const requests = query(
    refs.chats(db),
    where("request.to", "==", uid),
    where("request.state", "==", "pending"),
    orderBy("lastMessageAt", "desc"),
    limit(pageSize),
  );
  let docs: QueryDocumentSnapshot<ChatDoc>[] | undefined;
  let settings: UserSettingsDoc | undefined | null = null;
  const emit = () => {
    const own = settings;
    if (docs && own !== null) onChange(docs.map((d) => directView(d, uid, own)));
  };
  const stopSettings = watchOwnSettings({ db, uid, onChange: (next) => ((settings = next), emit()), onError: fail });
  const stopRequests = onSnapshot(requests, (snap) => ((docs = snap.docs), emit()), fail);
  return () => {
    stopSettings();
    stopRequests();
  };
}

/** A room in {@link watchChats}: the user's member doc, the room once its listener answered. */
interface RoomEntry {
  member: MemberDoc;
  room?: ChatDoc;
  loaded: boolean;
  stop: Unsubscribe;
}

/** The rooms {@link watchChats} follows: the user's memberships, and a listener on each of their rooms. */
interface Rooms {
  /** `true` once the memberships listener answered. */
  ready(): boolean;
  /** `true` once every room's listener answered. */
  loaded(): boolean;
  /** The rooms, as the user sees them. */
  views(): ChatView[];
  stop: Unsubscribe;
}

/** Listens to room `entry.member.chatId` for {@link watchRooms}; `emit` after each answer. */
function listenToRoom({
  db,
  entry,
  emit,
  fail,
}: {
  db: Firestore;
  entry: RoomEntry;
  emit: () => void;
  fail: OnError;
}): Unsubscribe {
  return onSnapshot(
    refs.chat(db, entry.member.chatId),
    (roomSnap) => {
      entry.room = roomSnap.data();
      entry.loaded = true;
      emit();
    },
    // Refused once the user has left the room: their member doc is gone, and the
    // memberships listener drops the room. Anything else would leave the room stale.
    (error) => {
      entry.loaded = true;
      if (errorCode(error) !== "permission-denied") fail(error);
      else emit();
    },
  );
}

/**
 * The user's rooms for {@link watchChats}: their member docs (a collection group query on
 * `members` where `uid` ==), and a listener on each of those rooms' docs; `emit` on each change.
 */
function watchRooms({ db, uid, onChange: emit, onError: fail }: Required<UserWatchOptions<void>>): Rooms {
  const rooms = new Map<string, RoomEntry>();
  let ready = false;
  const stopMemberships = onSnapshot(
    query(refs.memberships(db), where("uid", "==", uid)),
    (snap) => {
      const current = new Set<string>();
      for (const d of snap.docs) {
        const member = d.data();
        current.add(member.chatId);
        const known = rooms.get(member.chatId);
        if (known) {
          known.member = member;
          continue;
        }
        const entry: RoomEntry = { member, loaded: false, stop: () => undefined };
        rooms.set(member.chatId, entry);
        entry.stop = listenToRoom({ db, entry, emit, fail });
      }
      for (const [id, entry] of rooms) {
        if (current.has(id)) continue;
        entry.stop();
        rooms.delete(id);
      }
      ready = true;
      emit();
    },
    fail,
  );
  return {
    ready: () => ready,
    loaded: () => [...rooms.values()].every((entry) => entry.loaded),
    views: () => [...rooms].flatMap(([id, { member, room }]) => (room ? [toChatViewOfDoc(id, room, uid, { member })] : [])),
    stop: () => {
      stopMemberships();
      rooms.forEach((entry) => entry.stop());
    },
  };
}

/**
 * `chats` as a chat list shows them: the pinned ones first, then newest message first (then by
 * id, descending), the first `pageSize`; only the archived ones when `archived` is `true`, none
 * of them when `false`, all with `"all"`.
 */
function chatListOrder(chats: ChatView[], pageSize: number, archived: boolean | "all"): ChatView[] {
  const at = (chat: ChatView) => (chat.lastMessageAt === null ? -Infinity : Date.parse(chat.lastMessageAt));
  const pinned = (chat: ChatView) => Number(chat.pinnedAt !== null);
  return chats
    .filter((chat) => archived === "all" || chat.archived === archived)
    .sort((a, b) => pinned(b) - pinned(a) || at(b) - at(a) || (a.id < b.id ? 1 : -1))
    .slice(0, pageSize);
}

/** {@link watchChats}'s options. */
export interface ChatsWatchOptions extends PagedWatchOptions<ChatView[]> {
  /** `true`: only the chats the user archived; left out (`false`): their chat list, without those; `"all"`: both. */
  archived?: boolean | "all";
}

/**
 * The user's chats, the ones they pinned first, then newest message first, live, each with the
 * user's `unreadCount` and `lastMessage`; the chats they archived are left out, or with
 * `archived: true` only those are listed (an archived chat comes back when a message arrives
 * while the user has not muted it: see `ChatView.archived`). Two sources: their 1:1 chats (`chats` where `inbox` array-contains `uid`, by
 * `lastMessageAt` desc, at most `pageSize`: no message request sent to them, see
 * {@link watchRequests}), and their rooms (their member docs, a collection
 * group query on `members` where `uid` ==, and a listener on each of those rooms' docs). A
 * message in any of those chats costs one document read; no room's member list is read. The
 * first state comes once every listener (settings, 1:1 chats, memberships, each room) answered.
 * `pageSize` bounds the 1:1 chats read (the newest ones), archived ones included.
 */
export function watchChats({
  db,
  uid,
  onChange,
  onError = reportListenerError,
  pageSize = 50,
  archived = false,
}: ChatsWatchOptions): Unsubscribe {
  const fail = once(onError);
  // `undefined` until the first snapshot of the user's 1:1 chats.
  let directs: QueryDocumentSnapshot<ChatDoc>[] | undefined;
  // `null` until the first snapshot of the user's settings.
  let settings: UserSettingsDoc | undefined | null = null;
  let sent = false;
  const emit = () => {
    if (!rooms.ready() || settings === null || directs === undefined) return;
    // The first state waits for every listener, rooms too: then they are all listening.
    if (!sent && !rooms.loaded()) return;
    sent = true;
    const own = settings;
    onChange(chatListOrder([...directs.map((d) => directView(d, uid, own)), ...rooms.views()], pageSize, archived));
  };
  const rooms = watchRooms({ db, uid, onChange: () => emit(), onError: fail });
  const direct = query(refs.chats(db), where("inbox", "array-contains", uid), orderBy("lastMessageAt", "desc"), limit(pageSize));
  const stopDirect = onSnapshot(
    direct,
    (snap) => {
      directs = snap.docs;
      emit();
    },
    fail,
  );
  const stopSettings = watchOwnSettings({ db, uid, onChange: (next) => ((settings = next), emit()), onError: fail });
  return () => {
    stopSettings();
    stopDirect();
    rooms.stop();
  };
}

/**
 * One chat (`chats/{chatId}`) as the user sees it, live; `null` once they are no longer a member.
 * In a room, the user's member doc (`chats/{roomId}/members/{uid}`) is listened to as well.
 */
export function watchChat({
  db,
  uid,
  chatId,
  onChange,
  onError = reportListenerError,
}: ChatWatchOptions<ChatView | null>): Unsubscribe {
  const fail = once(onError);
  if (isDirectChatId(chatId)) return watchDirectChat({ db, uid, chatId, onChange, onError: fail });
  let room: ChatDoc | undefined;
  let member: MemberDoc | null | undefined;
  const emit = () => {
    if (member === null) onChange(null);
    else if (room && member) onChange(toChatViewOfDoc(chatId, room, uid, { member }));
  };
  const stopMember = onSnapshot(
    refs.member(db, chatId, uid),
    (snap) => {
      member = snap.data() ?? null;
      emit();
    },
    fail,
  );
  const stopRoom = onSnapshot(
    refs.chat(db, chatId),
    (snap) => {
      room = snap.data();
      emit();
    },
    // Removed from the room: the rules refuse the room at once.
    (error) => {
      if (errorCode(error) !== "permission-denied") return fail(error);
      member = null;
      emit();
    },
  );
  return () => {
    stopMember();
    stopRoom();
  };
}

/** {@link watchChat} for a 1:1 chat: its doc, with the user's private state of it from their settings. */
function watchDirectChat({
  db,
  uid,
  chatId,
  onChange,
  onError = reportListenerError,
}: ChatWatchOptions<ChatView | null>): Unsubscribe {
  let chat: DocumentSnapshot<ChatDoc> | undefined;
  let settings: UserSettingsDoc | undefined | null = null;
  const emit = () => {
    if (chat === undefined || settings === null) return;
    const data = chat.data();
    onChange(data ? toChatViewOfDoc(chat.id, data, uid, { settings }) : null);
  };
  const stopSettings = watchOwnSettings({ db, uid, onChange: (next) => ((settings = next), emit()), onError });
  const stopChat = onSnapshot(refs.chat(db, chatId), (snap) => ((chat = snap), emit()), onError);
  return () => {
    stopSettings();
    stopChat();
  };
}

/** The user's "something new arrived" doc (`users-external-event/{uid}`), live. */
export function watchExternalEvents({
  db,
  uid,
  onChange,
  onError = reportListenerError,
}: UserWatchOptions<ExternalEvent>): Unsubscribe {
  return onSnapshot(refs.externalEvents(db, uid), (snap) => onChange(toExternalEventView(snap.data())), onError);
}

/**
 * The uids the user blocked (`blocks` where `blocker ==` uid), live: apps hide those users'
 * messages in rooms and offer "Unblock". One read per block, then one per change.
 */
export function watchBlocks({ db, uid, onChange, onError = reportListenerError }: UserWatchOptions<Set<string>>): Unsubscribe {
  return onSnapshot(
    query(refs.blocks(db), where("blocker", "==", uid)),
    (snap) => onChange(new Set(snap.docs.map((blockDoc) => blockDoc.data().blocked))),
    onError,
  );
}

/** The user's newest export of their data (`personal-exports/{uid}`), live; `null` before the first. */
export function watchMyExport({
  db,
  uid,
  onChange,
  onError = reportListenerError,
}: UserWatchOptions<PersonalExportView | null>): Unsubscribe {
  return onSnapshot(
    refs.personalExport(db, uid),
    (snap) => {
      const data = snap.data();
      onChange(data ? toPersonalExportView(data) : null);
    },
    onError,
  );
}

import {
  collection,
  collectionGroup,
  doc,
  documentId,
  endAt,
  getDocs,
  limit,
  onSnapshot,
  orderBy,
  query,
  startAt,
  where,
  type DocumentSnapshot,
  type Firestore,
  type QueryDocumentSnapshot,
} from "firebase/firestore";
import {
  toChatView,
  toChatViewOf,
  toExternalEventView,
  type ChatView,
  type ExternalEventView,
} from "../../functions/src/chats/views.js";
import { toMessageViewOfSnap, type MessageView } from "../../functions/src/messages/views.js";
import { missingRanges } from "./gaps.js";
import {
  collections,
  isDirectChatId,
  type ChatDoc,
  type ExternalEventDoc,
  type HiddenMessagesDoc,
  type MemberDoc,
  type ReactionDoc,
  type UserSettingsDoc,
} from "../../functions/src/shared/docs.js";

/** Stops a listener. */
export type Unsubscribe = () => void;

/**
 * What a realtime helper does with a listener's error when its caller passed no `onError`: it
 * says so on the console (`console.error`), as the Firebase SDK does for a listener without an
 * error callback, instead of letting the listener end in silence. A listener that failed (e.g.
 * `permission-denied`) receives nothing more.
 */
export function reportListenerError(error: Error): void {
  console.error(`[parley] a listener stopped: ${(error as { code?: string }).code ?? "error"}: ${error.message}`);
}

/** `onError`, called once at most: a helper made of several listeners reports one failure. */
export function once(onError: (error: Error) => void): (error: Error) => void {
  let failed = false;
  return (error) => {
    if (failed) return;
    failed = true;
    onError(error);
  };
}

/**
 * The user's own `user-settings/{uid}`, live (only they may read it): their read receipts, and
 * their private state of their 1:1 chats (mutes, private read positions) that chat views need.
 * `onChange` gets `undefined` for a user who never changed a setting.
 */
function watchOwnSettings(
  db: Firestore,
  uid: string,
  onChange: (settings: UserSettingsDoc | undefined) => void,
  onError: (error: Error) => void,
): Unsubscribe {
  return onSnapshot(
    doc(db, collections.userSettings, uid),
    (snap) => onChange(snap.data() as UserSettingsDoc | undefined),
    onError,
  );
}

/** What {@link watchMessages} reports: messages in number order, and whether older ones exist. */
export interface MessagesState {
  messages: MessageView[];
  hasOlder: boolean;
}

/** A live message list: call it to stop; `loadOlder()` adds the page before the oldest one shown. */
export interface MessagesSubscription extends Unsubscribe {
  loadOlder(): Promise<void>;
}

/**
 * The message requests sent to the user that they have not answered, newest first, live (`chats`
 * where `request.to` == `uid` and `request.state` == `pending`, at most `pageSize`). Accept or
 * decline one with `rest.acceptRequest` / `rest.declineRequest`; replying accepts it too.
 */
export function watchRequests(
  db: Firestore,
  uid: string,
  onChange: (requests: ChatView[]) => void,
  onError: (error: Error) => void = reportListenerError,
  pageSize = 50,
): Unsubscribe {
  const fail = once(onError);
  const requests = query(
    collection(db, collections.chats),
    where("request.to", "==", uid),
    where("request.state", "==", "pending"),
    orderBy("lastMessageAt", "desc"),
    limit(pageSize),
  );
  let docs: QueryDocumentSnapshot[] | undefined;
  let settings: UserSettingsDoc | undefined | null = null;
  const emit = () => {
    const own = settings;
    if (docs && own !== null) onChange(docs.map((d) => toChatView(d, uid, { settings: own })));
  };
  const stopSettings = watchOwnSettings(db, uid, (next) => ((settings = next), emit()), fail);
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

/**
 * The user's chats, newest message first, live, each with the user's `unreadCount` and
 * `lastMessage`. Two sources: their 1:1 chats (`chats` where `inbox` array-contains `uid`, by
 * `lastMessageAt` desc, at most `pageSize`: no message request sent to them, see
 * {@link watchRequests}), and their rooms (their member docs, a collection
 * group query on `members` where `uid` ==, and a listener on each of those rooms' docs). A
 * message in any of those chats costs one document read; no room's member list is read. The
 * first state comes once every listener (settings, 1:1 chats, memberships, each room) answered.
 */
export function watchChats(
  db: Firestore,
  uid: string,
  onChange: (chats: ChatView[]) => void,
  onError: (error: Error) => void = reportListenerError,
  pageSize = 50,
): Unsubscribe {
  const fail = once(onError);
  // `undefined` until the first snapshot of the user's 1:1 chats.
  let directs: QueryDocumentSnapshot[] | undefined;
  // `null` until the first snapshot of the user's settings.
  let settings: UserSettingsDoc | undefined | null = null;
  const rooms = new Map<string, RoomEntry>();
  let ready = false;
  let sent = false;
  const emit = () => {
    if (!ready || settings === null || directs === undefined) return;
    // The first state waits for every listener, rooms too: then they are all listening.
    if (!sent && [...rooms.values()].some((entry) => !entry.loaded)) return;
    sent = true;
    const own = { settings };
    const views = [
      ...directs.map((d) => toChatView(d, uid, own)),
      ...[...rooms].flatMap(([id, { member, room }]) => (room ? [toChatViewOf(id, room, uid, { member })] : [])),
    ];
    const at = (chat: ChatView) => (chat.lastMessageAt === null ? -Infinity : Date.parse(chat.lastMessageAt));
    onChange(views.sort((a, b) => at(b) - at(a) || (a.id < b.id ? 1 : -1)).slice(0, pageSize));
  };
  const direct = query(
    collection(db, collections.chats),
    where("inbox", "array-contains", uid),
    orderBy("lastMessageAt", "desc"),
    limit(pageSize),
  );
  const stopDirect = onSnapshot(
    direct,
    (snap) => {
      directs = snap.docs;
      emit();
    },
    fail,
  );
  const memberships = query(collectionGroup(db, collections.members), where("uid", "==", uid));
  const stopMemberships = onSnapshot(
    memberships,
    (snap) => {
      const current = new Set<string>();
      for (const d of snap.docs) {
        const member = d.data() as MemberDoc;
        current.add(member.chatId);
        const known = rooms.get(member.chatId);
        if (known) {
          known.member = member;
          continue;
        }
        const entry: RoomEntry = { member, loaded: false, stop: () => undefined };
        rooms.set(member.chatId, entry);
        entry.stop = onSnapshot(
          doc(db, collections.chats, member.chatId),
          (roomSnap) => {
            entry.room = roomSnap.data() as ChatDoc | undefined;
            entry.loaded = true;
            emit();
          },
          // Refused once the user has left the room: their member doc is gone, and the
          // memberships listener drops the room. Anything else would leave the room stale.
          (error) => {
            entry.loaded = true;
            if ((error as { code?: string }).code !== "permission-denied") fail(error);
            else emit();
          },
        );
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
  const stopSettings = watchOwnSettings(db, uid, (next) => ((settings = next), emit()), fail);
  return () => {
    stopSettings();
    stopDirect();
    stopMemberships();
    rooms.forEach((entry) => entry.stop());
  };
}

/**
 * One chat (`chats/{chatId}`) as the user sees it, live; `null` once they are no longer a member.
 * In a room, the user's member doc (`chats/{roomId}/members/{uid}`) is listened to as well.
 */
export function watchChat(
  db: Firestore,
  uid: string,
  chatId: string,
  onChange: (chat: ChatView | null) => void,
  onError: (error: Error) => void = reportListenerError,
): Unsubscribe {
  const fail = once(onError);
  if (isDirectChatId(chatId)) return watchDirectChat(db, uid, chatId, onChange, fail);
  let room: ChatDoc | undefined;
  let member: MemberDoc | null | undefined;
  const emit = () => {
    if (member === null) onChange(null);
    else if (room && member) onChange(toChatViewOf(chatId, room, uid, { member }));
  };
  const stopMember = onSnapshot(
    doc(db, collections.chats, chatId, collections.members, uid),
    (snap) => {
      member = snap.exists() ? (snap.data() as MemberDoc) : null;
      emit();
    },
    fail,
  );
  const stopRoom = onSnapshot(
    doc(db, collections.chats, chatId),
    (snap) => {
      room = snap.data() as ChatDoc | undefined;
      emit();
    },
    // Removed from the room: the rules refuse the room at once.
    (error) => {
      if ((error as { code?: string }).code !== "permission-denied") return fail(error);
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
function watchDirectChat(
  db: Firestore,
  uid: string,
  chatId: string,
  onChange: (chat: ChatView | null) => void,
  fail: (error: Error) => void,
): Unsubscribe {
  let chat: DocumentSnapshot | undefined;
  let settings: UserSettingsDoc | undefined | null = null;
  const emit = () => {
    if (chat === undefined || settings === null) return;
    onChange(chat.exists() ? toChatView(chat, uid, { settings }) : null);
  };
  const stopSettings = watchOwnSettings(db, uid, (next) => ((settings = next), emit()), fail);
  const stopChat = onSnapshot(doc(db, collections.chats, chatId), (snap) => ((chat = snap), emit()), fail);
  return () => {
    stopSettings();
    stopChat();
  };
}

/**
 * A chat's latest `pageSize` messages, then every new one as it arrives, edits, deletions and
 * reaction counts included; messages the user hid ("delete for me") are left out. Each
 * message's `myReactions` come from a listener on the user's own reaction docs in the chat
 * (`chats/{chatId}/reactions`, their id range: one read per reaction, then one per change).
 * `loadOlder()` adds the page before the oldest one shown, live too. The first state comes once
 * each of its listeners has answered, so a caller may act on it knowing they all listen.
 */
export function watchMessages(
  db: Firestore,
  uid: string,
  chatId: string,
  onChange: (state: MessagesState) => void,
  onError: (error: Error) => void = reportListenerError,
  pageSize = 30,
): MessagesSubscription {
  const fail = once(onError);
  const messagesRef = collection(db, collections.chats, chatId, collections.messages);
  const byNumber = new Map<number, MessageView>();
  let hidden = new Set<number>();
  let oldestShown = Number.POSITIVE_INFINITY;
  let stopped = false;
  const stops: Unsubscribe[] = [];
  let mine = new Map<number, string[]>();
  // The first state waits for the first snapshot of each listener (hidden, own reactions, the
  // messages): a caller that acts once it has a state knows every listener is listening.
  const loaded = { hidden: false, reactions: false, messages: false };
  const emit = () => {
    if (stopped || !loaded.hidden || !loaded.reactions || !loaded.messages) return;
    const messages = [...byNumber.values()]
      .filter((m) => !hidden.has(m.number))
      .sort((a, b) => a.number - b.number)
      .map((m) => (m.deleted ? m : { ...m, myReactions: mine.get(m.number) ?? [] }));
    onChange({ messages, hasOlder: oldestShown > 1 });
  };
  const listen = (from: number, below?: number) => {
    const constraints = [
      where("number", ">=", from),
      ...(below === undefined ? [] : [where("number", "<", below)]),
      orderBy("number"),
    ];
    stops.push(
      onSnapshot(
        query(messagesRef, ...constraints),
        (snap) => {
          for (const change of snap.docChanges()) {
            const message = toMessageViewOfSnap(change.doc);
            if (change.type === "removed") byNumber.delete(message.number);
            else byNumber.set(message.number, message);
          }
          loaded.messages = true;
          emit();
          repairGaps();
        },
        fail,
      ),
    );
  };

  // Numbers are gapless: a hole between the oldest shown and the newest seen is a message this
  // device missed (a listener that lost a change, a long sleep). Fetch each hole once.
  const fetched = new Set<string>();
  const repairGaps = () => {
    if (!Number.isFinite(oldestShown)) return;
    for (const [first, last] of missingRanges(byNumber.keys(), oldestShown)) {
      const key = `${first}-${last}`;
      if (fetched.has(key)) continue;
      fetched.add(key);
      const hole = query(messagesRef, where("number", ">=", first), where("number", "<=", last), orderBy("number"));
      void getDocs(hole).then((snap) => {
        for (const missed of snap.docs) {
          const message = toMessageViewOfSnap(missed);
          if (!byNumber.has(message.number)) byNumber.set(message.number, message);
        }
        if (!snap.empty) emit();
      }, fail);
    }
  };

  stops.push(
    onSnapshot(
      doc(db, collections.chats, chatId, collections.hidden, uid),
      (snap) => {
        hidden = new Set((snap.data() as HiddenMessagesDoc | undefined)?.numbers ?? []);
        loaded.hidden = true;
        emit();
      },
      fail,
    ),
  );
  const ownReactions = query(
    collection(db, collections.chats, chatId, collections.reactions),
    orderBy(documentId()),
    startAt(`${uid}_`),
    endAt(`${uid}_\uf8ff`),
  );
  stops.push(
    onSnapshot(
      ownReactions,
      (snap) => {
        mine = byMessage(snap.docs.map((reactionDoc) => reactionDoc.data() as ReactionDoc));
        loaded.reactions = true;
        emit();
      },
      fail,
    ),
  );
  void getDocs(query(messagesRef, orderBy("number", "desc"), limit(pageSize))).then((latest) => {
    if (stopped) return;
    oldestShown = latest.empty ? 1 : (latest.docs[latest.docs.length - 1].data().number as number);
    listen(oldestShown);
  }, fail);

  const unsubscribe = (() => {
    stopped = true;
    stops.forEach((stop) => stop());
  }) as MessagesSubscription;
  unsubscribe.loadOlder = () => {
    if (oldestShown <= 1 || !Number.isFinite(oldestShown)) return Promise.resolve();
    const below = oldestShown;
    oldestShown = Math.max(1, below - pageSize);
    listen(oldestShown, below);
    return Promise.resolve();
  };
  return unsubscribe;
}

/** Reactions grouped by message number, each message's emoji oldest first. */
function byMessage(reactions: ReactionDoc[]): Map<number, string[]> {
  const grouped = new Map<number, string[]>();
  const sorted = [...reactions].sort((a, b) => a.createdAt.toDate().getTime() - b.createdAt.toDate().getTime());
  for (const { number, emoji } of sorted) grouped.set(number, [...(grouped.get(number) ?? []), emoji]);
  return grouped;
}

/**
 * Who reacted to message `number` of `chatId`, live: emoji -> member uids, earliest first
 * (`chats/{chatId}/reactions` where `number ==`: one read per reaction, then one per change).
 */
export function watchReactions(
  db: Firestore,
  chatId: string,
  number: number,
  onChange: (reactions: Record<string, string[]>) => void,
  onError: (error: Error) => void = reportListenerError,
): Unsubscribe {
  return onSnapshot(
    query(collection(db, collections.chats, chatId, collections.reactions), where("number", "==", number)),
    (snap) => {
      const docs = snap.docs.map((reactionDoc) => reactionDoc.data() as ReactionDoc);
      docs.sort((a, b) => a.createdAt.toDate().getTime() - b.createdAt.toDate().getTime());
      const byEmoji: Record<string, string[]> = {};
      for (const { emoji, uid } of docs) (byEmoji[emoji] ??= []).push(uid);
      onChange(byEmoji);
    },
    onError,
  );
}

/** The user's "something new arrived" doc (`users-external-event/{uid}`), live. */
export function watchExternalEvents(
  db: Firestore,
  uid: string,
  onChange: (event: ExternalEventView) => void,
  onError: (error: Error) => void = reportListenerError,
): Unsubscribe {
  return onSnapshot(
    doc(db, collections.externalEvents, uid),
    (snap) => onChange(toExternalEventView(snap.data() as ExternalEventDoc | undefined)),
    onError,
  );
}

/**
 * The uids the user blocked (`blocks` where `blocker ==` uid), live: apps hide those users'
 * messages in rooms and offer "Unblock". One read per block, then one per change.
 */
export function watchBlocks(
  db: Firestore,
  uid: string,
  onChange: (blocked: Set<string>) => void,
  onError: (error: Error) => void = reportListenerError,
): Unsubscribe {
  return onSnapshot(
    query(collection(db, collections.blocks), where("blocker", "==", uid)),
    (snap) => onChange(new Set(snap.docs.map((blockDoc) => blockDoc.get("blocked") as string))),
    onError,
  );
}

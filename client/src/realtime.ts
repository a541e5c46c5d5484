import { collection, doc, getDocs, limit, onSnapshot, orderBy, query, where, type Firestore } from "firebase/firestore";
import { toChatView, toExternalEventView, type ChatView, type ExternalEventView } from "../../functions/src/chats/views.js";
import { toMessageView, type MessageView } from "../../functions/src/messages/views.js";
import { collections, type ExternalEventDoc, type HiddenMessagesDoc } from "../../functions/src/shared/docs.js";

/** Stops a listener. */
export type Unsubscribe = () => void;

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
 * The user's chats, newest message first, live (`chats` where `members` array-contains `uid`,
 * ordered by `lastMessageAt` desc): each with the user's `unreadCount` and `lastMessage`.
 */
export function watchChats(
  db: Firestore,
  uid: string,
  onChange: (chats: ChatView[]) => void,
  onError: (error: Error) => void = () => undefined,
  pageSize = 50,
): Unsubscribe {
  const chats = query(
    collection(db, collections.chats),
    where("members", "array-contains", uid),
    orderBy("lastMessageAt", "desc"),
    limit(pageSize),
  );
  return onSnapshot(chats, (snap) => onChange(snap.docs.map((d) => toChatView(d, uid))), onError);
}

/** One chat (`chats/{chatId}`) as the user sees it, live; `null` once they are no longer a member. */
export function watchChat(
  db: Firestore,
  uid: string,
  chatId: string,
  onChange: (chat: ChatView | null) => void,
  onError: (error: Error) => void = () => undefined,
): Unsubscribe {
  return onSnapshot(
    doc(db, collections.chats, chatId),
    (snap) => onChange(snap.exists() ? toChatView(snap, uid) : null),
    onError,
  );
}

/**
 * A chat's latest `pageSize` messages, then every new one as it arrives, edits and deletions
 * included; messages the user hid ("delete for me") are left out. `loadOlder()` adds the page
 * before the oldest one shown, live too.
 */
export function watchMessages(
  db: Firestore,
  uid: string,
  chatId: string,
  onChange: (state: MessagesState) => void,
  onError: (error: Error) => void = () => undefined,
  pageSize = 30,
): MessagesSubscription {
  const messagesRef = collection(db, collections.chats, chatId, collections.messages);
  const byNumber = new Map<number, MessageView>();
  let hidden = new Set<number>();
  let oldestShown = Number.POSITIVE_INFINITY;
  let stopped = false;
  const stops: Unsubscribe[] = [];
  const emit = () => {
    if (stopped) return;
    const messages = [...byNumber.values()].filter((m) => !hidden.has(m.number)).sort((a, b) => a.number - b.number);
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
            const message = toMessageView(change.doc);
            if (change.type === "removed") byNumber.delete(message.number);
            else byNumber.set(message.number, message);
          }
          emit();
        },
        onError,
      ),
    );
  };

  stops.push(
    onSnapshot(
      doc(db, collections.chats, chatId, collections.hidden, uid),
      (snap) => {
        hidden = new Set((snap.data() as HiddenMessagesDoc | undefined)?.numbers ?? []);
        emit();
      },
      () => undefined,
    ),
  );
  void getDocs(query(messagesRef, orderBy("number", "desc"), limit(pageSize))).then((latest) => {
    if (stopped) return;
    oldestShown = latest.empty ? 1 : (latest.docs[latest.docs.length - 1].data().number as number);
    listen(oldestShown);
  }, onError);

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

/** The user's "something new arrived" doc (`users-external-event/{uid}`), live. */
export function watchExternalEvents(
  db: Firestore,
  uid: string,
  onChange: (event: ExternalEventView) => void,
  onError: (error: Error) => void = () => undefined,
): Unsubscribe {
  return onSnapshot(
    doc(db, collections.externalEvents, uid),
    (snap) => onChange(toExternalEventView(snap.data() as ExternalEventDoc | undefined)),
    onError,
  );
}

import type { FirebaseApp } from "firebase/app";
import {
  createUserWithEmailAndPassword,
  getAuth,
  onAuthStateChanged,
  signInWithEmailAndPassword,
  signOut,
  updateProfile,
  type User,
} from "firebase/auth";
import {
  getFirestore,
  initializeFirestore,
  persistentLocalCache,
  persistentMultipleTabManager,
  type Firestore,
} from "firebase/firestore";
import { getFunctions } from "firebase/functions";
import { callableApi } from "./callables.js";
import { Outbox, type Draft, type OutboxStorage, type OutgoingMessage } from "./outbox.js";
import { ParleyError } from "./errors.js";
import {
  watchBlocks,
  watchChat,
  watchChats,
  watchRequests,
  watchExternalEvents,
  watchMessages,
  watchReactions,
  type MessagesState,
  type MessagesSubscription,
  type Unsubscribe,
} from "./realtime.js";
import { watchPresence, watchTyping } from "./presence.js";
import { restApi } from "./rest.js";
import type { ChatView, ExternalEvent, PresenceView } from "./types.js";

export { emailHash } from "./email-hash.js";
export { ParleyError } from "./errors.js";
export type { CallableApi } from "./callables.js";
export type { MessagesState, MessagesSubscription, Unsubscribe } from "./realtime.js";
export { isTransient, Outbox } from "./outbox.js";
export type { Draft, OutboxStorage, OutboxTransport, OutgoingMessage, SendStatus } from "./outbox.js";
export { missingRanges } from "./gaps.js";
export type { RestApi, SendFileOptions } from "./rest.js";
export * from "./types.js";

/** Where Parley runs for a Firebase app. */
export interface ParleyOptions {
  /** The REST API's base URL, ending in `/v1` (e.g. `https://us-central1-<project>.cloudfunctions.net/api/v1`, or `/v1` behind a Hosting rewrite). */
  apiBase: string;
  /** Region of the callable functions (default `us-central1`). */
  region?: string;
  /**
   * Keep working offline (browsers): Firestore's persistent cache (IndexedDB, shared by tabs),
   * so chats and messages show without a connection. Default `false`; ignored without IndexedDB.
   */
  offline?: boolean;
  /** Where the outbox keeps unsent messages across reloads (default: `localStorage`, if any). */
  storage?: OutboxStorage;
}

/** A chat's messages with the user's own unsent ones: what a conversation screen shows. */
export interface ConversationState extends MessagesState {
  /** Messages sent from this device that the chat doesn't show yet: pending, sent or failed. */
  outgoing: OutgoingMessage[];
}

/** Firestore for `app`: with the persistent multi-tab cache when asked for and possible. */
function firestoreOf(app: FirebaseApp, offline: boolean): Firestore {
  if (!offline || typeof indexedDB === "undefined") return getFirestore(app);
  try {
    return initializeFirestore(app, { localCache: persistentLocalCache({ tabManager: persistentMultipleTabManager() }) });
  } catch {
    // Already initialised for this app (e.g. a second client): use it as it is.
    return getFirestore(app);
  }
}

/** The browser's online state and its `online` event; always online elsewhere. */
const device = {
  online: () => typeof navigator === "undefined" || navigator.onLine !== false,
  onOnline: (back: () => void) => {
    if (typeof window === "undefined") return () => undefined;
    window.addEventListener("online", back);
    return () => window.removeEventListener("online", back);
  },
};

/**
 * A Parley client on an initialised Firebase app (connect its Auth, Firestore and Functions to
 * the emulators first when using them): sign-in helpers, `rest` and `callables` with every
 * operation, and realtime helpers that return their unsubscribe function.
 */
export function createParleyClient(app: FirebaseApp, options: ParleyOptions) {
  const auth = getAuth(app);
  const db = firestoreOf(app, options.offline ?? false);
  const uid = () => {
    const user = auth.currentUser;
    if (!user) throw new ParleyError("unauthenticated", "Sign in first.");
    return user.uid;
  };
  const callables = callableApi(getFunctions(app, options.region ?? "us-central1"));
  const rest = restApi(auth, options.apiBase.replace(/\/+$/, ""));
  const storage = options.storage ?? (typeof localStorage === "undefined" ? undefined : localStorage);
  const outboxes = new Map<string, Outbox>();
  /**
   * The signed-in user's outbox, made (and its saved queue resumed) on first use. It sends only
   * while its owner is the signed-in user: the REST call takes whoever's ID token Auth has now.
   */
  const outbox = () => {
    const user = uid();
    let box = outboxes.get(user);
    if (!box) {
      const send = async ({ chatId, text, clientMessageId, replyTo, mentions }: OutgoingMessage) => {
        if (auth.currentUser?.uid !== user) throw new ParleyError("unauthenticated", "The sender signed out.");
        return (await rest.sendMessage({ chatId, text, clientMessageId, replyTo, mentions })).message;
      };
      box = new Outbox({ send, ...device }, storage, `parley-outbox-${user}`);
      outboxes.set(user, box);
    }
    return box;
  };
  /** Stops and forgets the outbox of every user but `signedIn` (signing out, switching users). */
  const dropOutboxes = (signedIn: string | undefined) => {
    for (const [owner, box] of outboxes) {
      if (owner === signedIn) continue;
      box.clear();
      outboxes.delete(owner);
    }
  };
  onAuthStateChanged(auth, (user) => dropOutboxes(user?.uid));
  return {
    auth,
    db,
    rest,
    callables,
    /**
     * Sends a text optimistically: returns the message at once, `pending`; it goes out in order
     * with the chat's other sends, is retried with the same `clientMessageId` while offline or on
     * a transient failure (so the server keeps it once), and ends `sent` or `failed`.
     */
    send: (chatId: string, draft: Draft): OutgoingMessage => outbox().send(chatId, draft),
    /** Sends a failed message again (same `clientMessageId`). */
    retrySend: (clientMessageId: string) => outbox().retry(clientMessageId),
    /** Gives up a failed message. */
    discardSend: (clientMessageId: string) => outbox().discard(clientMessageId),
    /**
     * A chat's messages (as {@link watchMessages}, gaps repaired) with the user's outgoing ones
     * that it doesn't show yet, live; `.loadOlder()` pages back.
     */
    watchConversation: (chatId: string, callback: (state: ConversationState) => void, onError?: (error: Error) => void) => {
      const box = outbox();
      let last: MessagesState = { messages: [], hasOlder: false };
      const emit = () => {
        box.settle(chatId, last.messages);
        const shown = new Set(last.messages.flatMap((m) => (m.clientMessageId ? [m.clientMessageId] : [])));
        callback({ ...last, outgoing: box.of(chatId).filter((m) => !shown.has(m.clientMessageId)) });
      };
      const stopOutbox = box.subscribe(emit);
      const watch = watchMessages(
        db,
        uid(),
        chatId,
        (state) => {
          last = state;
          emit();
        },
        onError,
      );
      const stop = (() => {
        stopOutbox();
        watch();
      }) as MessagesSubscription;
      stop.loadOlder = () => watch.loadOlder();
      return stop;
    },
    /** Creates an e-mail/password account with a display name and signs it in. */
    async signUp(email: string, password: string, displayName: string): Promise<User> {
      const { user } = await createUserWithEmailAndPassword(auth, email, password);
      await updateProfile(user, { displayName });
      return user;
    },
    async signIn(email: string, password: string): Promise<User> {
      return (await signInWithEmailAndPassword(auth, email, password)).user;
    },
    /** Signs out; the user's outbox stops, and its unsent and failed messages are forgotten. */
    signOut: async () => {
      dropOutboxes(undefined);
      await signOut(auth);
    },
    onUserChanged: (callback: (user: User | null) => void): Unsubscribe => onAuthStateChanged(auth, callback),
    /** The signed-in user's chats, live, newest first. */
    watchChats: (callback: (chats: ChatView[]) => void, onError?: (error: Error) => void) =>
      watchChats(db, uid(), callback, onError),
    /** The message requests sent to the signed-in user, live, newest first. */
    watchRequests: (callback: (requests: ChatView[]) => void, onError?: (error: Error) => void) =>
      watchRequests(db, uid(), callback, onError),
    /** One chat, live (`null` when it is gone or the user left). */
    watchChat: (chatId: string, callback: (chat: ChatView | null) => void, onError?: (error: Error) => void) =>
      watchChat(db, uid(), chatId, callback, onError),
    /** A chat's latest messages and new ones as they come; `.loadOlder()` pages back. */
    watchMessages: (chatId: string, callback: (state: MessagesState) => void, onError?: (error: Error) => void) =>
      watchMessages(db, uid(), chatId, callback, onError),
    /** Who reacted to a message with what, live: emoji -> uids, earliest first. */
    watchReactions: (
      chatId: string,
      number: number,
      callback: (reactions: Record<string, string[]>) => void,
      onError?: (error: Error) => void,
    ) => watchReactions(db, chatId, number, callback, onError),
    /** Who else is typing in a chat, live (each indicator ends by itself after 5 s). */
    watchTyping: (chatId: string, callback: (typing: string[]) => void, onError?: (error: Error) => void) =>
      watchTyping(db, uid(), chatId, callback, onError),
    /** Online and last seen of users you share a 1:1 chat with (and yourself), live. */
    watchPresence: (
      uids: string[],
      callback: (presence: Record<string, PresenceView>) => void,
      onError?: (error: Error) => void,
    ) => watchPresence(db, uids, callback, onError),
    /**
     * How far each member has read a 1:1 chat (uid -> message number), live: the user's own,
     * and the other member's "seen" while both have read receipts on (a member reading with
     * receipts off shows where they were when they turned them off); in a room, the user's own
     * (who read a message there: `rest.listReceipts`).
     */
    watchReadPositions: (
      chatId: string,
      callback: (lastRead: Record<string, number>) => void,
      onError?: (error: Error) => void,
    ) => watchChat(db, uid(), chatId, (chat) => callback(chat?.lastRead ?? {}), onError),
    /** A chat's pinned message numbers, oldest pin first, live. */
    watchPins: (chatId: string, callback: (pinned: number[]) => void, onError?: (error: Error) => void) =>
      watchChat(db, uid(), chatId, (chat) => callback(chat?.pinned ?? []), onError),
    /** Sends a heartbeat now and every 60 s until stopped (then says the user left). */
    stayOnline: (): Unsubscribe => {
      const beat = () => void callables.heartbeat({ online: true }).catch(() => undefined);
      beat();
      const timer = setInterval(beat, 60_000);
      return () => {
        clearInterval(timer);
        void callables.heartbeat({ online: false }).catch(() => undefined);
      };
    },
    /** The signed-in user's "something new" flag, live. */
    watchExternalEvents: (callback: (event: ExternalEvent) => void, onError?: (error: Error) => void) =>
      watchExternalEvents(db, uid(), callback, onError),
    /** The uids the signed-in user blocked, live (to hide their messages). */
    watchBlocks: (callback: (blocked: Set<string>) => void, onError?: (error: Error) => void) =>
      watchBlocks(db, uid(), callback, onError),
  };
}

export type ParleyClient = ReturnType<typeof createParleyClient>;

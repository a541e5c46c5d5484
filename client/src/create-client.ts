import type { FirebaseApp } from "firebase/app";
import {
  createUserWithEmailAndPassword,
  getAuth,
  onAuthStateChanged,
  signInWithEmailAndPassword,
  signOut,
  updateProfile,
  type Auth,
} from "firebase/auth";
import {
  getFirestore,
  initializeFirestore,
  persistentLocalCache,
  persistentMultipleTabManager,
  type Firestore,
} from "firebase/firestore";
import { getFunctions } from "firebase/functions";
import { callableApi, type CallableApi } from "./callables.js";
import { watchBlocks, watchChat, watchChats, watchExternalEvents, watchMyExport, watchRequests } from "./chat-watchers.js";
import { configureCollections } from "./converters.js";
import { ParleyError } from "./errors.js";
import {
  chatChanges,
  EventHub,
  follow,
  messageChanges,
  notificationChanges,
  requestChanges,
  typingChanges,
  type EventOptions,
  type ParleyEvent,
  type ParleyEventName,
  type StartSource,
} from "./events.js";
import type { Unsubscribe } from "./listeners.js";
import { watchMessages, watchReactions, type MessagesState, type MessagesSubscription } from "./message-watchers.js";
import { watchThread } from "./thread-watchers.js";
import { Outbox, type OutboxStorage, type OutgoingMessage } from "./outbox.js";
import type { ParleyClient, ParleyOptions } from "./parley-client.js";
import { watchPresence, watchTyping } from "./presence.js";
import { restApi, type RestApi } from "./rest.js";
import { DeliveryReporter } from "./delivery.js";
import type { ChatView } from "./views.js";

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
    // React Native has a `window` without DOM events: only a browser hears "online".
    if (typeof window === "undefined" || typeof window.addEventListener !== "function") return () => undefined;
    window.addEventListener("online", back);
    return () => window.removeEventListener("online", back);
  },
};

/** What every part of a client shares: Auth, Firestore, the signed-in user's uid, the APIs. */
interface Parts {
  auth: Auth;
  db: Firestore;
  /** The signed-in user's uid; throws `unauthenticated` when no one is signed in. */
  uid: () => string;
  rest: RestApi;
  callables: CallableApi;
}

/** The outboxes of a client, one per user. */
interface Outboxes {
  /** The signed-in user's outbox, made (and its saved queue resumed) on first use. */
  outbox: () => Outbox;
  /** Stops and forgets the outbox of every user but `signedIn` (signing out, switching users). */
  drop: (signedIn: string | undefined) => void;
}

/**
 * The outboxes of a client, kept in `storage`. An outbox sends only while its owner is the
 * signed-in user: the REST call takes whoever's ID token Auth has now.
 */
function outboxesOf({ auth, uid, rest }: Parts, storage: OutboxStorage | undefined): Outboxes {
  const outboxes = new Map<string, Outbox>();
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
  const drop = (signedIn: string | undefined) => {
    for (const [owner, box] of outboxes) {
      if (owner === signedIn) continue;
      box.clear();
      outboxes.delete(owner);
    }
  };
  return { outbox, drop };
}

/** Sending through the outbox, and the conversation that shows the outbox's messages. */
function sendingOf({ db, uid }: Parts, { outbox }: Outboxes) {
  const watchConversation: ParleyClient["watchConversation"] = (chatId, callback, onError) => {
    const box = outbox();
    let last: MessagesState = { messages: [], hasOlder: false };
    const emit = () => {
      box.settle(chatId, last.messages);
      const shown = new Set(last.messages.flatMap((m) => (m.clientMessageId ? [m.clientMessageId] : [])));
      callback({ ...last, outgoing: box.of(chatId).filter((m) => !shown.has(m.clientMessageId)) });
    };
    const stopOutbox = box.subscribe(emit);
    const onChange = (state: MessagesState) => {
      last = state;
      emit();
    };
    const watch = watchMessages({ db, uid: uid(), chatId, onChange, onError });
    const stop = (() => {
      stopOutbox();
      watch();
    }) as MessagesSubscription;
    stop.loadOlder = () => watch.loadOlder();
    return stop;
  };
  return {
    send: (chatId, draft) => outbox().send(chatId, draft),
    retrySend: (clientMessageId) => outbox().retry(clientMessageId),
    discardSend: (clientMessageId) => outbox().discard(clientMessageId),
    watchConversation,
  } satisfies Partial<ParleyClient>;
}

/** Signing up, in and out. */
function accountOf({ auth }: Parts, { drop }: Outboxes) {
  return {
    async signUp(email, password, displayName) {
      const { user } = await createUserWithEmailAndPassword(auth, email, password);
      await updateProfile(user, { displayName });
      return user;
    },
    async signIn(email, password) {
      return (await signInWithEmailAndPassword(auth, email, password)).user;
    },
    signOut: async () => {
      drop(undefined);
      await signOut(auth);
    },
    onUserChanged: (callback) => onAuthStateChanged(auth, callback),
  } satisfies Partial<ParleyClient>;
}

/**
 * What the chat watchers call back with, once `reporter` (when given) took note of the chats
 * for `user`: it reports their new messages from others delivered.
 */
function reporting<T extends ChatView | ChatView[] | null>(
  reporter: DeliveryReporter | undefined,
  user: string,
  onChange: (chats: T) => void,
) {
  if (!reporter) return onChange;
  return (chats: T) => {
    reporter.saw(chats === null ? [] : Array.isArray(chats) ? chats : [chats], user);
    onChange(chats);
  };
}

/** The realtime helpers, on the signed-in user's uid; `reporter` reports what the chat watchers see delivered. */
function watchersOf({ db, uid }: Parts, reporter?: DeliveryReporter) {
  return {
    watchChats: (onChange, options) => {
      const { onError, archived } = typeof options === "function" ? { onError: options, archived: false } : (options ?? {});
      const user = uid();
      return watchChats({ db, uid: user, onChange: reporting(reporter, user, onChange), onError, archived });
    },
    watchRequests: (onChange, onError) => watchRequests({ db, uid: uid(), onChange, onError }),
    watchChat: (chatId, onChange, onError) => {
      const user = uid();
      return watchChat({ db, uid: user, chatId, onChange: reporting(reporter, user, onChange), onError });
    },
    watchMessages: (chatId, onChange, onError) => watchMessages({ db, uid: uid(), chatId, onChange, onError }),
    watchThread: (chatId, number, onChange, onError) => watchThread({ db, uid: uid(), chatId, number, onChange, onError }),
    watchReactions: (chatId, number, onChange, onError) => watchReactions({ db, chatId, number, onChange, onError }),
    watchTyping: (chatId, onChange, onError) => watchTyping({ db, uid: uid(), chatId, onChange, onError }),
    watchPresence: (uids, onChange, onError) => watchPresence({ db, uids, onChange, onError }),
    watchReadPositions: (chatId, callback, onError) =>
      watchChat({ db, uid: uid(), chatId, onChange: (chat) => callback(chat?.lastRead ?? {}), onError }),
    watchPins: (chatId, callback, onError) =>
      watchChat({ db, uid: uid(), chatId, onChange: (chat) => callback(chat?.pinned ?? []), onError }),
    watchExternalEvents: (onChange, onError) => watchExternalEvents({ db, uid: uid(), onChange, onError }),
    watchBlocks: (onChange, onError) => watchBlocks({ db, uid: uid(), onChange, onError }),
    watchMyExport: (onChange, onError) => watchMyExport({ db, uid: uid(), onChange, onError }),
  } satisfies Partial<ParleyClient>;
}

/** Starts the watcher behind each event source, on the signed-in user's uid. */
function eventSourcesOf({ db, uid }: Parts): StartSource {
  return (source, chatId, sink): Unsubscribe => {
    const user = uid();
    const { onError } = sink;
    switch (source) {
      case "messages":
        return follow<MessagesState>(
          (onChange) => watchMessages({ db, uid: user, chatId, onChange, onError }),
          (before, after) => messageChanges(chatId, before.messages, after.messages),
          sink,
        );
      case "typing":
        return follow<string[]>(
          (onChange) => watchTyping({ db, uid: user, chatId, onChange, onError }),
          (before, after) => typingChanges(chatId, before, after),
          sink,
        );
      case "chats":
        // Archived chats too: archiving one is `chat.updated` (its `archived`), not `chat.removed`.
        return follow((onChange) => watchChats({ db, uid: user, onChange, onError, archived: "all" }), chatChanges, sink);
      case "requests":
        return follow((onChange) => watchRequests({ db, uid: user, onChange, onError }), requestChanges, sink);
      case "notifications":
        return follow((onChange) => watchExternalEvents({ db, uid: user, onChange, onError }), notificationChanges, sink);
    }
  };
}

/** The client's {@link DeliveryReporter}, through `rest.markDelivered`; none with `reportDelivered: false`. */
function reporterOf({ rest }: Parts, options: ParleyOptions): DeliveryReporter | undefined {
  if (options.reportDelivered === false) return undefined;
  return new DeliveryReporter((chatId, upTo) => rest.markDelivered({ chatId, upTo }));
}

/** Sends a heartbeat now and every 60 s until stopped (then says the user left). */
function stayOnlineWith(callables: CallableApi): Unsubscribe {
  const beat = () => void callables.heartbeat({ online: true }).catch(() => undefined);
  beat();
  const timer = setInterval(beat, 60_000);
  return () => {
    clearInterval(timer);
    void callables.heartbeat({ online: false }).catch(() => undefined);
  };
}

/**
 * A Parley client on an initialised Firebase app (connect its Auth, Firestore and Functions to
 * the emulators first when using them): sign-in helpers, `rest` and `callables` with every
 * operation, realtime helpers that return their unsubscribe function, and `on(event, handler)`
 * for {@link ParleyEventMap}'s events.
 */
export function createParleyClient(app: FirebaseApp, options: ParleyOptions): ParleyClient {
  const auth = getAuth(app);
  const uid = () => {
    const user = auth.currentUser;
    if (!user) throw new ParleyError("unauthenticated", "Sign in first.");
    return user.uid;
  };
  const db = firestoreOf(app, options.offline ?? false);
  if (options.collections) configureCollections(db, options.collections);
  const parts: Parts = {
    auth,
    db,
    uid,
    rest: restApi(auth, options.apiBase.replace(/\/+$/, "")),
    callables: callableApi(getFunctions(app, options.region ?? "us-central1")),
  };
  const outboxes = outboxesOf(parts, options.storage ?? (typeof localStorage === "undefined" ? undefined : localStorage));
  onAuthStateChanged(auth, (user) => outboxes.drop(user?.uid));
  const events = new EventHub(eventSourcesOf(parts));
  return {
    auth,
    db: parts.db,
    rest: parts.rest,
    callables: parts.callables,
    ...sendingOf(parts, outboxes),
    ...accountOf(parts, outboxes),
    ...watchersOf(parts, reporterOf(parts, options)),
    stayOnline: () => stayOnlineWith(parts.callables),
    on: (event: ParleyEventName, handler: (event: ParleyEvent) => void, eventOptions?: EventOptions & { chatId?: string }) =>
      events.on(event, handler, eventOptions),
  };
}

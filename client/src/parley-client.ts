import type { Auth, User } from "firebase/auth";
import type { Firestore } from "firebase/firestore";
import type { CollectionConfig } from "../../functions/src/shared/docs.js";
import type { CallableApi } from "./callables.js";
import type {
  ChatEventName,
  ChatEventOptions,
  EventOptions,
  EventSubscription,
  ParleyEventHandler,
  UserEventName,
} from "./events.js";
import type { OnError, Unsubscribe } from "./listeners.js";
import type { MessagesState, MessagesSubscription } from "./message-watchers.js";
import type { ThreadState } from "./thread-watchers.js";
import type { Draft, OutboxStorage, OutgoingMessage } from "./outbox.js";
import type { RestApi } from "./rest.js";
import type { ChatView, ExternalEvent, PersonalExportView, PresenceView } from "./views.js";

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
  /**
   * Report that messages arrived (`rest.markDelivered`) when `watchChats` or `watchChat` sees a
   * chat's new messages from others, at most one report per chat at a time (default `true`).
   */
  reportDelivered?: boolean;
  /**
   * The collection names, when the app renamed Parley's collections: the same
   * `{prefix?, names?}` as `collections` in the server's `functions/parley.config.json`.
   * Default: Parley's own names. Throws an `Error` from `createParleyClient` when not valid.
   */
  collections?: CollectionConfig;
}

/** A chat's messages with the user's own unsent ones: what a conversation screen shows. */
export interface ConversationState extends MessagesState {
  /** Messages sent from this device that the chat doesn't show yet: pending, sent or failed. */
  outgoing: OutgoingMessage[];
}

/**
 * A Parley client ({@link createParleyClient}). The watchers call back with the whole current
 * state, first once every listener they hold has answered, then on each change, and return their
 * unsubscribe; `onError` hears that a listener failed (default: a `console.error`). Those acting
 * for the signed-in user throw {@link ParleyError} `unauthenticated` when no one is signed in.
 */
export interface ParleyClient {
  /** The app's Firebase Auth. */
  readonly auth: Auth;
  /** The app's Firestore (with the persistent cache with `offline`). */
  readonly db: Firestore;
  /** Every REST operation, typed, with the signed-in user's ID token; plus `sendFile` and `download`. */
  readonly rest: RestApi;
  /** Every HTTPS callable function, typed. */
  readonly callables: CallableApi;

  /**
   * Sends a text optimistically: returns the message at once, `pending`; it goes out in order
   * with the chat's other sends, is retried with the same `clientMessageId` while offline or on
   * a transient failure (so the server keeps it once), and ends `sent` or `failed`.
   */
  readonly send: (chatId: string, draft: Draft) => OutgoingMessage;
  /** Sends a failed message again (same `clientMessageId`). */
  readonly retrySend: (clientMessageId: string) => void;
  /** Gives up a failed message. */
  readonly discardSend: (clientMessageId: string) => void;
  /**
   * A chat's messages (as {@link ParleyClient.watchMessages}, gaps repaired) with the user's
   * outgoing ones that it doesn't show yet, live; `.loadOlder()` pages back.
   */
  readonly watchConversation: (
    chatId: string,
    callback: (state: ConversationState) => void,
    onError?: OnError,
  ) => MessagesSubscription;

  /** Creates an e-mail/password account with a display name and signs it in. */
  readonly signUp: (email: string, password: string, displayName: string) => Promise<User>;
  /** Signs in with e-mail and password. */
  readonly signIn: (email: string, password: string) => Promise<User>;
  /** Signs out; the user's outbox stops, and its unsent and failed messages are forgotten. */
  readonly signOut: () => Promise<void>;
  /** Calls `callback` with the signed-in user (`null` when signed out) now and on each change. */
  readonly onUserChanged: (callback: (user: User | null) => void) => Unsubscribe;

  /**
   * The signed-in user's chats, live, pinned first, then newest first (at most 50: 1:1 chats and
   * rooms), without the ones they archived; `{ archived: true }`: only those.
   */
  readonly watchChats: (callback: (chats: ChatView[]) => void, options?: OnError | WatchChatsOptions) => Unsubscribe;
  /** The message requests sent to the signed-in user, live, newest first. */
  readonly watchRequests: (callback: (requests: ChatView[]) => void, onError?: OnError) => Unsubscribe;
  /** One chat, live (`null` when it is gone or the user left). */
  readonly watchChat: (chatId: string, callback: (chat: ChatView | null) => void, onError?: OnError) => Unsubscribe;
  /** A chat's latest messages and new ones as they come; `.loadOlder()` pages back. */
  readonly watchMessages: (chatId: string, callback: (state: MessagesState) => void, onError?: OnError) => MessagesSubscription;
  /** The thread on message `number`, live: the parent and its latest replies (reply them with `sendMessage({threadOf})`). */
  readonly watchThread: (
    chatId: string,
    number: number,
    callback: (state: ThreadState) => void,
    onError?: OnError,
  ) => Unsubscribe;
  /** Who reacted to a message with what, live: emoji -> uids, earliest first. */
  readonly watchReactions: (
    chatId: string,
    number: number,
    callback: (reactions: Record<string, string[]>) => void,
    onError?: OnError,
  ) => Unsubscribe;
  /** Who else is typing in a chat, live (each indicator ends by itself after 5 s). */
  readonly watchTyping: (chatId: string, callback: (typing: string[]) => void, onError?: OnError) => Unsubscribe;
  /** Online and last seen of users you share a 1:1 chat with (and yourself), live. */
  readonly watchPresence: (
    uids: string[],
    callback: (presence: Record<string, PresenceView>) => void,
    onError?: OnError,
  ) => Unsubscribe;
  /**
   * How far each member has read a 1:1 chat (uid -> message number), live: the user's own,
   * and the other member's "seen" while both have read receipts on (a member reading with
   * receipts off shows where they were when they turned them off); in a room, the user's own
   * (who read a message there: `rest.listReceipts`).
   */
  readonly watchReadPositions: (
    chatId: string,
    callback: (lastRead: Record<string, number>) => void,
    onError?: OnError,
  ) => Unsubscribe;
  /** A chat's pinned message numbers, oldest pin first, live. */
  readonly watchPins: (chatId: string, callback: (pinned: number[]) => void, onError?: OnError) => Unsubscribe;
  /** The signed-in user's "something new" flag, live. */
  readonly watchExternalEvents: (callback: (event: ExternalEvent) => void, onError?: OnError) => Unsubscribe;
  /** The state of the signed-in user's newest data export (`rest.requestMyExport`), live; `null` before the first. */
  readonly watchMyExport: (callback: (state: PersonalExportView | null) => void, onError?: OnError) => Unsubscribe;
  /** The uids the signed-in user blocked, live (to hide their messages). */
  readonly watchBlocks: (callback: (blocked: Set<string>) => void, onError?: OnError) => Unsubscribe;
  /** Sends a heartbeat now and every 60 s until stopped (then says the user left). */
  readonly stayOnline: () => Unsubscribe;

  /** Subscribes a handler to an event by name: `client.on("message.new", handler, { chatId })`; see {@link ParleyOn}. */
  readonly on: ParleyOn;
}

/**
 * `client.on`: subscribes `handler` to event `event` ({@link ParleyEventMap}) from now on and
 * returns its unsubscribe, whose `ready` resolves once the listener behind it answered (what
 * changes after it is an event). Handlers of the same source share one watcher (`chat.*`:
 * {@link ParleyClient.watchChats}'s; `message.*` of one chat: its {@link ParleyClient.watchMessages}).
 */
export interface ParleyOn {
  /**
   * Calls `handler` with each event `event` about the signed-in user from now on (`chat.*`,
   * `request.*`, `notification.new`; see {@link ParleyEventMap}); returns its unsubscribe.
   * Handlers of the same kind share one watcher (`chat.*`: {@link ParleyClient.watchChats}'s).
   */
  <E extends UserEventName>(event: E, handler: ParleyEventHandler<E>, options?: EventOptions): EventSubscription;
  /**
   * Calls `handler` with each event `event` of chat `options.chatId` from now on (`message.*`,
   * `typing.*`); returns its unsubscribe. Handlers of the same chat's messages (or typing) share
   * one watcher.
   * @throws ParleyError `invalid-argument` without `chatId`.
   */
  <E extends ChatEventName>(event: E, handler: ParleyEventHandler<E>, options: ChatEventOptions): EventSubscription;
}

/** {@link ParleyClient.watchChats}'s options (or just its `onError`). */
export interface WatchChatsOptions {
  /** `true`: only the chats the user archived; left out: their chat list, without those. */
  archived?: boolean;
  onError?: OnError;
}

// Parley's event vocabulary, after stream-chat-js: `client.on("message.new", handler, { chatId })`.
// Events are built on the realtime watchers: each event source is one watcher, whose first
// state is the baseline and whose next states are compared with the one before; handlers of
// the same source (the same chat's messages, say) share its watcher.
import { ParleyError } from "./errors.js";
import { reportListenerError, type OnError, type Unsubscribe } from "./listeners.js";
import type { ChatView, ExternalEvent, MessageView } from "./views.js";

/** An event about message `message` of chat `chatId`, as the message is now. */
export interface MessageEvent<T extends string> {
  type: T;
  chatId: string;
  message: MessageView;
}

/** Member `uid` started or stopped typing in chat `chatId`. */
export interface TypingEvent<T extends string> {
  type: T;
  chatId: string;
  uid: string;
}

/** A chat (or message request) that is in the user's list, as it is now. */
export interface ChatEvent<T extends string> {
  type: T;
  chat: ChatView;
}

/** A chat (or message request) that left the user's list. */
export interface ChatGoneEvent<T extends string> {
  type: T;
  chatId: string;
}

/**
 * Every event name and what its event carries. An event is a change after its listener first
 * answered: what is already there when a handler subscribes (messages, chats, someone typing)
 * is no event (read it with the watchers). `message.*` and `typing.*` are about one chat and
 * take its `chatId` when subscribing; they follow the chat's latest 30 messages from then on.
 */
export interface ParleyEventMap {
  /** A message the device had not seen came into the chat (sent, or fetched to fill a gap). */
  "message.new": MessageEvent<"message.new">;
  /** A message changed: edited, or its reactions (the counts, or the user's own). */
  "message.updated": MessageEvent<"message.updated">;
  /** A message was deleted for everyone: `message.deleted` is `true`, its text and file gone. */
  "message.deleted": MessageEvent<"message.deleted">;
  /** A message left the user's view: they hid it ("delete for me"), or it was removed. */
  "message.removed": { type: "message.removed"; chatId: string; number: number };
  /** A member started typing in the chat. */
  "typing.start": TypingEvent<"typing.start">;
  /** A member's typing indicator ended (stopped, or 5 s passed). */
  "typing.stop": TypingEvent<"typing.stop">;
  /** A chat came into the user's chat list: a new chat, a room joined, a request accepted. */
  "chat.added": ChatEvent<"chat.added">;
  /** A chat of the list changed: a new message, unread count, read positions, mute, pins, title, ending. */
  "chat.updated": ChatEvent<"chat.updated">;
  /** A chat left the user's list: a room left or removed from, or pushed out of the newest 50. */
  "chat.removed": ChatGoneEvent<"chat.removed">;
  /** A message request came in (a 1:1 chat opened by someone who shares no room with the user). */
  "request.new": ChatEvent<"request.new">;
  /** A pending request changed (e.g. a new message in it). */
  "request.updated": ChatEvent<"request.updated">;
  /** A request is no longer pending: accepted, declined or replied to. */
  "request.removed": ChatGoneEvent<"request.removed">;
  /** Something new arrived for the user (`users-external-event/{uid}`: its `lastEvent` changed). */
  "notification.new": { type: "notification.new"; event: ExternalEvent };
}

/** An event's name: `message.new`, `chat.updated`, … */
export type ParleyEventName = keyof ParleyEventMap;
/** Any event; `type` tells which. */
export type ParleyEvent = ParleyEventMap[ParleyEventName];
/** What handles event `E`. */
export type ParleyEventHandler<E extends ParleyEventName> = (event: ParleyEventMap[E]) => void;
/** The events about one chat: subscribing to them takes its `chatId`. */
export type ChatEventName = Extract<ParleyEventName, `message.${string}` | `typing.${string}`>;
/** The events about the user: their chats, message requests and notifications. */
export type UserEventName = Exclude<ParleyEventName, ChatEventName>;

/** How a handler subscribes: `onError` hears that its listener failed (default: {@link reportListenerError}). */
export interface EventOptions {
  onError?: OnError;
}

/** How a handler of a chat's events subscribes: the chat's id. */
export interface ChatEventOptions extends EventOptions {
  chatId: string;
}

/** The watchers events come from. */
export type EventSourceName = "messages" | "typing" | "chats" | "requests" | "notifications";

/** Which watcher each event comes from. */
const sourceOf: Record<ParleyEventName, EventSourceName> = {
  "message.new": "messages",
  "message.updated": "messages",
  "message.deleted": "messages",
  "message.removed": "messages",
  "typing.start": "typing",
  "typing.stop": "typing",
  "chat.added": "chats",
  "chat.updated": "chats",
  "chat.removed": "chats",
  "request.new": "requests",
  "request.updated": "requests",
  "request.removed": "requests",
  "notification.new": "notifications",
};

/** The sources whose watcher is per chat. */
const chatSources = new Set<EventSourceName>(["messages", "typing"]);

/** Where a source reports: its events, its listener's failure, and that it took its baseline. */
export interface SourceSink {
  emit: (event: ParleyEvent) => void;
  onError: OnError;
  /** Called once, after the watcher's first state (the baseline): changes from then on are events. */
  onReady: () => void;
}

/** Starts the watcher of a source (of chat `chatId`, for a chat's source) that reports to `sink`. */
export type StartSource = (source: EventSourceName, chatId: string, sink: SourceSink) => Unsubscribe;

/**
 * A handler's subscription: call it to unsubscribe. `ready` resolves once the listener behind
 * it has answered, so that a change made after it is an event; it never rejects (a failure goes
 * to `onError`).
 */
export interface EventSubscription extends Unsubscribe {
  ready: Promise<void>;
}

/** Whether `a` and `b` are equal as JSON data, whatever the order of their keys. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  const valuesB = b as Record<string, unknown>;
  return (
    keysA.length === keysB.length &&
    keysA.every((key) => key in valuesB && sameData((a as Record<string, unknown>)[key], valuesB[key]))
  );
}

/**
 * The events between two states of chat `chatId`'s messages: a number not there before is
 * `message.new`; a message now deleted for everyone `message.deleted`; any other change
 * `message.updated`; a number gone `message.removed`.
 */
export function messageChanges(chatId: string, before: MessageView[], after: MessageView[]): ParleyEvent[] {
  const old = new Map(before.map((message) => [message.number, message]));
  const events: ParleyEvent[] = [];
  for (const message of after) {
    const was = old.get(message.number);
    old.delete(message.number);
    if (!was) events.push({ type: "message.new", chatId, message });
    else if (message.deleted && !was.deleted) events.push({ type: "message.deleted", chatId, message });
    else if (!sameData(was, message)) events.push({ type: "message.updated", chatId, message });
  }
  for (const number of old.keys()) events.push({ type: "message.removed", chatId, number });
  return events;
}

/** The events between two states of who is typing in chat `chatId`: `typing.start`, then `typing.stop`. */
export function typingChanges(chatId: string, before: string[], after: string[]): ParleyEvent[] {
  return [
    ...after.filter((uid) => !before.includes(uid)).map((uid) => ({ type: "typing.start" as const, chatId, uid })),
    ...before.filter((uid) => !after.includes(uid)).map((uid) => ({ type: "typing.stop" as const, chatId, uid })),
  ];
}

/** The chats in `after` and not in `before`, those in both that changed, and the ids of those gone. */
function listChanges(before: ChatView[], after: ChatView[]) {
  const old = new Map(before.map((chat) => [chat.id, chat]));
  const ids = new Set(after.map((chat) => chat.id));
  return {
    added: after.filter((chat) => !old.has(chat.id)),
    updated: after.filter((chat) => old.has(chat.id) && !sameData(old.get(chat.id), chat)),
    removed: before.filter((chat) => !ids.has(chat.id)).map((chat) => chat.id),
  };
}

/** The events between two states of the user's chat list: `chat.added`, `chat.updated`, `chat.removed`. */
export function chatChanges(before: ChatView[], after: ChatView[]): ParleyEvent[] {
  const { added, updated, removed } = listChanges(before, after);
  return [
    ...added.map((chat) => ({ type: "chat.added" as const, chat })),
    ...updated.map((chat) => ({ type: "chat.updated" as const, chat })),
    ...removed.map((chatId) => ({ type: "chat.removed" as const, chatId })),
  ];
}

/** The events between two states of the user's message requests: `request.new`, `request.updated`, `request.removed`. */
export function requestChanges(before: ChatView[], after: ChatView[]): ParleyEvent[] {
  const { added, updated, removed } = listChanges(before, after);
  return [
    ...added.map((chat) => ({ type: "request.new" as const, chat })),
    ...updated.map((chat) => ({ type: "request.updated" as const, chat })),
    ...removed.map((chatId) => ({ type: "request.removed" as const, chatId })),
  ];
}

/** `notification.new` when the user's last external event changed to a new one. */
export function notificationChanges(before: ExternalEvent, after: ExternalEvent): ParleyEvent[] {
  const changed = after.lastEvent !== null && !sameData(before.lastEvent, after.lastEvent);
  return changed ? [{ type: "notification.new", event: after }] : [];
}

/**
 * Starts `watch`, takes its first state as the baseline (then calls `sink.onReady`), and from
 * then on sends `sink.emit` the `changes` between each state and the one before.
 */
export function follow<S>(
  watch: (onChange: (state: S) => void) => Unsubscribe,
  changes: (before: S, after: S) => ParleyEvent[],
  sink: Pick<SourceSink, "emit" | "onReady">,
): Unsubscribe {
  let last: { state: S } | undefined;
  return watch((state) => {
    const before = last;
    last = { state };
    if (before) changes(before.state, state).forEach(sink.emit);
    else sink.onReady();
  });
}

/** A handler of one event name, as subscribed. */
interface Subscriber {
  name: ParleyEventName;
  handler: (event: ParleyEvent) => void;
  onError?: OnError;
}

/** A running event source: its watcher, who listens to it, and whether it took its baseline. */
interface Source {
  subscribers: Set<Subscriber>;
  stop: Unsubscribe;
  ready: Promise<void>;
}

/**
 * Subscriptions by event name on shared sources: a source's watcher starts with its first
 * handler and stops with its last. A source whose listener failed tells its handlers'
 * `onError` (or {@link reportListenerError} once, when none has one); the next `on` starts it afresh.
 */
export class EventHub {
  private readonly sources = new Map<string, Source>();

  constructor(private readonly start: StartSource) {}

  /**
   * Calls `handler` with each event named `name` from now on; returns its subscription.
   * @throws ParleyError `invalid-argument` for a chat's event without `chatId`.
   */
  on(
    name: ParleyEventName,
    handler: (event: ParleyEvent) => void,
    options: EventOptions & { chatId?: string } = {},
  ): EventSubscription {
    const source = sourceOf[name];
    const chatId = chatSources.has(source) ? (options.chatId ?? "") : "";
    if (chatSources.has(source) && !chatId) throw new ParleyError("invalid-argument", `${name}: subscribe with { chatId }.`);
    const key = `${source}/${chatId}`;
    const live = this.sources.get(key) ?? this.open(key, source, chatId);
    const subscriber: Subscriber = { name, handler, onError: options.onError };
    live.subscribers.add(subscriber);
    const unsubscribe = () => {
      live.subscribers.delete(subscriber);
      if (live.subscribers.size > 0) return;
      live.stop();
      if (this.sources.get(key) === live) this.sources.delete(key);
    };
    return Object.assign(unsubscribe, { ready: live.ready });
  }

  /** Starts source `source` (of chat `chatId`) under `key`. */
  private open(key: string, source: EventSourceName, chatId: string): Source {
    let onReady = () => undefined as void;
    const ready = new Promise<void>((resolve) => (onReady = resolve));
    const live: Source = { subscribers: new Set(), stop: () => undefined, ready };
    this.sources.set(key, live);
    const emit = (event: ParleyEvent) => live.subscribers.forEach((each) => each.name === event.type && each.handler(event));
    const onError = (error: Error) => {
      if (this.sources.get(key) === live) this.sources.delete(key);
      const told = [...live.subscribers].flatMap((each) => (each.onError ? [each.onError] : []));
      if (told.length === 0) reportListenerError(error);
      told.forEach((tell) => tell(error));
    };
    live.stop = this.start(source, chatId, { emit, onError, onReady });
    return live;
  }
}

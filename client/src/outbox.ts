import { ParleyError } from "./errors.js";
import type { Unsubscribe } from "./listeners.js";
import type { MessageView } from "./views.js";

/** Where an outgoing message is: waiting or in flight, accepted by the server, or refused. */
export type SendStatus = "pending" | "sent" | "failed";

/** What a user sends: a text, maybe a reply or mentions. */
export interface Draft {
  text: string;
  replyTo?: number;
  mentions?: string[];
}

/**
 * A message the user sent from this device, shown before the server has it. Its
 * `clientMessageId` makes every attempt the same send, so a retry never makes a duplicate.
 * `createdAt` is the device's time (ms); `number` is set once sent; `error` once failed.
 */
export interface OutgoingMessage extends Draft {
  clientMessageId: string;
  chatId: string;
  status: SendStatus;
  createdAt: number;
  number?: number;
  error?: string;
}

/** The storage an outbox keeps its queue in across reloads (`localStorage` in a browser). */
export interface OutboxStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  /** Removes `key` (when absent, {@link Outbox.clear} saves an empty queue instead). */
  removeItem?(key: string): void;
}

/** How the outbox sends one message and learns whether the device is online. */
export interface OutboxTransport {
  send(message: OutgoingMessage): Promise<MessageView>;
  /** `false` when the device knows it is offline (`navigator.onLine`). */
  online(): boolean;
  /** Calls `back` whenever the device comes back online; returns the unsubscribe. */
  onOnline(back: () => void): Unsubscribe;
}

/** Waits between automatic retries of a transient failure: 1 s, 2 s, 4 s… up to 30 s. */
const retryDelay = (attempt: number) => Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));

/**
 * Whether a failed send may succeed as it is, later: no answer at all (offline, a dropped
 * connection), a rate limit, a lost race or a server error. Anything else (bad input, not a
 * member, a closed chat) fails for good.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof ParleyError)) return true;
  return ["resource-exhausted", "aborted", "unavailable", "internal", "deadline-exceeded"].includes(error.code);
}

/**
 * Sends messages optimistically, and never loses one: {@link Outbox.send} shows the message at
 * once as `pending`; each chat's messages go out one at a time, in order; a transient failure
 * (offline included) keeps the message pending and tries again, with the same
 * `clientMessageId`, when the device is back online or after a growing wait, so the server
 * takes it exactly once; a refusal marks it `failed`, to {@link Outbox.retry} or
 * {@link Outbox.discard}. The queue is saved in `storage` under `key` (per user), so a reload
 * resumes it. Messages stay listed until {@link Outbox.settle} sees them in the chat.
 */
export class Outbox {
  private messages: OutgoingMessage[];
  private readonly listeners = new Set<() => void>();
  private readonly busy = new Set<string>();
  private readonly attempts = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly stopOnline: Unsubscribe;
  private closed = false;

  constructor(
    private readonly transport: OutboxTransport,
    private readonly storage?: OutboxStorage,
    private readonly key = "parley-outbox",
  ) {
    this.messages = this.load();
    this.stopOnline = transport.onOnline(() => this.flushAll());
    this.flushAll();
  }

  /** Queues `draft` for `chatId` and returns it, pending, at once. */
  send(chatId: string, draft: Draft): OutgoingMessage {
    const message: OutgoingMessage = {
      ...draft,
      chatId,
      clientMessageId: crypto.randomUUID(),
      status: "pending",
      createdAt: Date.now(),
    };
    this.messages.push(message);
    this.changed();
    this.flush(chatId);
    return message;
  }

  /** Sends a failed message again, with its `clientMessageId` (the server keeps one copy at most). */
  retry(clientMessageId: string): void {
    const message = this.messages.find((m) => m.clientMessageId === clientMessageId);
    if (!message || message.status !== "failed") return;
    this.update(message, { status: "pending", error: undefined });
    this.attempts.delete(clientMessageId);
    this.flush(message.chatId);
  }

  /** Drops a failed message from the outbox. */
  discard(clientMessageId: string): void {
    this.messages = this.messages.filter((m) => m.clientMessageId !== clientMessageId || m.status !== "failed");
    this.changed();
  }

  /**
   * Drops the sent messages of `chatId` that `delivered` (the chat's messages, as a listener
   * sees them) already holds, by `clientMessageId`: from then on the chat shows them.
   */
  settle(chatId: string, delivered: MessageView[]): void {
    const ids = new Set(delivered.flatMap((m) => (m.clientMessageId ? [m.clientMessageId] : [])));
    const before = this.messages.length;
    this.messages = this.messages.filter((m) => m.chatId !== chatId || m.status === "pending" || !ids.has(m.clientMessageId));
    if (this.messages.length !== before) this.changed();
  }

  /** The outgoing messages of `chatId`, oldest first. */
  of(chatId: string): OutgoingMessage[] {
    return this.messages.filter((m) => m.chatId === chatId);
  }

  /** Calls `onChange` on every change of the outbox; returns the unsubscribe. */
  subscribe(onChange: () => void): Unsubscribe {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  /** Stops retrying (the queue stays saved). */
  close(): void {
    this.closed = true;
    this.stopOnline();
    this.timers.forEach((timer) => clearTimeout(timer));
  }

  /**
   * Stops for good and forgets the queue, saved copy included: what signing out does to the
   * signed-out user's outbox, so nothing of theirs is sent later or left on the device.
   */
  clear(): void {
    this.close();
    this.messages = [];
    if (this.storage?.removeItem) this.storage.removeItem(this.key);
    else this.storage?.setItem(this.key, "[]");
    this.listeners.forEach((listener) => listener());
  }

  private flushAll(): void {
    for (const chatId of new Set(this.messages.map((m) => m.chatId))) this.flush(chatId);
  }

  /** Sends `chatId`'s oldest pending message, then the next: one in flight per chat keeps the order. */
  private flush(chatId: string): void {
    if (this.closed || this.busy.has(chatId) || !this.transport.online()) return;
    const next = this.messages.find((m) => m.chatId === chatId && m.status === "pending");
    if (!next) return;
    clearTimeout(this.timers.get(chatId));
    this.busy.add(chatId);
    this.transport.send(next).then(
      (sent) => {
        this.busy.delete(chatId);
        this.attempts.delete(next.clientMessageId);
        this.update(next, { status: "sent", number: sent.number });
        this.flush(chatId);
      },
      (error: unknown) => {
        this.busy.delete(chatId);
        if (!isTransient(error)) {
          this.update(next, { status: "failed", error: (error as Error).message });
          this.flush(chatId);
          return;
        }
        const attempt = (this.attempts.get(next.clientMessageId) ?? 0) + 1;
        this.attempts.set(next.clientMessageId, attempt);
        this.timers.set(
          chatId,
          setTimeout(() => this.flush(chatId), retryDelay(attempt)),
        );
      },
    );
  }

  private update(message: OutgoingMessage, change: Partial<OutgoingMessage>): void {
    Object.assign(message, change);
    this.changed();
  }

  private changed(): void {
    if (this.closed) return;
    this.storage?.setItem(this.key, JSON.stringify(this.messages.filter((m) => m.status !== "sent")));
    this.listeners.forEach((listener) => listener());
  }

  private load(): OutgoingMessage[] {
    try {
      const saved = JSON.parse(this.storage?.getItem(this.key) ?? "[]") as OutgoingMessage[];
      return Array.isArray(saved) ? saved : [];
    } catch {
      return [];
    }
  }
}

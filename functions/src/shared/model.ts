import type { Firestore, Timestamp } from "firebase-admin/firestore";

/**
 * Firestore layout of Parley. Every collection name lives here.
 *
 * - `users/{uid}`                                   {@link UserDoc}
 * - `chats/{chatId}`                                {@link ChatDoc}
 * - `chats/{chatId}/messages/{messageId}`           {@link MessageDoc}; id = zero-padded number
 * - `chats/{chatId}/client-messages/{keyHash}`      {@link ClientMessageKeyDoc}; send idempotency
 * - `users-external-event/{uid}`                    {@link ExternalEventDoc}
 */
export const collections = {
  users: "users",
  chats: "chats",
  messages: "messages",
  clientMessages: "client-messages",
  externalEvents: "users-external-event",
} as const;

/** A user's public profile, created by the Auth user-created trigger. */
export interface UserDoc {
  displayName: string;
  email: string | null;
  photoURL: string | null;
  createdAt: Timestamp;
}

export type MessageType = "text" | "file" | "image" | "system";

/** The chat's preview of its newest message. `preview` holds at most 100 characters. */
export interface LastMessage {
  number: number;
  from: string | null;
  type: MessageType;
  preview: string;
}

/** A chat. For a 1:1 chat (`type: "direct"`) the id is `<lower uid>_<higher uid>`. */
export interface ChatDoc {
  type: "direct";
  members: string[];
  messageCount: number;
  lastMessage: LastMessage | null;
  lastMessageAt: Timestamp | null;
  /** uid -> number of messages from others this member has not read. */
  unread: Record<string, number>;
  /** uid -> highest message number this member has read (0 = none). */
  lastRead: Record<string, number>;
  /** `true` once the first message was sent. */
  started: boolean;
  /** `false` once the chat is closed for new messages. */
  active: boolean;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** One message. `number` is 1, 2, 3… per chat, gapless and unique. */
export interface MessageDoc {
  number: number;
  from: string | null;
  type: MessageType;
  /** The text, or a file's caption ("" for none). */
  text: string;
  clientMessageId: string | null;
  createdAt: Timestamp;
  /** Only on `file` and `image` messages. */
  file?: FileDoc;
}

/**
 * The Cloud Storage object of a file or image message, at `path` in the default bucket:
 * `chats/{chatId}/{uploadId}/{safe name}`. `name` is the file name as the sender gave it (for
 * display only), `size` is in bytes, `sha256` is hex. Images also carry their pixel size
 * (as displayed, after EXIF orientation) and a thumbnail.
 */
export interface FileDoc {
  path: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  width?: number;
  height?: number;
  thumbnail?: ThumbnailDoc;
}

/** An image's thumbnail object (`.../thumbnail/320.jpg` or `.png`): longest side at most 320 px. */
export interface ThumbnailDoc {
  path: string;
  contentType: string;
  width: number;
  height: number;
  size: number;
}

/** Marks that a sender's `clientMessageId` already produced message `number` in this chat. */
export interface ClientMessageKeyDoc {
  number: number;
  createdAt: Timestamp;
}

/** The one doc a client listens to for "something new arrived anywhere". */
export interface ExternalEventDoc {
  notifyNewMessage: boolean;
  lastEvent: { chatId: string; number: number; at: Timestamp } | null;
}

/** The id of the 1:1 chat between two users: both uids sorted, joined by `_`. */
export function directChatId(a: string, b: string): string {
  return a < b ? `${a}_${b}` : `${b}_${a}`;
}

/** Message doc ids are the zero-padded number, so they sort like the numbers they hold. */
export function messageId(number: number): string {
  return String(number).padStart(10, "0");
}

export const refs = {
  user: (db: Firestore, uid: string) => db.collection(collections.users).doc(uid),
  chat: (db: Firestore, chatId: string) => db.collection(collections.chats).doc(chatId),
  messages: (db: Firestore, chatId: string) =>
    refs.chat(db, chatId).collection(collections.messages),
  message: (db: Firestore, chatId: string, number: number) =>
    refs.messages(db, chatId).doc(messageId(number)),
  clientMessage: (db: Firestore, chatId: string, keyHash: string) =>
    refs.chat(db, chatId).collection(collections.clientMessages).doc(keyHash),
  externalEvent: (db: Firestore, uid: string) => db.collection(collections.externalEvents).doc(uid),
};

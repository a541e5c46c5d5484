import type { Firestore, Timestamp } from "firebase-admin/firestore";
import { z } from "zod";

/**
 * Firestore layout of Parley. Every collection name lives here.
 *
 * - `users/{uid}`                                   {@link UserDoc}
 * - `chats/{chatId}`                                {@link ChatDoc}
 * - `chats/{chatId}/messages/{messageId}`           {@link MessageDoc}; id = zero-padded number
 * - `chats/{chatId}/client-messages/{keyHash}`      {@link ClientMessageKeyDoc}; send idempotency
 * - `chats/{chatId}/hidden/{uid}`                   {@link HiddenMessagesDoc}; "delete for me"
 * - `users-external-event/{uid}`                    {@link ExternalEventDoc}
 * - `users/{uid}/devices/{tokenHash}`               {@link DeviceDoc}; FCM registration tokens
 * - `device-tokens/{tokenHash}`                     {@link DeviceTokenDoc}; which user a token is with
 * - `push-events/{eventId}`                         {@link PushEventDoc}; push trigger idempotency
 * - `push-outbox/{id}`                              {@link PushOutboxDoc}; FCM messages not sent (emulator)
 * - `invites/{inviteCode}`                          {@link InviteDoc}; a room's invite code
 * - `mail/{id}`                                     {@link MailDoc}; for the "Trigger Email" extension
 * - `chat-completions/{chatId}`                     {@link ChatCompletionDoc}; starts an ended chat's export
 */
export const collections = {
  users: "users",
  chats: "chats",
  messages: "messages",
  clientMessages: "client-messages",
  hidden: "hidden",
  externalEvents: "users-external-event",
  devices: "devices",
  deviceTokens: "device-tokens",
  pushEvents: "push-events",
  pushOutbox: "push-outbox",
  invites: "invites",
  mail: "mail",
  chatCompletions: "chat-completions",
} as const;

/** A user's public profile, created by the Auth user-created trigger. */
export interface UserDoc {
  displayName: string;
  email: string | null;
  photoURL: string | null;
  createdAt: Timestamp;
}

export const messageType = z.enum(["text", "file", "image", "system"]);
export type MessageType = z.infer<typeof messageType>;

/**
 * The chat's preview of its newest message. `preview` holds at most 100 characters; once the
 * message is deleted for everyone it reads "Message deleted" and `deleted` is true.
 */
export const lastMessage = z.object({
  number: z.number().int(),
  from: z.string().nullable(),
  type: messageType,
  preview: z.string(),
  deleted: z.boolean().optional(),
});
export type LastMessage = z.infer<typeof lastMessage>;

/**
 * A chat. For a 1:1 chat (`type: "direct"`) the id is `<lower uid>_<higher uid>`; a room
 * (`type: "room"`) has an auto id, a `title`, a `host` and an `inviteCode`. `members` of a room
 * are in the order they joined.
 */
export interface ChatDoc {
  type: "direct" | "room";
  members: string[];
  /** Rooms only. */
  title?: string;
  host?: string;
  inviteCode?: string;
  /** `completed` once ended: read-only (`active: false`); missing on chats made before. */
  status?: "active" | "completed";
  completedAt?: Timestamp;
  /** The history export written when the chat completed. */
  export?: ChatExport;
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
  /** uid -> end of that member's mute (`null`: until unmuted). No push while muted. */
  mutedUntil?: Record<string, Timestamp | null>;
}

/** A completed chat's CSV history in Cloud Storage. `bytes` is the file size, `rows` the messages. */
export interface ChatExport {
  path: string;
  rows: number;
  bytes: number;
  createdAt: Timestamp;
}

/** Looks up a room by its invite code (the doc id); valid while the room's `inviteCode` matches. */
export interface InviteDoc {
  chatId: string;
  createdAt: Timestamp;
}

/**
 * Written in the same batch that ends a chat; its creation triggers the history export, and
 * `exportedAt` marks the export (and the mails) done, once.
 */
export interface ChatCompletionDoc {
  chatId: string;
  completedAt: Timestamp;
  endedBy: string | null;
  exportedAt?: Timestamp;
}

/** A mail in the format of the official "Trigger Email from Firestore" extension. */
export interface MailDoc {
  to: string;
  message: { subject: string; text: string; html: string };
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
  /** A reply's quoted message, or where a forwarded message came from. */
  reference?: MessageReference;
  /** Only on `system` messages: what happened. */
  event?: SystemEvent;
  /** Set when the sender edited the text. */
  editedAt?: Timestamp;
  /** "Deleted for everyone": text, file and reference are gone, the number stays taken. */
  deleted?: boolean;
  deletedAt?: Timestamp;
}

/**
 * What a message refers to. A reply quotes a message of the same chat and keeps a `preview`
 * of it (at most 100 characters; "Message deleted" once that message is deleted for everyone).
 * A forward names the message it copied. `from` and `messageType` are the referenced message's.
 */
export const messageReference = z.object({
  type: z.enum(["reply", "forward"]),
  chatId: z.string(),
  number: z.number().int(),
  from: z.string().nullable(),
  messageType,
  preview: z.string().optional(),
  deleted: z.boolean().optional(),
});
export type MessageReference = z.infer<typeof messageReference>;

/** A chat event told by a `system` message (`from: null`). `uid` is whom it is about. */
export const systemEvent = z.object({
  type: z.enum(["member-left", "member-joined", "member-removed", "chat-ended"]),
  uid: z.string().nullable(),
});
export type SystemEvent = z.infer<typeof systemEvent>;

/** A member's "delete for me" list: message numbers hidden from their listings. */
export interface HiddenMessagesDoc {
  numbers: number[];
}

/** One device of a user that gets push notifications. `token` is the FCM registration token. */
export interface DeviceDoc {
  token: string;
  platform: "ios" | "android" | "web";
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** The user a registration token currently belongs to (a token moves to its latest registrant). */
export interface DeviceTokenDoc {
  uid: string;
  updatedAt: Timestamp;
}

/** Marks a message-created event whose push was handled (the trigger runs at least once). */
export interface PushEventDoc {
  chatId: string;
  number: number;
  createdAt: Timestamp;
  /** For a Firestore TTL policy: the claim only matters while redeliveries can happen. */
  expiresAt: Timestamp;
  /** Set once the pushes went out: how many FCM accepted and refused, dead devices removed. */
  finishedAt?: Timestamp;
  sent?: number;
  failed?: number;
  removedDevices?: number;
}

/**
 * A push that would have gone to FCM, written instead of sending when the transport is
 * `outbox` (always under the emulator). `message` is exactly the FCM message.
 */
export interface PushOutboxDoc {
  eventId: string;
  chatId: string;
  number: number;
  uid: string;
  message: Record<string, unknown>;
  createdAt: Timestamp;
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
  hidden: (db: Firestore, chatId: string, uid: string) =>
    refs.chat(db, chatId).collection(collections.hidden).doc(uid),
  externalEvent: (db: Firestore, uid: string) => db.collection(collections.externalEvents).doc(uid),
  devices: (db: Firestore, uid: string) => refs.user(db, uid).collection(collections.devices),
  device: (db: Firestore, uid: string, tokenHash: string) => refs.devices(db, uid).doc(tokenHash),
  deviceToken: (db: Firestore, tokenHash: string) => db.collection(collections.deviceTokens).doc(tokenHash),
  pushEvent: (db: Firestore, eventId: string) => db.collection(collections.pushEvents).doc(eventId),
  pushOutbox: (db: Firestore) => db.collection(collections.pushOutbox),
  invite: (db: Firestore, code: string) => db.collection(collections.invites).doc(code),
  mail: (db: Firestore, id: string) => db.collection(collections.mail).doc(id),
  chatCompletion: (db: Firestore, chatId: string) => db.collection(collections.chatCompletions).doc(chatId),
};

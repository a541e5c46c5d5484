import type { TokenMessage } from "firebase-admin/messaging";
import type { MessageDoc } from "../shared/model.js";
import { messagePreview, voiceLabel } from "../timeline/preview.js";

/** Which message {@link pushMessage} tells, to which device, and how. */
export interface PushMessageOptions {
  /** The device's FCM registration token. */
  token: string;
  /** The message's chat. */
  chatId: string;
  /** The message as stored. */
  message: MessageDoc;
  /** The sender's display name. */
  senderName: string;
  /** A room's title, or a message request's quiet style; default: a 1:1 chat's. */
  style?: PushStyle;
  /**
   * The recipient's app badge (`unreadTotal` of `users-external-event/{uid}`) with this message
   * counted; absent: the push leaves the badge as it is.
   */
  badge?: number;
}

/**
 * The FCM message for one device: a notification titled with the sender's name (in a room,
 * the room's title, the body then starting with the sender's name), whose body is the text
 * preview ("Photo" or "File" for attachments, whatever the caption), and data
 * `{chatId, number, type}` (strings, as FCM data must be; a thread reply's also `threadOf`) for
 * the app to open the chat. With a `badge`, the push sets the app badge: APNs `aps.badge`,
 * Android `notificationCount`, and data `unreadTotal` (the number as a string) for the app.
 * Notifications of one chat replace each other on Android (`tag`) and thread on iOS. A message
 * request's (`style.request`) is quiet: "Message request" / "From {name}", no sound, normal
 * priority, data `request: "true"`.
 */
export function pushMessage(options: PushMessageOptions): TokenMessage {
  const { token, chatId, message, senderName, style = {}, badge } = options;
  const { roomTitle, request } = style;
  const data = {
    chatId,
    number: String(message.number),
    type: message.type,
    // A thread reply: `number` is its number in the thread of message `threadOf`.
    ...(message.threadOf !== undefined && { threadOf: String(message.threadOf) }),
    ...(badge !== undefined && { unreadTotal: String(badge) }),
  };
  const count = badge === undefined ? {} : { notificationCount: badge };
  const aps = badge === undefined ? { threadId: chatId } : { threadId: chatId, badge };
  if (request) {
    // Quiet: normal priority, no sound, and no words of the stranger's but their name.
    return {
      token,
      notification: { title: "Message request", body: `From ${senderName}` },
      data: { ...data, request: "true" },
      android: { priority: "normal", notification: { tag: chatId, ...count } },
      apns: { payload: { aps } },
    };
  }
  const preview =
    message.type === "image"
      ? "Photo"
      : message.type === "file"
        ? "File"
        : message.type === "voice"
          ? voiceLabel(message.file)
          : messagePreview(message);
  return {
    token,
    notification: roomTitle ? { title: roomTitle, body: `${senderName}: ${preview}` } : { title: senderName, body: preview },
    data,
    android: { priority: "high", notification: { tag: chatId, ...count } },
    apns: { payload: { aps: { ...aps, sound: "default" } } },
  };
}

/** How a push reads: a room's `roomTitle`, or a message `request` (quiet, without the text). */
export interface PushStyle {
  roomTitle?: string;
  request?: boolean;
}

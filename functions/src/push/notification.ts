import type { TokenMessage } from "firebase-admin/messaging";
import type { MessageDoc } from "../shared/model.js";
import { messagePreview } from "../timeline/preview.js";

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
}

/**
 * The FCM message for one device: a notification titled with the sender's name (in a room,
 * the room's title, the body then starting with the sender's name), whose body is the text
 * preview ("Photo" or "File" for attachments, whatever the caption), and data
 * `{chatId, number, type}` (strings, as FCM data must be; a thread reply's also `threadOf`) for
 * the app to open the chat.
 * Notifications of one chat replace each other on Android (`tag`) and thread on iOS. A message
 * request's (`style.request`) is quiet: "Message request" / "From {name}", no sound, normal
 * priority, data `request: "true"`.
 */
export function pushMessage(options: PushMessageOptions): TokenMessage {
  const { token, chatId, message, senderName, style = {} } = options;
  const { roomTitle, request } = style;
  const data = {
    chatId,
    number: String(message.number),
    type: message.type,
    // A thread reply: `number` is its number in the thread of message `threadOf`.
    ...(message.threadOf !== undefined && { threadOf: String(message.threadOf) }),
  };
  if (request) {
    // Quiet: normal priority, no sound, and no words of the stranger's but their name.
    return {
      token,
      notification: { title: "Message request", body: `From ${senderName}` },
      data: { ...data, request: "true" },
      android: { priority: "normal", notification: { tag: chatId } },
      apns: { payload: { aps: { threadId: chatId } } },
    };
  }
  const preview = message.type === "image" ? "Photo" : message.type === "file" ? "File" : messagePreview(message);
  return {
    token,
    notification: roomTitle ? { title: roomTitle, body: `${senderName}: ${preview}` } : { title: senderName, body: preview },
    data,
    android: { priority: "high", notification: { tag: chatId } },
    apns: { payload: { aps: { threadId: chatId, sound: "default" } } },
  };
}

/** How a push reads: a room's `roomTitle`, or a message `request` (quiet, without the text). */
export interface PushStyle {
  roomTitle?: string;
  request?: boolean;
}

import type { TokenMessage } from "firebase-admin/messaging";
import type { MessageDoc } from "../shared/model.js";
import { messagePreview } from "../timeline/preview.js";

/**
 * The FCM message for one device: a notification titled with the sender's name (in a room,
 * the room's title, the body then starting with the sender's name), whose body is the text
 * preview ("Photo" or "File" for attachments, whatever the caption), and data
 * `{chatId, number, type}` (strings, as FCM data must be) for the app to open the chat.
 * Notifications of one chat replace each other on Android (`tag`) and thread on iOS. A message
 * request's (`style.request`) is quiet: "Message request" / "From {name}", no sound, normal
 * priority, data `request: "true"`.
 */
export function pushMessage(
  token: string,
  chatId: string,
  message: MessageDoc,
  senderName: string,
  style: PushStyle = {},
): TokenMessage {
  const { roomTitle, request } = style;
  const data = { chatId, number: String(message.number), type: message.type };
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

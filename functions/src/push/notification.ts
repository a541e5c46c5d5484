import type { TokenMessage } from "firebase-admin/messaging";
import type { MessageDoc } from "../shared/model.js";
import { messagePreview } from "../timeline/preview.js";

/**
 * The FCM message for one device: a notification titled with the sender's name (in a room,
 * the room's title, the body then starting with the sender's name), whose body is the text
 * preview ("Photo" or "File" for attachments, whatever the caption), and data
 * `{chatId, number, type}` (strings, as FCM data must be) for the app to open the chat.
 * Notifications of one chat replace each other on Android (`tag`) and thread on iOS.
 */
export function pushMessage(
  token: string,
  chatId: string,
  message: MessageDoc,
  senderName: string,
  roomTitle?: string,
): TokenMessage {
  const preview = message.type === "image" ? "Photo" : message.type === "file" ? "File" : messagePreview(message);
  return {
    token,
    notification: roomTitle ? { title: roomTitle, body: `${senderName}: ${preview}` } : { title: senderName, body: preview },
    data: { chatId, number: String(message.number), type: message.type },
    android: { priority: "high", notification: { tag: chatId } },
    apns: { payload: { aps: { threadId: chatId, sound: "default" } } },
  };
}

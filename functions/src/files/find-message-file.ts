import type { Firestore } from "firebase-admin/firestore";
import { readAsMember, requireMember } from "../timeline/chat-access.js";
import { AppError } from "../shared/errors.js";
import type { DownloadObject } from "../shared/handler.js";
import { exists, refs } from "../shared/model.js";

/** Which object of which message {@link findMessageObject} finds, and for whom. */
export interface FindMessageObjectOptions {
  /** Who downloads: a member of the chat. */
  callerUid: string;
  /** The chat: `chats/{chatId}`. */
  chatId: string;
  /** The message's number. */
  number: number;
  /** The file itself, or its thumbnail. */
  which: "file" | "thumbnail";
}

/**
 * The file (`which: "file"`) or thumbnail of message `number` of `chatId`, for a member.
 * Reads `chats/{chatId}` and `chats/{chatId}/messages/{number}`.
 * @throws AppError `not-found` (no chat, not a member, no message, a message without file or
 *   thumbnail).
 */
export async function findMessageObject(db: Firestore, options: FindMessageObjectOptions): Promise<DownloadObject> {
  const { callerUid, chatId, number, which } = options;
  const { chatSnap, memberSnap, more } = await readAsMember(db, chatId, callerUid, refs.message(db, chatId, number));
  const [messageSnap] = more;
  requireMember(chatSnap, callerUid, memberSnap);
  if (!exists(messageSnap)) throw new AppError("not-found", `Message ${number} does not exist in this chat.`);
  const { file } = messageSnap.data();
  if (!file) throw new AppError("not-found", `Message ${number} has no file.`);
  // Images and voice messages show in the page (an <img>, an <audio>); other files download.
  const inline = ["image", "voice"].includes(messageSnap.data().type);
  if (which === "file") {
    return { path: file.path, contentType: file.contentType, size: file.size, name: file.name, etag: file.sha256, inline };
  }
  if (!file.thumbnail) throw new AppError("not-found", `Message ${number} has no thumbnail.`);
  const { path, contentType, size, width, height } = file.thumbnail;
  const extension = contentType === "image/png" ? "png" : "jpg";
  return { path, contentType, size, name: `thumbnail.${extension}`, etag: `${file.sha256}-${width}x${height}`, inline: true };
}

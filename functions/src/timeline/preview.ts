import type { FileDoc, MessageType } from "../shared/model.js";

/** Characters of text kept in a preview (`lastMessage.preview`, a reply's quote). */
export const PREVIEW_LENGTH = 100;

/** What a deleted message's previews say. */
export const DELETED_PREVIEW = "Message deleted";

/**
 * A message in one line: its text (or caption), else "Photo" for an image and the file name
 * for a file; a poll's is "Poll: " and its question. At most {@link PREVIEW_LENGTH} characters,
 * never splitting a surrogate pair.
 */
export function messagePreview(message: { type: MessageType; text: string; file?: FileDoc }): string {
  const caption = message.type === "poll" ? `Poll: ${message.text.trim()}` : message.text.trim();
  const text = caption || (message.type === "image" ? "Photo" : (message.file?.name ?? ""));
  return Array.from(text).slice(0, PREVIEW_LENGTH).join("");
}

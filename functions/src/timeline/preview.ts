import type { FileDoc, MessageType } from "../shared/model.js";

/** Characters of text kept in a preview (`lastMessage.preview`, a reply's quote). */
export const PREVIEW_LENGTH = 100;

/** What a deleted message's previews say. */
export const DELETED_PREVIEW = "Message deleted";

/**
 * A message in one line: its text (or caption), else "Photo" for an image, "Voice message
 * (0:12)" for a voice message and the file name for a file; a poll's is "Poll: " and its
 * question. At most {@link PREVIEW_LENGTH} characters, never splitting a surrogate pair.
 */
export function messagePreview(message: { type: MessageType; text: string; file?: FileDoc }): string {
  const caption = message.type === "poll" ? `Poll: ${message.text.trim()}` : message.text.trim();
  const text =
    caption ||
    (message.type === "image" ? "Photo" : message.type === "voice" ? voiceLabel(message.file) : (message.file?.name ?? ""));
  return Array.from(text).slice(0, PREVIEW_LENGTH).join("");
}

/** "Voice message (m:ss)", the duration rounded to the nearest second; without one, "Voice message". */
export function voiceLabel(file: FileDoc | undefined): string {
  if (file?.durationMs === undefined) return "Voice message";
  const seconds = Math.round(file.durationMs / 1000);
  return `Voice message (${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")})`;
}

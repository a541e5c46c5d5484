import type { MessageDoc } from "../shared/model.js";

/**
 * The Cloud Storage objects a message holds: its file and the file's thumbnail, and its link
 * preview's image (`chats/{chatId}/link-previews/{messageId}.{jpg|png}`). What deleting the
 * message must delete.
 */
export function messageObjectPaths(message: Pick<MessageDoc, "file" | "linkPreview">): string[] {
  const { file, linkPreview } = message;
  return [
    ...(file ? [file.path] : []),
    ...(file?.thumbnail ? [file.thumbnail.path] : []),
    ...(linkPreview?.image ? [linkPreview.image.path] : []),
  ];
}

import type { DocumentSnapshot } from "firebase-admin/firestore";
import { z } from "zod";
import { messageReference, messageType, systemEvent, type FileDoc, type MessageDoc } from "../shared/model.js";
import { iso } from "../shared/time.js";

/**
 * A message's file as the API returns it: no Cloud Storage location, only the API paths
 * (relative to the API's base URL, e.g. `/v1/chats/{chatId}/messages/{number}/file`) that
 * stream it to members. `size` is in bytes, `width`/`height` in pixels (images only).
 */
export const fileView = z.object({
  name: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  downloadPath: z.string(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  thumbnail: z
    .object({ downloadPath: z.string(), contentType: z.string(), width: z.number().int(), height: z.number().int(), size: z.number().int() })
    .optional(),
});
export type FileView = z.infer<typeof fileView>;

/** A message as the API returns it. `createdAt` and `editedAt` are ISO 8601 UTC. */
export const messageView = z.object({
  id: z.string(),
  chatId: z.string(),
  number: z.number().int(),
  from: z.string().nullable(),
  type: messageType,
  text: z.string(),
  clientMessageId: z.string().nullable(),
  createdAt: z.string().nullable(),
  /** A file or image message's file; `null` for other messages and once deleted. */
  file: fileView.nullable(),
  /** A reply's quoted message, or where a forward came from; `null` otherwise. */
  reference: messageReference.nullable(),
  /** A system message's event; `null` otherwise. */
  event: systemEvent.nullable(),
  editedAt: z.string().nullable(),
  /** Deleted for everyone: text and file are gone. */
  deleted: z.boolean(),
});
export type MessageView = z.infer<typeof messageView>;

export function toMessageView(snap: DocumentSnapshot): MessageView {
  return toMessageViewOf(snap.ref.parent.parent?.id ?? "", snap.id, snap.data() as MessageDoc);
}

export function toMessageViewOf(chatId: string, id: string, message: MessageDoc): MessageView {
  return {
    id,
    chatId,
    number: message.number,
    from: message.from,
    type: message.type,
    text: message.text,
    clientMessageId: message.clientMessageId,
    createdAt: iso(message.createdAt),
    file: message.file ? toFileView(`/v1/chats/${chatId}/messages/${message.number}`, message.file) : null,
    reference: message.reference ?? null,
    event: message.event ?? null,
    editedAt: iso(message.editedAt ?? null),
    deleted: message.deleted ?? false,
  };
}

function toFileView(messagePath: string, file: FileDoc): FileView {
  const { name, contentType, size, sha256, width, height, thumbnail } = file;
  return {
    name,
    contentType,
    size,
    sha256,
    downloadPath: `${messagePath}/file`,
    ...(width === undefined ? {} : { width, height }),
    ...(thumbnail && {
      thumbnail: {
        downloadPath: `${messagePath}/thumbnail`,
        contentType: thumbnail.contentType,
        width: thumbnail.width,
        height: thumbnail.height,
        size: thumbnail.size,
      },
    }),
  };
}

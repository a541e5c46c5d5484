import type { DocumentSnapshot } from "firebase-admin/firestore";
import type { FileDoc, MessageDoc, MessageReference, MessageType, SystemEvent } from "../shared/model.js";
import { iso } from "../shared/time.js";

/** A message as the API returns it. `createdAt` is ISO 8601 UTC. */
export interface MessageView {
  id: string;
  chatId: string;
  number: number;
  from: string | null;
  type: MessageType;
  text: string;
  clientMessageId: string | null;
  createdAt: string | null;
  /** A file or image message's file; `null` for other messages and once deleted. */
  file: FileView | null;
  /** A reply's quoted message, or where a forward came from; `null` otherwise. */
  reference: MessageReference | null;
  /** A system message's event; `null` otherwise. */
  event: SystemEvent | null;
  /** When the sender last edited the text, or `null`. */
  editedAt: string | null;
  /** Deleted for everyone: text and file are gone. */
  deleted: boolean;
}

/**
 * A message's file as the API returns it: no Cloud Storage location, only the API paths
 * (relative to the API's base URL, e.g. `/v1/chats/{chatId}/messages/{number}/file`) that
 * stream it to members. `size` is in bytes, `width`/`height` in pixels (images only).
 */
export interface FileView {
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  downloadPath: string;
  width?: number;
  height?: number;
  thumbnail?: { downloadPath: string; contentType: string; width: number; height: number; size: number };
}

export function toMessageView(snap: DocumentSnapshot): MessageView {
  return messageView(snap.ref.parent.parent?.id ?? "", snap.id, snap.data() as MessageDoc);
}

export function messageView(chatId: string, id: string, message: MessageDoc): MessageView {
  return {
    id,
    chatId,
    number: message.number,
    from: message.from,
    type: message.type,
    text: message.text,
    clientMessageId: message.clientMessageId,
    createdAt: iso(message.createdAt),
    file: message.file ? fileView(`/v1/chats/${chatId}/messages/${message.number}`, message.file) : null,
    reference: message.reference ?? null,
    event: message.event ?? null,
    editedAt: iso(message.editedAt ?? null),
    deleted: message.deleted ?? false,
  };
}

function fileView(messagePath: string, file: FileDoc): FileView {
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

import type { DocumentData, Timestamp } from "firebase/firestore";
import type { ChatView, FileView, MessageView } from "./types.js";

// Firestore docs as listeners see them, turned into the API's views (the server's
// chat-view.ts and message-view.ts do the same on its side).

const iso = (value: Timestamp | null | undefined) => (value ? value.toDate().toISOString() : null);

/** A `chats/{chatId}` doc as {@link ChatView} for member `viewer`. */
export function chatFromDoc(id: string, chat: DocumentData, viewer: string): ChatView {
  const mutedUntil = chat.mutedUntil as Record<string, Timestamp | null> | undefined;
  return {
    id,
    type: chat.type,
    members: chat.members,
    messageCount: chat.messageCount,
    lastMessage: chat.lastMessage ?? null,
    lastMessageAt: iso(chat.lastMessageAt),
    unreadCount: chat.unread?.[viewer] ?? 0,
    lastRead: chat.lastRead ?? {},
    started: chat.started,
    active: chat.active,
    createdAt: iso(chat.createdAt),
    updatedAt: iso(chat.updatedAt),
    muted: mutedUntil !== undefined && viewer in mutedUntil,
    mutedUntil: iso(mutedUntil?.[viewer]),
    title: chat.title ?? null,
    host: chat.host ?? null,
    inviteCode: chat.inviteCode ?? null,
    status: chat.status ?? "active",
    completedAt: iso(chat.completedAt),
    export: chat.export
      ? { rows: chat.export.rows, bytes: chat.export.bytes, createdAt: iso(chat.export.createdAt), downloadPath: `/v1/chats/${id}/export` }
      : null,
  };
}

/** A `chats/{chatId}/messages/{id}` doc as {@link MessageView}. */
export function messageFromDoc(chatId: string, id: string, message: DocumentData): MessageView {
  const base = `/v1/chats/${chatId}/messages/${message.number}`;
  let file: FileView | null = null;
  if (message.file) {
    const { name, contentType, size, sha256, width, height, thumbnail } = message.file;
    file = {
      name,
      contentType,
      size,
      sha256,
      downloadPath: `${base}/file`,
      ...(width === undefined ? {} : { width, height }),
      ...(thumbnail && {
        thumbnail: { downloadPath: `${base}/thumbnail`, contentType: thumbnail.contentType, width: thumbnail.width, height: thumbnail.height, size: thumbnail.size },
      }),
    };
  }
  return {
    id,
    chatId,
    number: message.number,
    from: message.from,
    type: message.type,
    text: message.text,
    clientMessageId: message.clientMessageId ?? null,
    createdAt: iso(message.createdAt),
    file,
    reference: message.reference ?? null,
    event: message.event ?? null,
    editedAt: iso(message.editedAt),
    deleted: message.deleted ?? false,
  };
}

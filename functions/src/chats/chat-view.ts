import type { DocumentSnapshot } from "firebase-admin/firestore";
import type { ChatDoc, LastMessage } from "../shared/model.js";
import { iso } from "../shared/time.js";

/** A chat as the API returns it to one of its members (`viewer`). Times are ISO 8601 UTC. */
export interface ChatView {
  id: string;
  type: ChatDoc["type"];
  members: string[];
  messageCount: number;
  lastMessage: LastMessage | null;
  lastMessageAt: string | null;
  /** Messages from others the viewer has not read. */
  unreadCount: number;
  /** uid -> highest message number that member has read. */
  lastRead: Record<string, number>;
  started: boolean;
  active: boolean;
  createdAt: string | null;
  updatedAt: string | null;
  /** The viewer has muted push notifications of this chat (see `mutedUntil`). */
  muted: boolean;
  /** End of the viewer's mute, ISO 8601; `null` when not muted or muted until unmuted. */
  mutedUntil: string | null;
  /** Rooms: the title, the host's uid and the current invite code; `null` for 1:1 chats. */
  title: string | null;
  host: string | null;
  inviteCode: string | null;
  /** `completed` once ended (then read-only). */
  status: "active" | "completed";
  completedAt: string | null;
  /** The ended chat's CSV history, once written: download it from `downloadPath`. */
  export: { rows: number; bytes: number; createdAt: string | null; downloadPath: string } | null;
}

export function toChatView(snap: DocumentSnapshot, viewer: string): ChatView {
  return chatView(snap.id, snap.data() as ChatDoc, viewer);
}

export function chatView(id: string, chat: ChatDoc, viewer: string): ChatView {
  return {
    id,
    type: chat.type,
    members: chat.members,
    messageCount: chat.messageCount,
    lastMessage: chat.lastMessage,
    lastMessageAt: iso(chat.lastMessageAt),
    unreadCount: chat.unread[viewer] ?? 0,
    lastRead: chat.lastRead,
    started: chat.started,
    active: chat.active,
    createdAt: iso(chat.createdAt),
    updatedAt: iso(chat.updatedAt),
    muted: chat.mutedUntil !== undefined && viewer in chat.mutedUntil,
    mutedUntil: iso(chat.mutedUntil?.[viewer]),
    title: chat.title ?? null,
    host: chat.host ?? null,
    inviteCode: chat.inviteCode ?? null,
    status: chat.status ?? "active",
    completedAt: iso(chat.completedAt),
    export: chat.export
      ? {
          rows: chat.export.rows,
          bytes: chat.export.bytes,
          createdAt: iso(chat.export.createdAt),
          downloadPath: `/v1/chats/${id}/export`,
        }
      : null,
  };
}

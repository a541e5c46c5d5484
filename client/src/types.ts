// The shapes the Parley API answers with. Times are ISO 8601 UTC strings. They mirror the
// server's views; a compile-time test (test/client/types.test.ts) keeps the two equal.

/** Stable error codes; `ParleyError.code` is one of them. */
export type ErrorCode =
  | "invalid-argument"
  | "unauthenticated"
  | "permission-denied"
  | "not-found"
  | "already-exists"
  | "failed-precondition"
  | "aborted"
  | "payload-too-large"
  | "range-not-satisfiable"
  | "internal";

export type MessageType = "text" | "file" | "image" | "system";

export interface UserView {
  uid: string;
  displayName: string;
  email: string | null;
  photoURL: string | null;
  createdAt: string | null;
}

export interface LastMessage {
  number: number;
  from: string | null;
  type: MessageType;
  preview: string;
  deleted?: boolean;
}

export interface ChatView {
  id: string;
  type: "direct" | "room";
  members: string[];
  messageCount: number;
  lastMessage: LastMessage | null;
  lastMessageAt: string | null;
  unreadCount: number;
  lastRead: Record<string, number>;
  started: boolean;
  active: boolean;
  createdAt: string | null;
  updatedAt: string | null;
  muted: boolean;
  mutedUntil: string | null;
  title: string | null;
  host: string | null;
  inviteCode: string | null;
  status: "active" | "completed";
  completedAt: string | null;
  export: { rows: number; bytes: number; createdAt: string | null; downloadPath: string } | null;
}

export interface MessageReference {
  type: "reply" | "forward";
  chatId: string;
  number: number;
  from: string | null;
  messageType: MessageType;
  preview?: string;
  deleted?: boolean;
}

export interface SystemEvent {
  type: "member-left" | "member-joined" | "member-removed" | "chat-ended";
  uid: string | null;
}

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

export interface MessageView {
  id: string;
  chatId: string;
  number: number;
  from: string | null;
  type: MessageType;
  text: string;
  clientMessageId: string | null;
  createdAt: string | null;
  file: FileView | null;
  reference: MessageReference | null;
  event: SystemEvent | null;
  editedAt: string | null;
  deleted: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface MessagePage {
  messages: MessageView[];
  hasMore: boolean;
}

export interface ReadState {
  chatId: string;
  lastRead: number;
  unreadCount: number;
}

export interface MuteState {
  chatId: string;
  muted: boolean;
  mutedUntil: string | null;
}

export interface DeviceView {
  id: string;
  platform: "ios" | "android" | "web";
  createdAt: string;
  updatedAt: string;
}

export interface NewRoom {
  chat: ChatView;
  inviteCode: string;
  joinUri: string;
}

export interface MembershipResult {
  chatId: string;
  members: string[];
  host: string | null;
  status: "active" | "completed";
}

export interface ExternalEvent {
  notifyNewMessage: boolean;
  lastEvent: { chatId: string; number: number; at: string | null } | null;
}

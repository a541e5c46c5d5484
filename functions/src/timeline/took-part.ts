import type { ChatDoc, MemberDoc } from "../shared/model.js";

/**
 * The members of 1:1 chat `chat` who sent a message in it (`chats/{chatId}.wrote`). A chat made
 * before `wrote` was kept counts both members once it holds a message from a member (more than
 * one message, or a last message with a sender: the only system message of a 1:1 chat is its
 * end), as Parley treated every chat before.
 */
export function writersOf(chat: ChatDoc): string[] {
  if (chat.wrote) return chat.wrote;
  const hasMemberMessage = chat.messageCount > 1 || (chat.lastMessage?.from ?? null) !== null;
  return hasMemberMessage ? (chat.members ?? []) : [];
}

/** Whether `uid` has sent a message in 1:1 chat `chat` (see {@link writersOf}). */
export function wroteInChat(chat: ChatDoc, uid: string): boolean {
  return writersOf(chat).includes(uid);
}

/**
 * Whether a room member has sent a message (`chats/{roomId}/members/{uid}.wrote`), in room
 * `room`. A room made before writers were kept (`wroteTracked` absent) counts every member, as
 * Parley treated every room before.
 */
export function wroteInRoom(room: ChatDoc, member: MemberDoc | undefined): boolean {
  return member !== undefined && (room.wroteTracked !== true || member.wrote === true);
}

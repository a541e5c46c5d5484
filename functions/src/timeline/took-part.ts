import type { ChatDoc, MemberDoc } from "../shared/model.js";

/**
 * Whether `uid` has sent a message in 1:1 chat `chat` (`chats/{chatId}.wrote`). A chat made
 * before `wrote` was kept counts both members as having written once it has a message, as
 * Parley treated every chat before.
 */
export function wroteInChat(chat: ChatDoc, uid: string): boolean {
  return chat.wrote ? chat.wrote.includes(uid) : chat.started === true;
}

/** Whether the room member of `member` (their `chats/{roomId}/members/{uid}`) has sent a message. */
export function wroteInRoom(member: MemberDoc | undefined): boolean {
  return member?.wrote === true;
}

import { randomBytes } from "node:crypto";
import { AppError } from "../shared/errors.js";
import type { ChatDoc } from "../shared/model.js";

/** Bytes of randomness in an invite code: 128 bits, over the 96 a guess must beat. */
const INVITE_CODE_BYTES = 16;

/** A new unguessable invite code, URL-safe (base64url, 22 characters). */
export function newInviteCode(): string {
  return randomBytes(INVITE_CODE_BYTES).toString("base64url");
}

/**
 * `chat` (chat `chatId` as read, if it exists) when `uid` is the host of that room.
 * @throws AppError `not-found` (no chat, or not a room), `permission-denied` (not the host).
 */
export function requireHost(chat: ChatDoc | undefined, chatId: string, uid: string): ChatDoc {
  const room = requireRoom(chat, chatId);
  if (room.host !== uid) throw new AppError("permission-denied", "Only the room's host can do this.");
  return room;
}

/** @throws AppError `not-found` when `chat` is not an existing room. */
export function requireRoom(chat: ChatDoc | undefined, chatId: string): ChatDoc {
  if (!chat || chat.type !== "room") throw new AppError("not-found", `Room ${chatId} does not exist.`);
  return chat;
}

/** @throws AppError `failed-precondition` when the chat has ended. */
export function requireOpen(chat: ChatDoc): void {
  if (chat.status === "completed" || !chat.active) {
    throw new AppError("failed-precondition", "This chat has ended.");
  }
}

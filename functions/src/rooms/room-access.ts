import { randomBytes } from "node:crypto";
import type { DocumentSnapshot } from "firebase-admin/firestore";
import { AppError } from "../shared/errors.js";
import { chatNotFound } from "../timeline/chat-access.js";
import type { ChatDoc } from "../shared/model.js";

/** Bytes of randomness in an invite code: 128 bits, over the 96 a guess must beat. */
const INVITE_CODE_BYTES = 16;

/** A new unguessable invite code, URL-safe (base64url, 22 characters). */
export function newInviteCode(): string {
  return randomBytes(INVITE_CODE_BYTES).toString("base64url");
}

/** Who asks for a host's power: the uid, and whether they are a moderator (custom claim). */
export interface RoomActor {
  uid: string;
  moderator?: boolean;
}

/**
 * `chat` (as read, if it exists) when `actor` is the host of that room or a moderator.
 * `actorMember` is the actor's own member doc: a member who is not the host gets 403, anyone
 * else the same 404 as for no room, so a room's existence shows only to its members.
 * @throws AppError `not-found` (no room, or not a member), `permission-denied` (a member, not the host).
 */
export function requireHost(chat: ChatDoc | undefined, actor: RoomActor, actorMember: DocumentSnapshot | undefined): ChatDoc {
  const room = requireRoom(chat);
  if (room.host === actor.uid || actor.moderator) return room;
  if (!actorMember?.exists) throw chatNotFound();
  throw new AppError("permission-denied", "Only the room's host can do this.");
}

/** @throws AppError `not-found` ({@link chatNotFound}) when `chat` is not an existing room. */
export function requireRoom(chat: ChatDoc | undefined): ChatDoc {
  if (!chat || chat.type !== "room") throw chatNotFound();
  return chat;
}

/** @throws AppError `failed-precondition` when the chat has ended. */
export function requireOpen(chat: ChatDoc): void {
  if (chat.status === "ended") {
    throw new AppError("failed-precondition", "This chat has ended.");
  }
}

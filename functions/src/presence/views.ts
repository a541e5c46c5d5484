import { z } from "zod";
import type { PresenceDoc } from "../shared/docs.js";
import { iso } from "../shared/time.js";

/**
 * The answer to a typing call: `written` says whether this call wrote the indicator (at most
 * one write per user and chat every 3 s; a throttled call changes nothing).
 */
export const typingState = z.object({ chatId: z.string(), typing: z.boolean(), written: z.boolean() });
export type TypingState = z.infer<typeof typingState>;

/** A user's presence: online now, and when they were last seen (ISO 8601 UTC; `null`: never). */
export const presenceView = z.object({ uid: z.string(), online: z.boolean(), lastSeen: z.string().nullable() });
export type PresenceView = z.infer<typeof presenceView>;

/** The answer to a heartbeat: the caller's presence, and when to send the next one (seconds). */
export const heartbeatState = presenceView.extend({ written: z.boolean(), nextHeartbeatSeconds: z.number().int() });
export type HeartbeatState = z.infer<typeof heartbeatState>;

/** The presence of a chat's members, a page at a time (rooms); `nextCursor` as `listRoomMembers`. */
export const chatPresence = z.object({ chatId: z.string(), members: z.array(presenceView), nextCursor: z.string().nullable() });
export type ChatPresence = z.infer<typeof chatPresence>;

/** `presence/{uid}` (either SDK's; `undefined`: never seen) as {@link PresenceView} at `nowMs`. */
export function toPresenceView(uid: string, presence: PresenceDoc | undefined, nowMs: number): PresenceView {
  return {
    uid,
    online: presence !== undefined && presence.online && presence.onlineUntil.toDate().getTime() > nowMs,
    lastSeen: iso(presence?.lastSeen ?? null),
  };
}

/**
 * A user's privacy settings: who sees their presence (`contacts`: who shares a chat with them),
 * and read receipts (`false`: they send no "seen" and see no one's, as in WhatsApp).
 */
export const privacySettings = z.object({ presence: z.enum(["contacts", "nobody"]), readReceipts: z.boolean() });
export type PrivacySettings = z.infer<typeof privacySettings>;

import { z } from "zod";
import type { PresenceDoc } from "../shared/docs.js";
import { iso } from "../shared/time.js";

/**
 * The answer to a typing call: `written` says whether this call wrote the indicator (at most
 * one write per user and chat every 3 s; a throttled call changes nothing).
 */
export const typingState = z
  .object({
    chatId: z.string().meta({ description: "The chat" }),
    typing: z.boolean().meta({ description: "What the call said: typing, or stopped" }),
    written: z.boolean().meta({ description: "This call wrote the indicator (`false`: throttled, nothing changed)" }),
  })
  .meta({ id: "TypingState", description: "The answer to a typing call" });
export type TypingState = z.infer<typeof typingState>;

/** A user's presence: online now, and when they were last seen (ISO 8601 UTC; `null`: never). */
export const presenceView = z
  .object({
    uid: z.string().meta({ description: "The user" }),
    online: z.boolean().meta({ description: "Online now (a heartbeat within the last 90 s, and not signed off)" }),
    lastSeen: z.string().nullable().meta({ description: "When they were last seen (ISO 8601 UTC); `null`: never, or hidden" }),
  })
  .meta({ id: "Presence", description: "A user's presence" });
export type PresenceView = z.infer<typeof presenceView>;

/** The answer to a heartbeat: the caller's presence, and when to send the next one (seconds). */
export const heartbeatState = presenceView
  .extend({
    written: z
      .boolean()
      .meta({ description: "This call wrote the presence doc (`false`: the same state was written under 30 s ago)" }),
    nextHeartbeatSeconds: z.number().int().meta({ description: "When to send the next heartbeat, in seconds" }),
  })
  .meta({ id: "HeartbeatState", description: "The caller's presence after a heartbeat" });
export type HeartbeatState = z.infer<typeof heartbeatState>;

/** The presence of a chat's members, a page at a time (rooms); `nextCursor` as `listRoomMembers`. */
export const chatPresence = z
  .object({
    chatId: z.string().meta({ description: "The chat" }),
    members: z.array(presenceView).meta({ description: "The members' presence, by uid (a hidden one shows as never seen)" }),
    nextCursor: z.string().nullable().meta({ description: "Rooms: pass it as `cursor` for the next page; `null` on the last" }),
  })
  .meta({ id: "ChatPresence", description: "The presence of a chat's members" });
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
export const privacySettings = z
  .object({
    presence: z
      .enum(["contacts", "nobody"])
      .meta({ description: "Who sees the user's presence: `contacts` (who shares a chat with them) or `nobody`" }),
    readReceipts: z.boolean().meta({ description: '`false`: they send no "seen" and see no one\'s' }),
  })
  .meta({ id: "PrivacySettings", description: "A user's privacy settings" });
export type PrivacySettings = z.infer<typeof privacySettings>;

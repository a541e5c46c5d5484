import { z } from "zod";
import { chatView } from "../chats/views.js";

/** A room as its host gets it on creation, with the invite to share. */
export const newRoom = z.object({
  chat: chatView,
  inviteCode: z.string(),
  /** The web app's join link for the code (`APP_URL/join/{code}`). */
  joinUri: z.string(),
});
export type NewRoom = z.infer<typeof newRoom>;

/** What a room looks like after someone left or was removed. */
export const membershipResult = z.object({
  chatId: z.string(),
  memberCount: z.number().int(),
  host: z.string().nullable(),
  status: z.enum(["active", "completed"]),
});
export type MembershipResult = z.infer<typeof membershipResult>;

/** A room's current invite: its code and the web app's join link for it. */
export const roomInvite = z.object({ chatId: z.string(), inviteCode: z.string(), joinUri: z.string() });
export type RoomInvite = z.infer<typeof roomInvite>;

/** A room after a join; `joined` is `false` when the caller was a member already. */
export const joinedRoom = z.object({ chat: chatView, joined: z.boolean() });
export type JoinedRoom = z.infer<typeof joinedRoom>;

/** A member of a room, as other members see them: no e-mail address. */
export const memberView = z.object({ uid: z.string(), displayName: z.string(), host: z.boolean() });
export type MemberView = z.infer<typeof memberView>;

/** A page of a room's members, by uid, and the cursor of the next page (`null` on the last). */
export const memberPage = z.object({ members: z.array(memberView), nextCursor: z.string().nullable() });
export type MemberPage = z.infer<typeof memberPage>;

/** A user banned from a room (removed by its host or a moderator). `bannedAt` is ISO 8601 UTC. */
export const banView = z.object({ uid: z.string(), displayName: z.string(), bannedBy: z.string(), bannedAt: z.string() });
export type BanView = z.infer<typeof banView>;

/** A page of a room's bans, by uid, and the cursor of the next page (`null` on the last). */
export const banPage = z.object({ bans: z.array(banView), nextCursor: z.string().nullable() });
export type BanPage = z.infer<typeof banPage>;

/** A ban lifted: the user may join again with a valid invite. */
export const unbanned = z.object({ chatId: z.string(), uid: z.string(), banned: z.literal(false) });
export type Unbanned = z.infer<typeof unbanned>;

import { z } from "zod";
import { chatView } from "../chats/views.js";

/** A room as its host gets it on creation, with the invite to share. */
export const newRoom = z
  .object({
    chat: chatView,
    inviteCode: z.string().meta({ description: "The code others join with (`POST /v1/rooms/join`)" }),
    joinUri: z.string().meta({ description: "The web app's join link for the code (`APP_URL/join/{code}`)" }),
  })
  .meta({ id: "NewRoom", description: "A room as its host gets it on creation, with the invite to share" });
export type NewRoom = z.infer<typeof newRoom>;

/** What a room looks like after someone left or was removed. */
export const membershipResult = z
  .object({
    chatId: z.string().meta({ description: "The room" }),
    memberCount: z.number().int().meta({ description: "How many members it has now" }),
    host: z.string().nullable().meta({ description: "Its host now (a leaving host hands over to a member); `null` once empty" }),
    status: z.enum(["active", "ended"]).meta({ description: "`ended` once the room ended (its last member left)" }),
  })
  .meta({ id: "MembershipResult", description: "A room after someone left or was removed" });
export type MembershipResult = z.infer<typeof membershipResult>;

/** A room's current invite: its code and the web app's join link for it. */
export const roomInvite = z
  .object({
    chatId: z.string().meta({ description: "The room" }),
    inviteCode: z.string().meta({ description: "The new code; the old one no longer joins" }),
    joinUri: z.string().meta({ description: "The web app's join link for the code (`APP_URL/join/{code}`)" }),
  })
  .meta({ id: "RoomInvite", description: "A room's current invite" });
export type RoomInvite = z.infer<typeof roomInvite>;

/** A room after a join; `joined` is `false` when the caller was a member already. */
export const joinedRoom = z
  .object({
    chat: chatView,
    joined: z.boolean().meta({ description: "`false` when the caller was a member already" }),
  })
  .meta({ id: "JoinedRoom", description: "A room after a join" });
export type JoinedRoom = z.infer<typeof joinedRoom>;

/** A member of a room, as other members see them: no e-mail address. */
export const memberView = z
  .object({
    uid: z.string().meta({ description: "The member's uid" }),
    displayName: z.string().meta({ description: "Their display name" }),
    host: z.boolean().meta({ description: "They are the room's host" }),
  })
  .meta({ id: "Member", description: "A member of a room, as other members see them: no e-mail address" });
export type MemberView = z.infer<typeof memberView>;

/** A page of a room's members, by uid, and the cursor of the next page (`null` on the last). */
export const memberPage = z
  .object({
    members: z.array(memberView).meta({ description: "The members, by uid" }),
    nextCursor: z.string().nullable().meta({ description: "Pass it as `cursor` for the next page; `null` on the last" }),
  })
  .meta({ id: "MemberPage", description: "A page of a room's members" });
export type MemberPage = z.infer<typeof memberPage>;

/** A user banned from a room (removed by its host or a moderator). `bannedAt` is ISO 8601 UTC. */
export const banView = z
  .object({
    uid: z.string().meta({ description: "The banned user" }),
    displayName: z.string().meta({ description: "Their display name" }),
    bannedBy: z.string().meta({ description: "Who removed them: the host or a moderator (uid)" }),
    bannedAt: z.string().meta({ description: "When (ISO 8601 UTC)" }),
  })
  .meta({ id: "Ban", description: "A user banned from a room" });
export type BanView = z.infer<typeof banView>;

/** A page of a room's bans, by uid, and the cursor of the next page (`null` on the last). */
export const banPage = z
  .object({
    bans: z.array(banView).meta({ description: "The bans, by uid" }),
    nextCursor: z.string().nullable().meta({ description: "Pass it as `cursor` for the next page; `null` on the last" }),
  })
  .meta({ id: "BanPage", description: "A page of a room's bans" });
export type BanPage = z.infer<typeof banPage>;

/** A ban lifted: the user may join again with a valid invite. */
export const unbanned = z
  .object({
    chatId: z.string().meta({ description: "The room" }),
    uid: z.string().meta({ description: "The user who may join again" }),
    banned: z.literal(false).meta({ description: "Always `false`" }),
  })
  .meta({ id: "Unbanned", description: "A ban lifted" });
export type Unbanned = z.infer<typeof unbanned>;

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
  members: z.array(z.string()),
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

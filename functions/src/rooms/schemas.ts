import { z } from "zod";
import { cleanDisplayText } from "../shared/display-text.js";
import { chatDocId, uid } from "../shared/schemas.js";

/** `POST /v1/rooms` and the `createRoom` callable. */
export const createRoomBody = z
  .strictObject({
    title: z
      .string()
      .max(100, "must be at most 100 characters")
      .refine((title) => cleanDisplayText(title).length > 0, { message: "must not be empty" })
      .meta({ description: "The room's title: 1-100 characters, cleaned as display names are" }),
  })
  .meta({ id: "CreateRoomBody", description: "A new room" });
export type CreateRoomBody = z.infer<typeof createRoomBody>;

/** An invite code as handed out (base64url, 22 characters for 128 bits). */
const inviteCode = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "is not an invite code");

/** `POST /v1/rooms/join` and the `joinRoom` callable. */
export const joinRoomBody = z
  .strictObject({ inviteCode: inviteCode.meta({ description: "The room's current invite code" }) })
  .meta({ id: "JoinRoomBody", description: "The invite to join with" });

/** Path parameter `{chatId}` of a room. */
export const roomIdParam = z.strictObject({ chatId: chatDocId.meta({ description: "The room's id" }) });

/** `DELETE /v1/rooms/{chatId}/members/{uid}` and the `removeRoomMember` callable. */
export const roomMemberParams = z.strictObject({
  chatId: chatDocId.meta({ description: "The room's id" }),
  uid: uid.meta({ description: "The member's uid" }),
});

import { z } from "zod";
import { cleanDisplayText } from "../shared/display-text.js";
import { pageInput, uid } from "../shared/schemas.js";

/** `GET /v1/users?limit&cursor&q` and the `listUsers` callable: `q` is a display-name prefix. */
export const listUsersQuery = pageInput.extend({
  q: z
    .string()
    .min(1, "must not be empty")
    .max(100, "must be at most 100 characters")
    .optional()
    .meta({ description: "Only the users whose display name starts with this" }),
});
export type ListUsersQuery = z.infer<typeof listUsersQuery>;

/** `POST /v1/blocks` and the `blockUser` callable: the user to block. */
export const blockUserBody = z
  .strictObject({ uid: uid.meta({ description: "The user to block" }) })
  .meta({ id: "BlockUserBody", description: "Whom to block" });
export type BlockUserBody = z.infer<typeof blockUserBody>;

/** `DELETE /v1/blocks/{uid}` and the `unblockUser` callable. */
export const blockedUidParam = z.strictObject({ uid: uid.meta({ description: "The blocked user's uid" }) });

/** `POST /v1/users/{uid}/mute` and `/unmute`, and the `muteUser` and `unmuteUser` callables. */
export const mutedUidParam = z.strictObject({ uid: uid.meta({ description: "The user to mute or unmute" }) });

/**
 * `GET /v1/blocks?limit&cursor` and the `listBlocks` callable: the cursor is a blocked uid,
 * which the listing joins to the caller's (`blocks/{caller}_{cursor}`), so it is bounded as one.
 */
export const listBlocksQuery = pageInput.extend({
  cursor: uid.optional().meta({ description: "The previous page's `nextCursor`; left out for the first page" }),
});

/**
 * `PATCH /v1/me` and the `updateProfile` callable: a new display name (cleaned as
 * `cleanDisplayText` does: NFC, no control, bidi or zero-width characters, whitespace runs made
 * one space; 1-100 characters after that) and/or photo URL (`null` removes it).
 */
export const updateProfileBody = z
  .strictObject({
    displayName: z
      .string()
      .max(400, "must be at most 100 characters")
      .refine((name) => cleanDisplayText(name).length > 0, { message: "must not be empty" })
      .refine((name) => Array.from(cleanDisplayText(name)).length <= 100, { message: "must be at most 100 characters" })
      .optional()
      .meta({
        description:
          "Your new display name: 1-100 characters once cleaned (NFC; no control, bidi or zero-width characters; one space per run)",
      }),
    photoURL: z
      .url({ protocol: /^https$/, error: "must be an https URL" })
      .max(2048)
      .nullable()
      .optional()
      .meta({ description: "Your photo's https URL (at most 2,048 characters); `null` removes it" }),
  })
  .refine((body) => body.displayName !== undefined || body.photoURL !== undefined, {
    message: "send displayName, photoURL or both",
  })
  .meta({ id: "UpdateProfileBody", description: "What to change of your profile: at least one field" });
export type UpdateProfileBody = z.infer<typeof updateProfileBody>;

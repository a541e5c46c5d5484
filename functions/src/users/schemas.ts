import { z } from "zod";
import { cleanDisplayText } from "../shared/display-text.js";
import { pageInput, uid } from "../shared/schemas.js";

/** `GET /v1/users?limit&cursor&q` and the `listUsers` callable: `q` is a display-name prefix. */
export const listUsersQuery = pageInput.extend({
  q: z.string().min(1, "must not be empty").max(100, "must be at most 100 characters").optional(),
});
export type ListUsersQuery = z.infer<typeof listUsersQuery>;

/** `POST /v1/blocks` and the `blockUser` callable: the user to block. */
export const blockUserBody = z.strictObject({ uid });
export type BlockUserBody = z.infer<typeof blockUserBody>;

/** `DELETE /v1/blocks/{uid}` and the `unblockUser` callable. */
export const blockedUidParam = z.strictObject({ uid });

/**
 * `GET /v1/blocks?limit&cursor` and the `listBlocks` callable: the cursor is a blocked uid,
 * which the listing joins to the caller's (`blocks/{caller}_{cursor}`), so it is bounded as one.
 */
export const listBlocksQuery = pageInput.extend({ cursor: uid.optional() });

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
      .optional(),
    photoURL: z
      .url({ protocol: /^https$/, error: "must be an https URL" })
      .max(2048)
      .nullable()
      .optional(),
  })
  .refine((body) => body.displayName !== undefined || body.photoURL !== undefined, {
    message: "send displayName, photoURL or both",
  });
export type UpdateProfileBody = z.infer<typeof updateProfileBody>;

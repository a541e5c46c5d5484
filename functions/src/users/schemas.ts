import { z } from "zod";
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

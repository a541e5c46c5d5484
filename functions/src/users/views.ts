import { z } from "zod";
import type { SnapshotLike, UserDoc } from "../shared/docs.js";
import { iso } from "../shared/time.js";

/**
 * A user as the API returns it. `email` is the caller's own address on their own entry and
 * `null` on everyone else's: no user's address reaches another user. `createdAt` is ISO 8601 UTC.
 */
export const userView = z.object({
  uid: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  photoURL: z.string().nullable(),
  createdAt: z.string().nullable(),
});
export type UserView = z.infer<typeof userView>;

/** `users/{uid}` as {@link UserView} for `viewer` (their own e-mail shows on their own entry). */
export function toUserView(snap: SnapshotLike<UserDoc>, viewer: { uid: string; email?: string }): UserView {
  const user = snap.data();
  return {
    uid: snap.id,
    displayName: user.displayName,
    email: snap.id === viewer.uid ? (viewer.email ?? null) : null,
    photoURL: user.photoURL,
    createdAt: iso(user.createdAt),
  };
}

/** A page of users and the cursor of the next one (`null` on the last page). */
export const userPage = z.object({ users: z.array(userView), nextCursor: z.string().nullable() });

/** A user the caller blocked. `createdAt` is ISO 8601 UTC. */
export const blockView = z.object({ uid: z.string(), displayName: z.string(), createdAt: z.string() });
export type BlockView = z.infer<typeof blockView>;

/** A page of the caller's blocks, by blocked uid, and the cursor of the next one. */
export const blockPage = z.object({ blocks: z.array(blockView), nextCursor: z.string().nullable() });
export type BlockPage = z.infer<typeof blockPage>;

/** A block lifted. */
export const unblocked = z.object({ uid: z.string(), blocked: z.literal(false) });

/** The answer of `registerEmail`: the caller's verified address now finds them (`?with=`). */
export const emailRegistered = z.object({ findable: z.literal(true) });
export type Unblocked = z.infer<typeof unblocked>;

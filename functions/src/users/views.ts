import { z } from "zod";
import type { SnapshotLike, UserDoc } from "../shared/docs.js";
import { iso } from "../shared/time.js";

/**
 * A user as the API returns it. `email` is the caller's own address on their own entry and
 * `null` on everyone else's: no user's address reaches another user. `createdAt` is ISO 8601 UTC.
 */
export const userView = z
  .object({
    uid: z.string().meta({ description: "The user's Firebase Auth uid" }),
    displayName: z.string().meta({ description: "Their display name (1-100 characters, cleaned)" }),
    email: z.string().nullable().meta({ description: "The caller's own address on their own entry; `null` on everyone else's" }),
    photoURL: z.string().nullable().meta({ description: "Their photo's https URL; `null` for none" }),
    createdAt: z.string().nullable().meta({ description: "When their account was created (ISO 8601 UTC, to the second)" }),
  })
  .meta({ id: "User", description: "A user's public profile" });
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
export const userPage = z
  .object({
    users: z.array(userView).meta({ description: "The users, by display name" }),
    nextCursor: z.string().nullable().meta({ description: "Pass it as `cursor` for the next page; `null` on the last" }),
  })
  .meta({ id: "UserPage", description: "A page of the user directory" });

/** A user the caller blocked. `createdAt` is ISO 8601 UTC. */
export const blockView = z
  .object({
    uid: z.string().meta({ description: "The blocked user" }),
    displayName: z.string().meta({ description: "Their display name" }),
    createdAt: z.string().meta({ description: "When the caller blocked them (ISO 8601 UTC)" }),
  })
  .meta({ id: "Block", description: "A user the caller blocked" });
export type BlockView = z.infer<typeof blockView>;

/** A page of the caller's blocks, by blocked uid, and the cursor of the next one. */
export const blockPage = z
  .object({
    blocks: z.array(blockView).meta({ description: "The caller's blocks, by blocked uid" }),
    nextCursor: z.string().nullable().meta({ description: "Pass it as `cursor` for the next page; `null` on the last" }),
  })
  .meta({ id: "BlockPage", description: "A page of the caller's blocks" });
export type BlockPage = z.infer<typeof blockPage>;

/** A block lifted. */
export const unblocked = z
  .object({
    uid: z.string().meta({ description: "The user no longer blocked" }),
    blocked: z.literal(false).meta({ description: "Always `false`" }),
  })
  .meta({ id: "Unblocked", description: "A block lifted" });

/** The answer of `registerEmail`: the caller's verified address now finds them (`?with=`). */
export const emailRegistered = z
  .object({ findable: z.literal(true).meta({ description: "Always `true`: `?with=` finds the caller by their address" }) })
  .meta({ id: "EmailRegistered", description: "The caller's verified address now finds them" });
export type Unblocked = z.infer<typeof unblocked>;

/** Whether the caller mutes a user after a mute or unmute. `mutedAt` is ISO 8601 UTC. */
export const userMute = z
  .object({
    uid: z.string().meta({ description: "The user" }),
    muted: z.boolean().meta({ description: "`true`: their messages in rooms push nothing to the caller" }),
    mutedAt: z.string().nullable().meta({ description: "When the caller muted them (ISO 8601 UTC); `null` when not muted" }),
  })
  .meta({ id: "UserMute", description: "Whether the caller mutes a user" });
export type UserMute = z.infer<typeof userMute>;

/** The users the caller muted, newest mute first. */
export const mutedUsers = z
  .object({
    mutedUsers: z
      .array(
        z.object({
          uid: z.string().meta({ description: "A muted user" }),
          displayName: z.string().meta({ description: "Their display name" }),
          mutedAt: z.string().meta({ description: "When the caller muted them (ISO 8601 UTC)" }),
        }),
      )
      .meta({ description: "The users the caller muted, newest first (at most 100)" }),
  })
  .meta({ id: "MutedUsers", description: "The users the caller muted" });
export type MutedUsers = z.infer<typeof mutedUsers>;

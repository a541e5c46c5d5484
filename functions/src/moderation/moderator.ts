import { AppError } from "../shared/errors.js";

/**
 * Requires the custom claim `moderator: true` on the caller's ID token (set with the Admin SDK:
 * `setCustomUserClaims(uid, { moderator: true })`; it shows in the next token).
 * @throws AppError `permission-denied` for anyone else.
 */
export function requireModerator(caller: { moderator?: boolean }): void {
  if (!caller.moderator) throw new AppError("permission-denied", "Only moderators can do this.");
}

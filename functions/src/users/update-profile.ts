import type { Firestore } from "firebase-admin/firestore";
import { cleanDisplayText } from "../shared/display-text.js";
import { existing, refs } from "../shared/model.js";
import { ensureProfile } from "./ensure-profile.js";
import type { FindAuthUser } from "./find-auth-user.js";
import type { UpdateProfileBody } from "./schemas.js";
import { toUserView, type UserView } from "./views.js";

/**
 * `updateProfile`: sets the caller's `displayName` (cleaned with {@link cleanDisplayText}, the
 * same cleaning every name Parley makes gets) and/or `photoURL` on `users/{uid}`. Profiles are
 * written by the server only (the rules deny clients), so no profile holds a name the server
 * would refuse: whitespace only, zero-width or bidi characters, text not in NFC.
 * Reads `users/{uid}` (made from Auth first when missing, see {@link ensureProfile}); writes it.
 * @returns the caller's profile as the directory shows it to them.
 */
export async function updateProfile(
  db: Firestore,
  caller: { uid: string; now: Date; email?: string },
  input: UpdateProfileBody,
  findUser: FindAuthUser,
): Promise<UserView> {
  await ensureProfile(db, { now: caller.now, uid: caller.uid, findUser });
  const ref = refs.user(db, caller.uid);
  await ref.update({
    ...(input.displayName !== undefined && { displayName: cleanDisplayText(input.displayName) }),
    ...(input.photoURL !== undefined && { photoURL: input.photoURL }),
  });
  return toUserView(existing(await ref.get()), caller);
}

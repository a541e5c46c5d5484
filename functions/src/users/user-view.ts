import type { DocumentSnapshot } from "firebase-admin/firestore";
import { z } from "zod";
import type { UserDoc } from "../shared/model.js";
import { iso } from "../shared/time.js";

/** A user as the API returns it. `createdAt` is ISO 8601 UTC. */
export const userView = z.object({
  uid: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  photoURL: z.string().nullable(),
  createdAt: z.string().nullable(),
});
export type UserView = z.infer<typeof userView>;

export function toUserView(snap: DocumentSnapshot): UserView {
  const user = snap.data() as UserDoc;
  return {
    uid: snap.id,
    displayName: user.displayName,
    email: user.email,
    photoURL: user.photoURL,
    createdAt: iso(user.createdAt),
  };
}

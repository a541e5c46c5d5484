import type { DocumentSnapshot } from "firebase-admin/firestore";
import type { UserDoc } from "../shared/model.js";
import { iso } from "../shared/time.js";

/** A user as the API returns it. */
export interface UserView {
  uid: string;
  displayName: string;
  email: string | null;
  photoURL: string | null;
  createdAt: string | null;
}

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

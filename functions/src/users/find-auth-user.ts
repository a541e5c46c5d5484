import type { Auth } from "firebase-admin/auth";
import type { NewAuthUser } from "./create-user-profile.js";

/** The Auth record of `uid`, or `null` when Auth has no such user. */
export async function findAuthUser(auth: Auth, uid: string): Promise<NewAuthUser | null> {
  try {
    const user = await auth.getUser(uid);
    return { uid: user.uid, email: user.email, displayName: user.displayName, photoURL: user.photoURL };
  } catch (error) {
    if ((error as { code?: unknown }).code === "auth/user-not-found") return null;
    throw error;
  }
}

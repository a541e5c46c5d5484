import type { Firestore } from "firebase-admin/firestore";
import { collections, refs } from "../shared/model.js";
import type { Page } from "../shared/schemas.js";
import type { ListUsersQuery } from "./schemas.js";
import { paginate } from "../shared/paginate.js";
import { toUserView, type UserView } from "./views.js";

/** Default page size of the user directory. */
export const USERS_PAGE_SIZE = 50;

/**
 * The user directory, ordered by display name; with `q`, only names starting with it
 * (case-sensitive, as Firestore compares strings). Reads `users/*`; e-mail addresses are not
 * there, and only the viewer's own shows (from their ID token).
 * @throws AppError `invalid-argument` for a cursor that is not a user id.
 */
export async function listUsers(
  db: Firestore,
  viewer: { uid: string; email?: string },
  input: ListUsersQuery,
): Promise<Page<UserView>> {
  let query = db.collection(collections.users).orderBy("displayName");
  if (input.q !== undefined) query = query.where("displayName", ">=", input.q).where("displayName", "<", `${input.q}\uf8ff`);
  const cursorRef = input.cursor === undefined ? undefined : refs.user(db, input.cursor);
  return paginate(
    query,
    input.limit ?? USERS_PAGE_SIZE,
    cursorRef,
    () => true,
    (snap) => toUserView(snap, viewer),
  );
}

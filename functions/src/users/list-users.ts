import type { Firestore } from "firebase-admin/firestore";
import { collections, refs } from "../shared/model.js";
import type { Page, PageInput } from "../shared/schemas.js";
import { paginate } from "../shared/paginate.js";
import { toUserView, type UserView } from "./user-view.js";

/** Default page size of the user directory. */
export const USERS_PAGE_SIZE = 50;

/**
 * The user directory, ordered by display name. Reads `users/*`.
 * @throws AppError `invalid-argument` for a cursor that is not a user id.
 */
export async function listUsers(db: Firestore, input: PageInput): Promise<Page<UserView>> {
  const query = db.collection(collections.users).orderBy("displayName");
  const cursorRef = input.cursor === undefined ? undefined : refs.user(db, input.cursor);
  return paginate(query, input.limit ?? USERS_PAGE_SIZE, cursorRef, () => true, toUserView);
}

import type { Firestore } from "firebase-admin/firestore";
import { refs } from "../shared/model.js";
import type { Page } from "../shared/schemas.js";
import type { ListUsersQuery } from "./schemas.js";
import { paginate } from "../shared/paginate.js";
import { toUserView, type UserView } from "./views.js";
import { ensureProfile } from "./ensure-profile.js";
import type { FindAuthUser } from "./find-auth-user.js";

/** Default page size of the user directory. */
export const USERS_PAGE_SIZE = 50;

/** Which page of the directory {@link listUsers} lists, for whom, and when. */
export interface ListUsersOptions {
  /** The request's time: when a missing profile of the viewer's is made. */
  now: Date;
  /** Who looks: their uid, and their own e-mail address (from the ID token), shown only to them. */
  viewer: { uid: string; email?: string };
  /** The page: `q`, `limit`, `cursor`. */
  input: ListUsersQuery;
  /** Makes the viewer's missing profile from Firebase Auth. */
  findUser: FindAuthUser;
}

/**
 * The user directory, ordered by display name; with `q`, only names starting with it
 * (case-sensitive, as Firestore compares strings). Reads `users/*`; e-mail addresses are not
 * there, and only the viewer's own shows (from their ID token).
 * A first page (no cursor) also makes sure the viewer is in the directory: it reads
 * `users/{viewer}` alongside the page (+1 read) and, when it is missing, makes it from Auth
 * (`findUser`, `ensure-profile.ts`: one lookup and one batch) and runs the page again.
 * @throws AppError `invalid-argument` for a cursor that is not a user id.
 */
export async function listUsers(db: Firestore, options: ListUsersOptions): Promise<Page<UserView>> {
  const { now, viewer, input, findUser } = options;
  let query = refs.users(db).orderBy("displayName");
  if (input.q !== undefined) query = query.where("displayName", ">=", input.q).where("displayName", "<", `${input.q}\uf8ff`);
  const cursorRef = input.cursor === undefined ? undefined : refs.user(db, input.cursor);
  const page = () =>
    paginate(query, {
      limit: input.limit ?? USERS_PAGE_SIZE,
      cursorRef,
      accepts: () => true,
      view: (snap) => toUserView(snap, viewer),
    });
  if (cursorRef) return page();
  const [own, first] = await Promise.all([ensureProfile(db, { now, uid: viewer.uid, findUser }), page()]);
  return own?.repaired ? page() : first;
}

import { authedCallable } from "../api/callable.js";
import { db } from "../shared/firebase.js";
import { listUsersQuery } from "./schemas.js";
import { listUsers as listUsersPage } from "./list-users.js";

/** Callable `listUsers({limit?, cursor?, q?})` → `{users, nextCursor}`, as `GET /v1/users`. */
export const listUsers = authedCallable("listUsers", listUsersQuery, async (_uid, input) => {
  const page = await listUsersPage(db(), input);
  return { users: page.items, nextCursor: page.nextCursor };
});

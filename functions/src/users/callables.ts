import { authedCallable } from "../api/callable.js";
import { db } from "../shared/firebase.js";
import { pageInput } from "../shared/schemas.js";
import { listUsers as listUsersPage } from "./list-users.js";

/** Callable `listUsers({limit?, cursor?})` → `{users, nextCursor}`, as `GET /v1/users`. */
export const listUsers = authedCallable("listUsers", pageInput, async (_uid, input) => {
  const page = await listUsersPage(db(), input);
  return { users: page.items, nextCursor: page.nextCursor };
});

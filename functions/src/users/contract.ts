import { defineOperations } from "../shared/operation.js";
import { listUsersQuery } from "./schemas.js";
import { userPage } from "./views.js";

/** The user directory's operations. */
export const usersContract = defineOperations({
  listUsers: {
    method: "get",
    path: "/users",
    tag: "Users",
    summary: "List users by display name; `q` matches a name prefix",
    query: listUsersQuery,
    responses: { 200: { description: "A page of users", schema: userPage } },
    errors: [],
  },
});

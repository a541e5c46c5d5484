import type { Implementations } from "../shared/handler.js";
import { db } from "../shared/firebase.js";
import type { usersContract } from "./contract.js";
import { listUsers } from "./list-users.js";

/** The handlers of {@link usersContract}. */
export const usersOperations: Implementations<typeof usersContract> = {
  listUsers: {
    run: async (caller, query) => {
      const page = await listUsers(db(), caller, query);
      return { status: 200, body: { users: page.items, nextCursor: page.nextCursor } };
    },
  },
};

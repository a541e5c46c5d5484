import { config } from "../config.js";
import { logs } from "../logs.js";
import { auth, db } from "../shared/firebase.js";
import type { Implementations } from "../shared/handler.js";
import type { accountsContract } from "./contract.js";
import { deleteOwnAccount, deleteUserAccount } from "./delete-account.js";

/** The handlers of {@link accountsContract}. */
export const accountsHandlers: Implementations<typeof accountsContract> = {
  deleteMe: {
    run: async ({ uid, now }) => {
      const deletion = await deleteOwnAccount(db(), auth(), { now, uid, messages: config().accountDeletionMessages });
      logs.accountDeletionStarted(deletion.id, deletion.started, "self");
      return { status: 200, body: { deletion } };
    },
  },
  deleteUser: {
    run: async (caller, { uid }) => {
      const deletion = await deleteUserAccount(db(), auth(), {
        now: caller.now,
        caller,
        uid,
        messages: config().accountDeletionMessages,
      });
      logs.accountDeletionStarted(deletion.id, deletion.started, "moderator");
      return { status: 200, body: { deletion } };
    },
  },
};

import { z } from "zod";
import { defineOperations } from "../shared/operation.js";
import { deletedUidParam } from "./schemas.js";
import { accountDeletionView } from "./views.js";

const deletion = z.object({ deletion: accountDeletionView });

/** Deleting accounts: your own, or (moderators) anyone's. */
export const accountsContract = defineOperations({
  deleteMe: {
    method: "delete",
    path: "/me",
    tag: "Users",
    summary:
      "Delete your account: your Firebase Auth user at once, then in the background everything of yours " +
      "(messages per ACCOUNT_DELETION_MESSAGES: anonymised or deleted); again: the same job",
    responses: { 200: { description: "The deletion, started or under way", schema: deletion } },
    // The uid `deleted-user` (the marker erasures write) is no account.
    errors: ["invalid-argument"],
  },
  deleteUser: {
    method: "delete",
    path: "/users/:uid",
    tag: "Moderation",
    summary: "Delete a user's account as `DELETE /v1/me` does (moderators; audited without the uid)",
    params: deletedUidParam,
    responses: { 200: { description: "The deletion, started or under way", schema: deletion } },
    errors: ["permission-denied"],
  },
});

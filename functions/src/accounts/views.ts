import { z } from "zod";

/** An account's erasure job as the API answers it (no uid: its id is a hash of it). */
export const accountDeletionView = z
  .object({
    id: z.string().meta({ description: "The job's id: SHA-256 hex of the account's uid" }),
    state: z
      .enum(["running", "done"])
      .meta({ description: "`running` while its pages run (in the background), `done` once nothing of the account is left" }),
    started: z.boolean().meta({ description: "`true` when this call started it; `false`: it was already under way or done" }),
  })
  .meta({ id: "AccountDeletion", description: "An account's deletion, run in the background" });
export type AccountDeletionView = z.infer<typeof accountDeletionView>;

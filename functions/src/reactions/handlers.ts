import { config, limited } from "../config.js";
import { db } from "../shared/firebase.js";
import type { Implementations } from "../shared/handler.js";
import type { reactionsContract } from "./contract.js";
import { addReaction, removeReaction } from "./react.js";

/** The handlers of {@link reactionsContract}. */
export const reactionsHandlers: Implementations<typeof reactionsContract> = {
  addReaction: {
    run: limited("reactions", async ({ uid, now }, params) => ({
      status: 200,
      body: await addReaction(db(), now, { uid, ...params }, config().maxReactionsPerMessage),
    })),
  },
  removeReaction: {
    run: limited("reactions", async ({ uid }, params) => ({ status: 200, body: await removeReaction(db(), { uid, ...params }) })),
  },
};

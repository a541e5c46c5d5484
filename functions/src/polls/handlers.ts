import { limitAction, limited } from "../config.js";
import { db } from "../shared/firebase.js";
import type { Implementations } from "../shared/handler.js";
import { closePoll } from "./close-poll.js";
import type { pollsContract } from "./contract.js";
import { unvotePoll, votePoll } from "./vote-poll.js";

/** The handlers of {@link pollsContract}. Votes share the `reactions` rate limit; closing, `edits`. */
export const pollsHandlers: Implementations<typeof pollsContract> = {
  votePoll: {
    run: limited("reactions", async ({ uid, now }, params) => ({
      status: 200,
      body: { message: await votePoll(db(), now, { uid, ...params }) },
    })),
  },
  unvotePoll: {
    run: limited("reactions", async ({ uid, now }, params) => ({
      status: 200,
      body: { message: await unvotePoll(db(), now, { uid, ...params }) },
    })),
  },
  closePoll: {
    run: async (caller, { chatId, number }) => {
      await limitAction(caller, "edits");
      return { status: 200, body: { message: await closePoll(db(), caller.now, { uid: caller.uid, chatId, number }) } };
    },
  },
};

import { limited } from "../config.js";
import { db } from "../shared/firebase.js";
import type { Implementations } from "../shared/handler.js";
import { once } from "../shared/lazy.js";
import { TokenBuckets } from "../shared/token-bucket.js";
import { listChatPresence } from "./chat-presence.js";
import type { presenceContract } from "./contract.js";
import { heartbeat, PresenceWrites } from "./heartbeat.js";
import { getSettings, updateSettings } from "./settings.js";
import { setTyping, TYPING_WRITE_EVERY_SECONDS } from "./typing.js";

/** This instance's memory of typing writes: one token per user and chat every 3 s. */
const typingWrites = once(() => new TokenBuckets(1 / TYPING_WRITE_EVERY_SECONDS, 1));
/** This instance's memory of presence writes. */
const presenceWrites = once(() => new PresenceWrites());

/** The handlers of {@link presenceContract}. */
export const presenceHandlers: Implementations<typeof presenceContract> = {
  setTyping: {
    run: async ({ uid, now }, { chatId, typing }) => ({
      status: 200,
      body: await setTyping(db(), { now, uid, chatId, typing: typing ?? true, local: typingWrites() }),
    }),
  },
  heartbeat: {
    run: async ({ uid, now }, { online }) => ({
      status: 200,
      body: await heartbeat(db(), { now, uid, online: online ?? true, writes: presenceWrites() }),
    }),
  },
  listChatPresence: {
    run: async ({ uid, now }, { chatId, ...page }) => ({
      status: 200,
      body: await listChatPresence(db(), { now, callerUid: uid, chatId, input: page }),
    }),
  },
  getSettings: {
    run: async ({ uid }) => ({ status: 200, body: { settings: await getSettings(db(), uid) } }),
  },
  updateSettings: {
    run: limited("settings", async ({ uid, now }, input) => ({
      status: 200,
      body: { settings: await updateSettings(db(), now, uid, input) },
    })),
  },
};

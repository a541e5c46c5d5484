import { chargeQuota, config, limited } from "../config.js";
import { auth, db } from "../shared/firebase.js";
import type { Implementations } from "../shared/handler.js";
import { findAuthUser } from "../users/find-auth-user.js";
import type { chatsContract } from "./contract.js";
import { createDirectChat } from "./create-chat.js";
import { endChat } from "./end-chat.js";
import { getChat } from "./get-chat.js";
import { listChats } from "./list-chats.js";
import { acceptRequest, declineRequest } from "./message-request.js";
import { muteChat, unmuteChat } from "./mute-chat.js";
import { archiveChat, pinChat, unarchiveChat, unpinChat } from "./pin-chat.js";

const findUser = (uid: string) => findAuthUser(auth(), uid);

/** The handlers of {@link chatsContract}. */
export const chatsHandlers: Implementations<typeof chatsContract> = {
  createChat: {
    run: async (caller, input) => {
      const { chat, created } = await createDirectChat(db(), {
        now: caller.now,
        callerUid: caller.uid,
        input,
        findUser,
        chargeCreation: () => chargeQuota(caller, "creations", 1),
        requests: config().messageRequests,
      });
      return created ? { status: 201, body: { chat } } : { status: 200, body: { chat } };
    },
  },
  listChats: {
    run: async ({ uid }, query) => {
      const page = await listChats(db(), uid, query);
      return { status: 200, body: { chats: page.items, nextCursor: page.nextCursor, requestCount: page.requestCount } };
    },
  },
  getChat: {
    run: async ({ uid }, { chatId }) => ({ status: 200, body: { chat: await getChat(db(), uid, chatId) } }),
  },
  endChat: {
    run: limited("settings", async ({ uid, now }, { chatId }) => ({
      status: 200,
      body: { chat: await endChat(db(), { now, callerUid: uid, chatId, findUser }) },
    })),
  },
  acceptRequest: {
    run: limited("settings", async ({ uid }, { chatId }) => ({
      status: 200,
      body: { chat: await acceptRequest(db(), uid, chatId) },
    })),
  },
  declineRequest: {
    run: limited("settings", async ({ uid }, { chatId }) => ({
      status: 200,
      body: { chat: await declineRequest(db(), uid, chatId) },
    })),
  },
  muteChat: {
    run: limited("settings", async ({ uid, now }, { chatId, ...input }) => ({
      status: 200,
      body: await muteChat(db(), { now, callerUid: uid, chatId, input }),
    })),
  },
  unmuteChat: {
    run: limited("settings", async ({ uid, now }, { chatId }) => ({
      status: 200,
      body: await unmuteChat(db(), uid, chatId, now),
    })),
  },
  pinChat: {
    run: limited("settings", async ({ uid, now }, { chatId }) => ({
      status: 200,
      body: { chat: await pinChat(db(), { now, callerUid: uid, chatId, maxPinned: config().maxPinnedChats }) },
    })),
  },
  unpinChat: {
    run: limited("settings", async ({ uid, now }, { chatId }) => ({
      status: 200,
      body: { chat: await unpinChat(db(), { now, callerUid: uid, chatId }) },
    })),
  },
  archiveChat: {
    run: limited("settings", async ({ uid, now }, { chatId }) => ({
      status: 200,
      body: { chat: await archiveChat(db(), { now, callerUid: uid, chatId }) },
    })),
  },
  unarchiveChat: {
    run: limited("settings", async ({ uid, now }, { chatId }) => ({
      status: 200,
      body: { chat: await unarchiveChat(db(), { now, callerUid: uid, chatId }) },
    })),
  },
};

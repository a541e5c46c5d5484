import { authedCallable } from "../api/callable.js";
import { auth, db } from "../shared/firebase.js";
import { findAuthUser } from "../users/find-auth-user.js";
import { createDirectChat } from "./create-chat.js";
import { getChat as readChat } from "./get-chat.js";
import { listChats as listChatsPage } from "./list-chats.js";
import { muteChat as mute, unmuteChat as unmute } from "./mute-chat.js";
import { endChat as end } from "./end-chat.js";
import { chatIdParam, createChatBody, listChatsQuery, muteChatCall } from "./schemas.js";

/** Callable `createChat({memberUid})` → `{chat, created}`, as `POST /v1/chats`. */
export const createChat = authedCallable("createChat", createChatBody, (uid, input) =>
  createDirectChat(db(), new Date(), uid, input, (memberUid) => findAuthUser(auth(), memberUid)),
);

/** Callable `getChat({chatId})` → `{chat}`, as `GET /v1/chats/{chatId}`. */
export const getChat = authedCallable("getChat", chatIdParam, async (uid, { chatId }) => ({
  chat: await readChat(db(), uid, chatId),
}));

/** Callable `listChats({limit?, cursor?, with?})` → `{chats, nextCursor}`, as `GET /v1/chats`. */
export const listChats = authedCallable("listChats", listChatsQuery, async (uid, input) => {
  const page = await listChatsPage(db(), uid, input);
  return { chats: page.items, nextCursor: page.nextCursor };
});

/** Callable `muteChat({chatId, until?})` → `{chatId, muted, mutedUntil}`, as `POST /v1/chats/{chatId}/mute`. */
export const muteChat = authedCallable("muteChat", muteChatCall, (uid, { chatId, ...input }) =>
  mute(db(), new Date(), uid, chatId, input),
);

/** Callable `unmuteChat({chatId})` → `{chatId, muted, mutedUntil}`, as `POST /v1/chats/{chatId}/unmute`. */
export const unmuteChat = authedCallable("unmuteChat", chatIdParam, (uid, { chatId }) => unmute(db(), uid, chatId));

/** Callable `endChat({chatId})` → `{chat}`, as `POST /v1/chats/{chatId}/end`. */
export const endChat = authedCallable("endChat", chatIdParam, async (uid, { chatId }) => ({
  chat: await end(db(), new Date(), uid, chatId),
}));

import { authedCallable } from "../api/callable.js";
import { auth, db } from "../shared/firebase.js";
import { findAuthUser } from "../users/find-auth-user.js";
import { pageInput } from "../shared/schemas.js";
import { createDirectChat } from "./create-chat.js";
import { getChat as readChat } from "./get-chat.js";
import { listChats as listChatsPage } from "./list-chats.js";
import { chatIdParam, createChatBody } from "./schemas.js";

/** Callable `createChat({memberUid})` → `{chat, created}`, as `POST /v1/chats`. */
export const createChat = authedCallable("createChat", createChatBody, (uid, input) =>
  createDirectChat(db(), new Date(), uid, input, (memberUid) => findAuthUser(auth(), memberUid)),
);

/** Callable `getChat({chatId})` → `{chat}`, as `GET /v1/chats/{chatId}`. */
export const getChat = authedCallable("getChat", chatIdParam, async (uid, { chatId }) => ({
  chat: await readChat(db(), uid, chatId),
}));

/** Callable `listChats({limit?, cursor?})` → `{chats, nextCursor}`, as `GET /v1/chats`. */
export const listChats = authedCallable("listChats", pageInput, async (uid, input) => {
  const page = await listChatsPage(db(), uid, input);
  return { chats: page.items, nextCursor: page.nextCursor };
});

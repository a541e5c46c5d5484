// Every deployed function, and nothing else.
export { api } from "./api/index.js";
export { createChat, getChat, listChats } from "./chats/callables.js";
export { getMessage, listMessages, markRead, sendMessage } from "./messages/callables.js";
export { listUsers } from "./users/callables.js";
export { onUserCreated } from "./users/on-user-created.js";

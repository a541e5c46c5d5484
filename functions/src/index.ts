// Every deployed function, and nothing else.
export { api } from "./api/index.js";
export { createChat, getChat, listChats, muteChat, unmuteChat } from "./chats/callables.js";
export { registerDevice, unregisterDevice } from "./devices/callables.js";
export {
  deleteMessage,
  editMessage,
  forwardMessage,
  getMessage,
  hideMessage,
  listMessages,
  markRead,
  sendMessage,
} from "./messages/callables.js";
export { onMessageCreated } from "./push/on-message-created.js";
export { listUsers } from "./users/callables.js";
export { onUserCreated } from "./users/on-user-created.js";

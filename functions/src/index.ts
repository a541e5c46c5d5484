// Every deployed function, and nothing else.
export { api } from "./api/index.js";
export { createChat, endChat, getChat, listChats, muteChat, unmuteChat } from "./chats/callables.js";
export { registerDevice, unregisterDevice } from "./devices/callables.js";
export { onChatCompleted } from "./exports/on-chat-completed.js";
export { purgeJob, retentionJob } from "./jobs/scheduled.js";
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
export { createRoom, joinRoom, leaveRoom, removeRoomMember, rotateRoomInvite } from "./rooms/callables.js";
export { listUsers } from "./users/callables.js";
export { onUserCreated } from "./users/on-user-created.js";

// Every deployed function, and nothing else.
import { operationCallables } from "./api/callables.js";

export { api } from "./api/index.js";
export { onChatCompleted } from "./exports/on-chat-completed.js";
export { purgeJob, retentionJob } from "./jobs/scheduled.js";
export { onMessageCreated } from "./push/on-message-created.js";
export { onUserCreated } from "./users/on-user-created.js";

// One callable per JSON operation of contract.ts, exported under the operation's name
// (`createChat`, `sendMessage`, ...): Firebase deploys each export of this module.
Object.assign(module.exports as Record<string, unknown>, operationCallables());

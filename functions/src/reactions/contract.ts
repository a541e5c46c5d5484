import { defineOperations } from "../shared/operation.js";
import { reactionParams } from "./schemas.js";
import { reactionState } from "./views.js";

const errors = ["permission-denied", "not-found", "failed-precondition", "aborted", "resource-exhausted"] as const;

/** Emoji reactions to messages. */
export const reactionsContract = defineOperations({
  addReaction: {
    method: "put",
    path: "/chats/:chatId/messages/:number/reactions/:emoji",
    tag: "Messages",
    summary: "React to a message with one emoji (again: no change; at most MAX_REACTIONS_PER_MESSAGE different emoji)",
    params: reactionParams,
    responses: { 200: { description: "The message's reactions", schema: reactionState } },
    errors,
  },
  removeReaction: {
    method: "delete",
    path: "/chats/:chatId/messages/:number/reactions/:emoji",
    tag: "Messages",
    summary: "Take back your reaction (one you don't have: no change)",
    params: reactionParams,
    responses: { 200: { description: "The message's reactions", schema: reactionState } },
    errors,
  },
});

import { z } from "zod";
import { messageParams } from "../messages/schemas.js";
import { messageView } from "../messages/views.js";
import { defineOperations } from "../shared/operation.js";
import { voteParams } from "./schemas.js";

const message = z.object({ message: messageView });
/** A vote's: refusals, a closed or deleted poll (409), lost races (409 `aborted`), the rate limit (429). */
const votes = ["permission-denied", "not-found", "failed-precondition", "aborted", "resource-exhausted"] as const;

/** Polls: voting and closing (a poll is sent as a message, `sendMessage` with `poll`). */
export const pollsContract = defineOperations({
  votePoll: {
    method: "put",
    path: "/chats/:chatId/messages/:number/votes/:option",
    tag: "Messages",
    summary: "Vote for a poll's option (again: no change; single choice: moves your vote)",
    params: voteParams,
    responses: { 200: { description: "The poll's message, as your vote left it", schema: message } },
    errors: votes,
  },
  unvotePoll: {
    method: "delete",
    path: "/chats/:chatId/messages/:number/votes/:option",
    tag: "Messages",
    summary: "Take back your vote for a poll's option (one you don't have: no change)",
    params: voteParams,
    responses: { 200: { description: "The poll's message, as your change left it", schema: message } },
    errors: votes,
  },
  closePoll: {
    method: "post",
    path: "/chats/:chatId/messages/:number/close",
    tag: "Messages",
    summary: "Close your poll: no more votes (closed already: no change)",
    params: messageParams,
    responses: { 200: { description: "The closed poll's message", schema: message } },
    errors: ["permission-denied", "not-found", "failed-precondition", "resource-exhausted"],
  },
});

import { chatsOperations } from "../chats/operations.js";
import type { Operations } from "../contract.js";
import { devicesOperations } from "../devices/operations.js";
import { exportsOperations } from "../exports/operations.js";
import { messagesOperations } from "../messages/operations.js";
import { roomsOperations } from "../rooms/operations.js";
import type { Implementations } from "../shared/handler.js";
import { usersOperations } from "../users/operations.js";

/** A handler for every operation of `contract.ts`; a missing one fails to compile. */
export const implementations: Implementations<Operations> = {
  ...usersOperations,
  ...chatsOperations,
  ...messagesOperations,
  ...exportsOperations,
  ...roomsOperations,
  ...devicesOperations,
};

import { chatsContract } from "./chats/contract.js";
import { devicesContract } from "./devices/contract.js";
import { exportsContract } from "./exports/contract.js";
import { messagesContract } from "./messages/contract.js";
import { moderationContract } from "./moderation/contract.js";
import { presenceContract } from "./presence/contract.js";
import { reactionsContract } from "./reactions/contract.js";
import { roomsContract } from "./rooms/contract.js";
import { usersContract } from "./users/contract.js";

/**
 * Every operation of Parley's API, by name: the one list that the Express routes, the callable
 * functions, the OpenAPI document and the client library's wrappers all come from. Pure data
 * and zod schemas: the client imports it.
 */
export const operations = {
  ...usersContract,
  ...chatsContract,
  ...messagesContract,
  ...reactionsContract,
  ...exportsContract,
  ...roomsContract,
  ...presenceContract,
  ...moderationContract,
  ...devicesContract,
};

/** The type of {@link operations}. */
export type Operations = typeof operations;

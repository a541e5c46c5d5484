import { accountsContract } from "./accounts/contract.js";
import { chatsContract } from "./chats/contract.js";
import { devicesContract } from "./devices/contract.js";
import { exportsContract } from "./exports/contract.js";
import { linksContract } from "./links/contract.js";
import { messagesContract } from "./messages/contract.js";
import { pollsContract } from "./polls/contract.js";
import { moderationContract } from "./moderation/contract.js";
import { presenceContract } from "./presence/contract.js";
import { reactionsContract } from "./reactions/contract.js";
import { roomsContract } from "./rooms/contract.js";
import { usersContract } from "./users/contract.js";
import { webhooksContract } from "./webhooks/contract.js";

/** What a capability that serves no operation declares: domain code, triggers or jobs. */
const noOperations = {};

/**
 * Every capability (a folder of `functions/src/`), bottom up: the layer ladder. Each may import
 * only those listed before it, and `shared/`; `.dependency-cruiser.cjs` reads the keys of this list
 * to enforce it, so keep one capability per line, `name: declarations,`. A capability's
 * declarations are its `contract.ts` (and `api/handlers.ts` then asks for a loader of its
 * `handlers.ts`). `contract.ts`, the REST routes, the callables and the OpenAPI document list the
 * operations in this order. Pure: the client imports it.
 */
export const capabilities = {
  users: usersContract,
  timeline: noOperations,
  files: noOperations,
  chats: chatsContract,
  messages: messagesContract,
  links: linksContract,
  reactions: reactionsContract,
  polls: pollsContract,
  exports: exportsContract,
  rooms: roomsContract,
  presence: presenceContract,
  moderation: moderationContract,
  devices: devicesContract,
  accounts: accountsContract,
  webhooks: webhooksContract,
  push: noOperations,
  jobs: noOperations,
};

/** The type of {@link capabilities}. */
export type Capabilities = typeof capabilities;

/** A capability's name: its folder. */
export type CapabilityName = keyof Capabilities;

/** The capabilities that declare operations, each with its declarations. */
export type ServingCapabilities = {
  [K in CapabilityName as keyof Capabilities[K] extends never ? never : K]: Capabilities[K];
};

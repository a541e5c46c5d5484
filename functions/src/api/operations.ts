import { chatsContract } from "../chats/contract.js";
import type { Operations } from "../contract.js";
import { devicesContract } from "../devices/contract.js";
import { exportsContract } from "../exports/contract.js";
import { messagesContract } from "../messages/contract.js";
import { moderationContract } from "../moderation/contract.js";
import { presenceContract } from "../presence/contract.js";
import { reactionsContract } from "../reactions/contract.js";
import { roomsContract } from "../rooms/contract.js";
import type { Implementation, Implementations } from "../shared/handler.js";
import { once, requireModule } from "../shared/lazy.js";
import { usersContract } from "../users/contract.js";

/** A capability's declarations and, loaded on first use, its handlers. */
interface Capability<C> {
  contract: C;
  handlers: () => Implementations<C>;
}

const capability = <C>(contract: C, handlers: () => Implementations<C>): Capability<C> => ({
  contract,
  handlers: once(handlers),
});

/**
 * Every capability with operations. Handlers load on first use, so an instance serving one
 * callable loads one capability's code, and `api` loads each capability with its first request.
 */
const capabilities = [
  capability(
    usersContract,
    () => requireModule<typeof import("../users/operations.js")>("../users/operations.js").usersOperations,
  ),
  capability(
    chatsContract,
    () => requireModule<typeof import("../chats/operations.js")>("../chats/operations.js").chatsOperations,
  ),
  capability(
    messagesContract,
    () => requireModule<typeof import("../messages/operations.js")>("../messages/operations.js").messagesOperations,
  ),
  capability(
    reactionsContract,
    () => requireModule<typeof import("../reactions/operations.js")>("../reactions/operations.js").reactionsOperations,
  ),
  capability(
    exportsContract,
    () => requireModule<typeof import("../exports/operations.js")>("../exports/operations.js").exportsOperations,
  ),
  capability(
    roomsContract,
    () => requireModule<typeof import("../rooms/operations.js")>("../rooms/operations.js").roomsOperations,
  ),
  capability(
    presenceContract,
    () => requireModule<typeof import("../presence/operations.js")>("../presence/operations.js").presenceOperations,
  ),
  capability(
    moderationContract,
    () => requireModule<typeof import("../moderation/operations.js")>("../moderation/operations.js").moderationOperations,
  ),
  capability(
    devicesContract,
    () => requireModule<typeof import("../devices/operations.js")>("../devices/operations.js").devicesOperations,
  ),
];

/** Fails to compile when an operation of `contract.ts` belongs to no capability above. */
type KeysOf<T> = T extends unknown ? keyof T : never;
type Listed = KeysOf<(typeof capabilities)[number]["contract"]>;
const everyOperationListed: Exclude<keyof Operations, Listed> extends never ? true : never = true;
void everyOperationListed;

/** The handlers of operation `name`, loading its capability's code on first use. */
export function implementationOf<K extends keyof Operations>(name: K): Implementation<Operations[K]> {
  const owner = capabilities.find((candidate) => name in candidate.contract);
  if (!owner) throw new Error(`No capability declares operation ${name}.`);
  return (owner.handlers() as Record<string, unknown>)[name] as Implementation<Operations[K]>;
}

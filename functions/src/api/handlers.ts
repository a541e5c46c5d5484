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
  capability(usersContract, () => requireModule<typeof import("../users/handlers.js")>("../users/handlers.js").usersHandlers),
  capability(chatsContract, () => requireModule<typeof import("../chats/handlers.js")>("../chats/handlers.js").chatsHandlers),
  capability(
    messagesContract,
    () => requireModule<typeof import("../messages/handlers.js")>("../messages/handlers.js").messagesHandlers,
  ),
  capability(
    reactionsContract,
    () => requireModule<typeof import("../reactions/handlers.js")>("../reactions/handlers.js").reactionsHandlers,
  ),
  capability(
    exportsContract,
    () => requireModule<typeof import("../exports/handlers.js")>("../exports/handlers.js").exportsHandlers,
  ),
  capability(roomsContract, () => requireModule<typeof import("../rooms/handlers.js")>("../rooms/handlers.js").roomsHandlers),
  capability(
    presenceContract,
    () => requireModule<typeof import("../presence/handlers.js")>("../presence/handlers.js").presenceHandlers,
  ),
  capability(
    moderationContract,
    () => requireModule<typeof import("../moderation/handlers.js")>("../moderation/handlers.js").moderationHandlers,
  ),
  capability(
    devicesContract,
    () => requireModule<typeof import("../devices/handlers.js")>("../devices/handlers.js").devicesHandlers,
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

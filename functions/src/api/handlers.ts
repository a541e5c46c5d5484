import type { CapabilityName, ServingCapabilities } from "../capabilities.js";
import type { Operations } from "../contract.js";
import type { Implementation, Implementations } from "../shared/handler.js";
import { once } from "../shared/lazy.js";
import { operationIndex } from "./operation-index.js";

/** How to load the handlers of each capability that declares operations. */
type HandlerLoaders = { [K in keyof ServingCapabilities]: () => Promise<Implementations<ServingCapabilities[K]>> };

/**
 * The `handlers.ts` of every capability of `capabilities.ts` that declares operations, each
 * loaded on its first use: an instance serving one callable loads that capability's code only,
 * and `api` each capability with its first request. The compiler asks for a line here when a
 * capability with operations is added, and checks that its handlers implement its declarations.
 * (Not in `capabilities.ts`: that list is pure, since the client compiles and bundles it, and a
 * loader names server code. `import()`, unlike a `require` of a path string, is type-checked,
 * seen by dependency-cruiser and runs in the unit tier.)
 */
export const handlerLoaders = {
  users: () => import("../users/handlers.js").then((module) => module.usersHandlers),
  chats: () => import("../chats/handlers.js").then((module) => module.chatsHandlers),
  messages: () => import("../messages/handlers.js").then((module) => module.messagesHandlers),
  links: () => import("../links/handlers.js").then((module) => module.linksHandlers),
  reactions: () => import("../reactions/handlers.js").then((module) => module.reactionsHandlers),
  polls: () => import("../polls/handlers.js").then((module) => module.pollsHandlers),
  exports: () => import("../exports/handlers.js").then((module) => module.exportsHandlers),
  rooms: () => import("../rooms/handlers.js").then((module) => module.roomsHandlers),
  presence: () => import("../presence/handlers.js").then((module) => module.presenceHandlers),
  moderation: () => import("../moderation/handlers.js").then((module) => module.moderationHandlers),
  devices: () => import("../devices/handlers.js").then((module) => module.devicesHandlers),
  accounts: () => import("../accounts/handlers.js").then((module) => module.accountsHandlers),
  webhooks: () => import("../webhooks/handlers.js").then((module) => module.webhooksHandlers),
} satisfies HandlerLoaders;

/** Each capability's handlers, loaded once. */
const loaded = Object.fromEntries(
  Object.entries(handlerLoaders).map(([capability, load]) => [capability, once<Promise<object>>(load)]),
) as Partial<Record<CapabilityName, () => Promise<object>>>;

/** How to load the declarations of each capability that declares operations. */
type DeclarationLoaders = { [K in keyof ServingCapabilities]: () => Promise<ServingCapabilities[K]> };

/**
 * The `contract.ts` of every capability that declares operations, each loaded on its first use:
 * a callable or a route loads its own capability's declarations (zod schemas), not all of them.
 * The compiler asks for a line here, as in {@link handlerLoaders}, when a capability is added.
 */
export const declarationLoaders = {
  users: () => import("../users/contract.js").then((module) => module.usersContract),
  chats: () => import("../chats/contract.js").then((module) => module.chatsContract),
  messages: () => import("../messages/contract.js").then((module) => module.messagesContract),
  links: () => import("../links/contract.js").then((module) => module.linksContract),
  reactions: () => import("../reactions/contract.js").then((module) => module.reactionsContract),
  polls: () => import("../polls/contract.js").then((module) => module.pollsContract),
  exports: () => import("../exports/contract.js").then((module) => module.exportsContract),
  rooms: () => import("../rooms/contract.js").then((module) => module.roomsContract),
  presence: () => import("../presence/contract.js").then((module) => module.presenceContract),
  moderation: () => import("../moderation/contract.js").then((module) => module.moderationContract),
  devices: () => import("../devices/contract.js").then((module) => module.devicesContract),
  accounts: () => import("../accounts/contract.js").then((module) => module.accountsContract),
  webhooks: () => import("../webhooks/contract.js").then((module) => module.webhooksContract),
} satisfies DeclarationLoaders;

/** Each capability's declarations, loaded once. */
const declared = Object.fromEntries(
  Object.entries(declarationLoaders).map(([capability, load]) => [capability, once<Promise<object>>(load)]),
) as Record<keyof ServingCapabilities, () => Promise<object>>;

/**
 * The capability that declares operation `name` (`operation-index.ts`).
 * @throws Error when no capability declares `name`.
 */
function ownerOf(name: string): keyof ServingCapabilities {
  const entry = (operationIndex as Record<string, { capability: keyof ServingCapabilities } | undefined>)[name];
  if (!entry) throw new Error(`No capability declares operation ${name}.`);
  return entry.capability;
}

/**
 * The declaration of operation `name`, loading only its capability's `contract.ts` (its zod
 * schemas) on first use, not every capability's.
 * @throws Error when no capability declares `name`.
 */
export async function operationOf<K extends keyof Operations>(name: K): Promise<Operations[K]> {
  const declarations = (await declared[ownerOf(name)]()) as Record<string, unknown>;
  return declarations[name] as Operations[K];
}

/**
 * The handlers of operation `name`, loading its capability's `handlers.ts` on first use.
 * @throws Error when no capability declares `name`.
 */
export async function implementationOf<K extends keyof Operations>(name: K): Promise<Implementation<Operations[K]>> {
  const load = loaded[ownerOf(name)];
  if (!load) throw new Error(`No capability declares operation ${name}.`);
  const handlers = (await load()) as Record<string, unknown>;
  return handlers[name] as Implementation<Operations[K]>;
}

import { capabilities, type CapabilityName, type ServingCapabilities } from "../capabilities.js";
import type { Operations } from "../contract.js";
import type { Implementation, Implementations } from "../shared/handler.js";
import { once } from "../shared/lazy.js";

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

/** The capability that declares each operation. */
const owners = new Map<string, CapabilityName>(
  Object.entries(capabilities).flatMap(([capability, declarations]) =>
    Object.keys(declarations).map((name): [string, CapabilityName] => [name, capability as CapabilityName]),
  ),
);

/**
 * The handlers of operation `name`, loading its capability's `handlers.ts` on first use.
 * @throws Error when no capability declares `name`.
 */
export async function implementationOf<K extends keyof Operations>(name: K): Promise<Implementation<Operations[K]>> {
  const owner = owners.get(name);
  const load = owner === undefined ? undefined : loaded[owner];
  if (!load) throw new Error(`No capability declares operation ${name}.`);
  const handlers = (await load()) as Record<string, unknown>;
  return handlers[name] as Implementation<Operations[K]>;
}

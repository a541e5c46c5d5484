#!/usr/bin/env node
// Writes client/src/views.ts: the client library's view types, generated from the server's zod
// view schemas so that each field carries its schema's description as JSDoc (what an editor shows
// on hover). The schemas go through zod's JSON Schema conversion and json-schema-to-typescript,
// then prettier with the repo's config. Run it after changing a view schema:
//
//   npm run client-types        # builds functions/ first: the schemas are read from functions/lib
//
// test/unit/client-views.test.ts regenerates the file in memory from functions/src and fails
// while the committed one differs, and pins each type to the server's `z.infer` type.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";
import * as prettier from "prettier";
import { z } from "zod";

/** The generated file. */
export const target = fileURLToPath(new URL("../client/src/views.ts", import.meta.url));

/**
 * The client's view types: `name` is the type's name in the client, `schema` the zod schema
 * exported by `functions/src/{module}.ts`. A schema another one holds (e.g. `ChatView` in `NewRoom`) is
 * referred to by its name.
 */
export const views = [
  { name: "ChatView", module: "chats/views", schema: "chatView" },
  { name: "ExternalEvent", module: "chats/views", schema: "externalEventView" },
  { name: "MuteState", module: "chats/views", schema: "muteState" },
  { name: "DeviceView", module: "devices/views", schema: "deviceView" },
  { name: "PersonalExportView", module: "exports/views", schema: "personalExportView" },
  { name: "FileView", module: "messages/views", schema: "fileView" },
  { name: "HiddenMessage", module: "messages/views", schema: "hiddenMessage" },
  { name: "LinkPreview", module: "messages/views", schema: "linkPreviewView" },
  { name: "MessagePage", module: "messages/views", schema: "messagePage" },
  { name: "MessageView", module: "messages/views", schema: "messageView" },
  { name: "ReadState", module: "messages/views", schema: "readState" },
  { name: "ChatPresence", module: "presence/views", schema: "chatPresence" },
  { name: "HeartbeatState", module: "presence/views", schema: "heartbeatState" },
  { name: "PresenceView", module: "presence/views", schema: "presenceView" },
  { name: "TypingState", module: "presence/views", schema: "typingState" },
  { name: "ReactionState", module: "reactions/views", schema: "reactionState" },
  { name: "JoinedRoom", module: "rooms/views", schema: "joinedRoom" },
  { name: "MembershipResult", module: "rooms/views", schema: "membershipResult" },
  { name: "NewRoom", module: "rooms/views", schema: "newRoom" },
  { name: "RoomInvite", module: "rooms/views", schema: "roomInvite" },
  { name: "LastMessage", module: "shared/doc-schemas", schema: "lastMessage" },
  { name: "MessageReference", module: "shared/doc-schemas", schema: "messageReference" },
  { name: "MessageType", module: "shared/doc-schemas", schema: "messageType" },
  { name: "SystemEvent", module: "shared/doc-schemas", schema: "systemEvent" },
  { name: "UserView", module: "users/views", schema: "userView" },
];

const banner = `// Generated from the server's zod view schemas (functions/src/*/views.ts, shared/doc-schemas.ts)
// by scripts/client-types.mjs: do not edit. After changing a view schema, run \`npm run client-types\`.
// Each field's docstring is its schema's \`description\`.`;

/** json-schema-to-typescript's options: one declaration per view, named types left to their own. */
const options = {
  additionalProperties: false,
  bannerComment: "",
  declareExternallyReferenced: false,
  format: false,
  ignoreMinAndMaxItems: true,
  strictIndexSignatures: false,
  unknownAny: true,
};

/**
 * Every view's JSON Schema (zod's output side), keyed by its client name; a view another holds
 * is a `$ref` to `#/$defs/{name}`. Throws when a view holds a schema with a registry `id` that
 * is not in {@link views} (it would have no name here), or has no description.
 */
async function jsonSchemas(load) {
  const registry = z.registry();
  for (const view of views) {
    const schema = (await load(view.module))[view.schema];
    if (!schema) throw new Error(`functions/src/${view.module}.ts exports no \`${view.schema}\``);
    registry.add(schema, { id: view.name });
  }
  const { schemas } = z.toJSONSchema(registry, { io: "output", uri: (id) => `#/$defs/${id}` });
  if (schemas.__shared) {
    const names = Object.keys(schemas.__shared.$defs).join(", ");
    throw new Error(`Views hold schemas with an id that scripts/client-types.mjs does not list: ${names}`);
  }
  return Object.fromEntries(
    views.map((view) => {
      const { $schema: _draft, $id: _id, ...body } = schemas[view.name];
      if (!body.description) throw new Error(`${view.name} has no description: give its schema \`.meta({ description })\``);
      return [view.name, body];
    }),
  );
}

/**
 * The text of client/src/views.ts, formatted. `load(module)` answers the exports of
 * `functions/src/{module}.ts` (or of its build in functions/lib).
 */
export async function renderClientTypes(load) {
  const $defs = await jsonSchemas(load);
  const declarations = [];
  for (const view of views) declarations.push(await compile({ ...$defs[view.name], $defs }, view.name, options));
  const config = (await prettier.resolveConfig(target)) ?? {};
  return prettier.format(`${banner}\n\n${declarations.join("\n")}`, { ...config, filepath: target });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const require = createRequire(import.meta.url);
  const load = (module) => require(`../functions/lib/${module}.js`);
  const text = await renderClientTypes(load);
  const changed = !existsSync(target) || text !== readFileSync(target, "utf8");
  writeFileSync(target, text);
  console.log(`${changed ? "Wrote" : "Unchanged:"} client/src/views.ts (${views.length} types)`);
}

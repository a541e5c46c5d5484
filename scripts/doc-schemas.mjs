#!/usr/bin/env node
// Writes schemas/firestore/: a JSON Schema (draft 2020-12) of every Firestore doc a client
// reads, for apps that read Firestore directly (Swift, Kotlin, Dart), and index.json listing them.
// Generated from the doc shapes the code uses (functions/src/shared/docs.ts) with
// ts-json-schema-generator, whose draft-07 output is converted mechanically to 2020-12; the parts
// of them that are zod schemas (shared/doc-schemas.ts) come from zod's own JSON Schema. Docstrings
// become `description`s. `npm run build` runs it:
//
//   node scripts/doc-schemas.mjs        # reads the zod schemas from functions/lib (build it first)
//
// test/unit/doc-schemas.test.ts regenerates the files in memory from functions/src and fails
// while the committed ones differ; test/docs/doc-schemas.test.ts validates real docs against them.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";
import {
  BaseType,
  createFormatter,
  createParser,
  createProgram,
  DEFAULT_CONFIG,
  DefinitionType,
  SchemaGenerator,
} from "ts-json-schema-generator";
import ts from "typescript";
import { z } from "zod";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The generated folder. */
export const target = join(root, "schemas/firestore");

/** Each schema's `$id`: an absolute URI (2020-12 asks for one) that names the file wherever it is served. */
const idBase = "urn:parley:schemas:firestore:";

/**
 * The docs a client reads: `key` is the collection's key in `defaultCollections` (docs.ts), `type` the
 * doc's type in scripts/doc-schemas/client-docs.ts, `path` where the docs live. The keys are the
 * client's converters (client/src/converters.ts) plus `edits`, which firestore.rules lets members
 * read too.
 */
export const kinds = [
  { key: "users", type: "Users", path: "users/{uid}" },
  { key: "blocks", type: "Blocks", path: "blocks/{blocker}_{blocked}" },
  { key: "chats", type: "Chats", path: "chats/{chatId}" },
  { key: "members", type: "Members", path: "chats/{roomId}/members/{uid}" },
  { key: "messages", type: "Messages", path: "chats/{chatId}/messages/{messageId}" },
  { key: "edits", type: "Edits", path: "chats/{chatId}/messages/{messageId}/edits/{version}" },
  { key: "threads", type: "Threads", path: "chats/{chatId}/threads/{messageId}" },
  { key: "replies", type: "Replies", path: "chats/{chatId}/threads/{messageId}/replies/{replyId}" },
  { key: "hidden", type: "Hidden", path: "chats/{chatId}/hidden/{uid}" },
  { key: "reactions", type: "Reactions", path: "chats/{chatId}/reactions/{uid}_{messageId}_{emojiKey}" },
  { key: "votes", type: "Votes", path: "chats/{chatId}/votes/{uid}_{messageId}" },
  { key: "typing", type: "Typing", path: "chats/{chatId}/typing/{uid}" },
  { key: "presence", type: "Presence", path: "presence/{uid}" },
  { key: "userSettings", type: "UserSettings", path: "user-settings/{uid}" },
  { key: "externalEvents", type: "ExternalEvents", path: "users-external-event/{uid}" },
  { key: "personalExports", type: "PersonalExports", path: "personal-exports/{uid}" },
];

/** How every schema represents a Firestore timestamp (`FirestoreTimestamp` in client-docs.ts). */
export const timestampSchema = {
  type: "string",
  format: "date-time",
  description:
    "A Firestore timestamp (an instant, to the microsecond). Stored as a Firestore `Timestamp`, which the " +
    "Firestore SDKs give as their `Timestamp` (or `Date`/`DateTime`); these schemas describe it as an RFC 3339 " +
    'date-time string in UTC, e.g. "2026-12-07T10:53:27.123456Z".',
};

const timestampNote = "Timestamps (`FirestoreTimestamp`) are Firestore timestamps, described here as RFC 3339 date-time strings.";

/** The TS aliases of shared/doc-schemas.ts whose schema zod makes, and the zod schema each is. */
const zodTypes = {
  LastMessage: "lastMessage",
  MessageReference: "messageReference",
  MessageType: "messageType",
  SystemEvent: "systemEvent",
};

/** A type ts-json-schema-generator leaves as a named placeholder: its schema comes from elsewhere. */
class PlaceholderType extends BaseType {
  constructor(name) {
    super();
    this.name = name;
  }
  getId() {
    return `placeholder-${this.name}`;
  }
}

/** Parses the zod-inferred aliases of doc-schemas.ts and `FirestoreTimestamp` as placeholders. */
const placeholderParser = {
  supportsNode: (node) =>
    ts.isTypeAliasDeclaration(node) &&
    (node.name.text === "FirestoreTimestamp" ||
      (node.name.text in zodTypes && node.getSourceFile().fileName.endsWith("/shared/doc-schemas.ts"))),
  createType: (node) => new DefinitionType(node.name.text, new PlaceholderType(node.name.text)),
};

const placeholderFormatter = {
  supportsType: (type) => type instanceof PlaceholderType,
  getDefinition: (type) => ({ placeholder: type.name }),
  getChildren: () => [],
};

/** Every type of client-docs.ts as ts-json-schema-generator makes it (draft-07 `definitions`). */
function tsDefinitions() {
  const config = {
    ...DEFAULT_CONFIG,
    path: join(root, "scripts/doc-schemas/client-docs.ts"),
    tsconfig: join(root, "scripts/doc-schemas/tsconfig.json"),
    type: "*",
    additionalProperties: false,
    encodeRefs: false,
    functions: "fail",
  };
  const program = createProgram(config);
  const parser = createParser(program, config, (chain) => chain.addNodeParser(placeholderParser));
  const formatter = createFormatter(config, (chain) => chain.addTypeFormatter(placeholderFormatter));
  return new SchemaGenerator(program, parser, formatter, config).createSchema("*").definitions;
}

/** The zod parts' 2020-12 schemas, by TS name; one refers to another as `#/$defs/{name}`. */
function zodDefinitions(docSchemas) {
  const registry = z.registry();
  for (const [name, exported] of Object.entries(zodTypes)) registry.add(docSchemas[exported], { id: name });
  const { schemas } = z.toJSONSchema(registry, { io: "output", uri: (id) => `#/$defs/${id}` });
  return Object.fromEntries(Object.keys(zodTypes).map((name) => [name, withoutKeys(schemas[name], ["$schema", "$id"])]));
}

function withoutKeys(object, keys) {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

/**
 * Draft-07 to 2020-12, and tidier names: `definitions` refs become `$defs` refs, generic names
 * lose their `<FirestoreTimestamp>` (the only argument any takes here), and `{@link X}` in a
 * docstring becomes `X` in code style.
 */
function to2020(value) {
  if (Array.isArray(value)) return value.map(to2020);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      if (key === "$ref") return [key, `#/$defs/${defName(inner.replace(/^#\/definitions\//, ""))}`];
      if (key === "description" && typeof inner === "string") return [key, linksAsCode(inner)];
      return [key, to2020(inner)];
    }),
  );
}

function defName(name) {
  const short = name.replaceAll("<FirestoreTimestamp>", "");
  if (/[<>]/.test(short)) throw new Error(`${name}: a generic with another argument than FirestoreTimestamp`);
  return short;
}

/** ts-json-schema-generator writes `{@link X}` as ` {@link  X } `: one space added on either side. */
function linksAsCode(text) {
  return text.replace(/ ?\{@link\s+([^\s}]+)\s*\} ?/g, "`$1`");
}

/** Every `$defs` name a schema refers to, transitively. */
function reachable(schema, defs, found = new Set()) {
  const walk = (value) => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== "object") return;
    for (const [key, inner] of Object.entries(value)) {
      if (key !== "$ref") walk(inner);
      else {
        const name = inner.replace(/^#\/\$defs\//, "");
        if (!defs[name]) throw new Error(`No schema for ${name}`);
        if (!found.has(name)) {
          found.add(name);
          walk(defs[name]);
        }
      }
    }
  };
  walk(schema);
  return found;
}

/** All definitions, 2020-12, with the placeholders filled: zod's schemas and the timestamp's. */
function allDefinitions(docSchemas) {
  const fills = { ...zodDefinitions(docSchemas), FirestoreTimestamp: timestampSchema };
  const defs = {};
  for (const [name, schema] of Object.entries(tsDefinitions())) {
    const short = defName(name);
    if (defs[short]) throw new Error(`Two definitions named ${short}`);
    const placeholder = schema.placeholder;
    if (placeholder !== undefined && !fills[placeholder]) throw new Error(`No schema fills ${placeholder}`);
    defs[short] = placeholder === undefined ? to2020(schema) : fills[placeholder];
  }
  return defs;
}

/** The schema of one doc kind: its doc type's schema at the root, what it refers to in `$defs`. */
function kindSchema(kind, file, defs) {
  const alias = defs[kind.type];
  const docType = alias.$ref.replace(/^#\/\$defs\//, "");
  const { description, ...body } = defs[docType];
  if (!description) throw new Error(`${docType} has no docstring`);
  const refs = [...reachable(body, defs)].sort();
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: `${idBase}${file}`,
    title: `${kind.path} (${docType})`,
    description: `${description}\n\n${timestampNote}`,
    ...body,
    ...(refs.length > 0 ? { $defs: Object.fromEntries(refs.map((name) => [name, defs[name]])) } : {}),
  };
}

/**
 * The files of schemas/firestore/, name -> text (formatted). `load(module)` answers the exports
 * of `functions/src/{module}.ts` (or of its build in functions/lib).
 */
export async function renderDocSchemas(load) {
  const { defaultCollections: collections } = await load("shared/docs");
  const defs = allDefinitions(await load("shared/doc-schemas"));
  const config = (await prettier.resolveConfig(join(target, "index.json"))) ?? {};
  const format = (value) => prettier.format(JSON.stringify(value), { ...config, parser: "json" });
  const files = {};
  const index = [];
  for (const kind of kinds) {
    const file = `${collections[kind.key]}.schema.json`;
    const schema = kindSchema(kind, file, defs);
    files[file] = await format(schema);
    index.push({ collection: kind.key, path: kind.path, schema: file, title: schema.title });
  }
  files["index.json"] = await format({
    description:
      "JSON Schemas (draft 2020-12) of the Firestore docs a Parley client reads, one file per kind. Generated by " +
      "scripts/doc-schemas.mjs from functions/src/shared/docs.ts: do not edit. " +
      timestampNote,
    timestamp: timestampSchema,
    documents: index,
  });
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const require = createRequire(import.meta.url);
  const load = (module) => require(`../functions/lib/${module}.js`);
  const files = await renderDocSchemas(load);
  mkdirSync(target, { recursive: true });
  for (const stale of readdirSync(target)) if (!files[stale]) rmSync(join(target, stale));
  let changed = 0;
  for (const [name, text] of Object.entries(files)) {
    const path = join(target, name);
    if (existsSync(path) && readFileSync(path, "utf8") === text) continue;
    writeFileSync(path, text);
    changed++;
  }
  console.log(`schemas/firestore: ${Object.keys(files).length} files, ${changed} changed`);
}

#!/usr/bin/env node
// @ts-check
// Parley's command line, for adding Parley to an app's Firebase project (README, "Add Parley to
// your project"). Run from the app's project folder, with Parley's folder installed:
//   npx parley rules merge firestore.rules
//   npx parley indexes merge firestore.indexes.json
//   npx parley collections
// Each merge writes Parley's part of the file and leaves the rest byte for byte; running it
// again after an upgrade of Parley updates that part, and with no upgrade changes nothing.
// Both write Parley's rules and indexes for the collection names in Parley's
// `functions/parley.config.json` (read through the built functions, as a deploy reads them);
// `collections` prints those names.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EMPTY_LOCK, mergeIndexes } from "./install/merge-indexes.mjs";
import { mergeRules } from "./install/merge-rules.mjs";
import { renameIndexCollections, renameRulesCollections } from "./install/rename-collections.mjs";

const parleyRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const USAGE = "usage: parley rules merge <firestore.rules> | parley indexes merge <firestore.indexes.json> | parley collections";

/**
 * Parley's default collection names and the configured ones, from the built functions.
 * @returns {{defaults: Record<string, string>, configured: Record<string, string>}}
 */
function collectionNames() {
  const require = createRequire(import.meta.url);
  const lib = join(parleyRoot, "functions", "lib", "shared");
  if (!existsSync(join(lib, "collections.js"))) throw new Error(`build Parley first: npm run build in ${parleyRoot}`);
  const { defaultCollections } = require(join(lib, "docs.js"));
  const { configuredCollections } = require(join(lib, "collections.js"));
  return { defaults: defaultCollections, configured: configuredCollections(join(parleyRoot, "functions", "parley.config.json")) };
}

/**
 * Writes `text` to `file` when it differs; says which.
 * @param {string} file
 * @param {string} before
 * @param {string} text
 */
function write(file, before, text) {
  if (text === before) {
    console.log(`${file}: unchanged`);
    return;
  }
  writeFileSync(file, text);
  console.log(`${file}: Parley's part written`);
}

/** @param {string} file */
function rulesMerge(file) {
  const { defaults, configured } = collectionNames();
  const parley = renameRulesCollections(readFileSync(join(parleyRoot, "firestore.rules"), "utf8"), defaults, configured);
  // No rules yet: Parley's own file, which is already one merge.
  const before = existsSync(file) ? readFileSync(file, "utf8") : "rules_version = '2';\n\nservice cloud.firestore {\n}\n";
  write(file, existsSync(file) ? before : "", mergeRules(before, parley));
}

/** @param {string} file */
function indexesMerge(file) {
  const { defaults, configured } = collectionNames();
  const parley = renameIndexCollections(readFileSync(join(parleyRoot, "firestore.indexes.json"), "utf8"), defaults, configured);
  const lockFile = join(dirname(file), "parley-indexes.lock.json");
  const lock = existsSync(lockFile) ? JSON.parse(readFileSync(lockFile, "utf8")) : EMPTY_LOCK;
  const before = existsSync(file) ? readFileSync(file, "utf8") : '{\n  "indexes": [],\n  "fieldOverrides": []\n}\n';
  const merged = mergeIndexes(before, parley, lock);
  write(file, existsSync(file) ? before : "", merged.text);
  const lockText = `${JSON.stringify(merged.lock, null, 2)}\n`;
  if (!existsSync(lockFile) || readFileSync(lockFile, "utf8") !== lockText) writeFileSync(lockFile, lockText);
}

const [what, verb, file] = process.argv.slice(2);
try {
  if (what === "collections" && !verb) console.log(JSON.stringify(collectionNames().configured, null, 2));
  else if (verb !== "merge" || !file) throw new Error(USAGE);
  else if (what === "rules") rulesMerge(file);
  else if (what === "indexes") indexesMerge(file);
  else throw new Error(USAGE);
} catch (error) {
  console.error(`parley: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

#!/usr/bin/env node
// @ts-check
// Parley's command line, for adding Parley to an app's Firebase project (README, "Add Parley to
// your project"). Run from the app's project folder, with Parley's folder installed:
//   npx parley rules merge firestore.rules
//   npx parley indexes merge firestore.indexes.json
// Each merge writes Parley's part of the file and leaves the rest byte for byte; running it
// again after an upgrade of Parley updates that part, and with no upgrade changes nothing.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EMPTY_LOCK, mergeIndexes } from "./install/merge-indexes.mjs";
import { mergeRules } from "./install/merge-rules.mjs";

const parleyRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const USAGE = "usage: parley rules merge <firestore.rules> | parley indexes merge <firestore.indexes.json>";

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
  const parley = readFileSync(join(parleyRoot, "firestore.rules"), "utf8");
  // No rules yet: Parley's own file, which is already one merge.
  const before = existsSync(file) ? readFileSync(file, "utf8") : "rules_version = '2';\n\nservice cloud.firestore {\n}\n";
  write(file, existsSync(file) ? before : "", mergeRules(before, parley));
}

/** @param {string} file */
function indexesMerge(file) {
  const parley = readFileSync(join(parleyRoot, "firestore.indexes.json"), "utf8");
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
  if (verb !== "merge" || !file) throw new Error(USAGE);
  if (what === "rules") rulesMerge(file);
  else if (what === "indexes") indexesMerge(file);
  else throw new Error(USAGE);
} catch (error) {
  console.error(`parley: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

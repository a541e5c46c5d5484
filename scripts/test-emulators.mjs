#!/usr/bin/env node
// `npm run test:emulators`: the emulator tier, split into shards that run at the same time, each
// on an emulator suite of its own (scripts/emulators.mjs exec), one file after another inside a
// shard as before.
//
//   node scripts/test-emulators.mjs [--shards N] [test files...]
//
// - Shard k's emulators listen at their usual ports + 50·k (firebase.shard<k>.json, written here
//   and gitignored), with their own TMPDIR (the hub's locator file and the Storage emulator's
//   blobs live there). Tests find them through PARLEY_SHARD (test/helpers/emulators.ts).
// - Shard 0 keeps the usual ports, and takes every file that needs them: the web app connects
//   to the emulators at their usual ports (web/src/parley.ts), and the functions' default links
//   (rooms' join links, mails' links: functions/src/config.ts) point at them.
// - Files are dealt out by their recorded time (test/durations.json, seconds on a fresh clone),
//   longest first, each to the shard with the least so far. A file not recorded counts as the
//   median. `PARLEY_TEST_SHARDS` sets the default count (2).
// - firebase.json names every port, the Eventarc and Cloud Tasks emulators' too: left to
//   firebase-tools, both shards took the first free one at the same moment, and one died with
//   EADDRINUSE.
// - Each line a shard prints is prefixed with its number; a summary of each shard follows the
//   end: its counts and each failed test with the first lines of its error (shardSummary).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { createInterface } from "node:readline";
import { root } from "./build-steps.mjs";

/** Ports move by this much per shard: no port of one suite lands on another's. */
export const SHARD_PORT_STEP = 50;

/** Every emulator-tier test file, relative to the repository, sorted. */
function allTestFiles() {
  return readdirSync(join(root, "test"), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".test.ts"))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .filter((file) => !file.startsWith("test/unit/"))
    .sort();
}

/** True for a file that must run on the usual ports (shard 0): see the header. */
function needsUsualPorts(file) {
  return file.startsWith("test/browser/") || readFileSync(join(root, file), "utf8").includes("hostingOrigin");
}

/**
 * Deals `files` into `count` shards by recorded seconds, longest first, each to the shard with
 * the least so far; files that need the usual ports go to shard 0 first.
 * @returns {{files: string[], seconds: number}[]}
 */
export function dealFiles(files, count, durations) {
  const known = Object.values(durations).sort((a, b) => a - b);
  const median = known.length ? known[Math.floor(known.length / 2)] : 10;
  const secondsOf = (file) => durations[file] ?? median;
  const shards = Array.from({ length: count }, () => ({ files: [], seconds: 0 }));
  const add = (shard, file) => {
    shard.files.push(file);
    shard.seconds += secondsOf(file);
  };
  const [pinned, free] = [files.filter(needsUsualPorts), files.filter((file) => !needsUsualPorts(file))];
  for (const file of pinned) add(shards[0], file);
  for (const file of [...free].sort((a, b) => secondsOf(b) - secondsOf(a))) {
    add(
      shards.reduce((least, shard) => (shard.seconds < least.seconds ? shard : least)),
      file,
    );
  }
  return shards.filter((shard) => shard.files.length > 0);
}

/** firebase.json with every emulator port moved by `shift`; written beside it, so its paths hold. */
function shardConfig(index) {
  if (index === 0) return [];
  const config = JSON.parse(readFileSync(join(root, "firebase.json"), "utf8"));
  const shift = index * SHARD_PORT_STEP;
  for (const emulator of Object.values(config.emulators)) {
    if (typeof emulator.port === "number") emulator.port += shift;
  }
  config.emulators.firestore.websocketPort = 9150 + shift;
  const file = `firebase.shard${index}.json`;
  writeFileSync(join(root, file), `${JSON.stringify(config, null, 2)}\n`);
  return ["--config", file];
}

/** Runs one shard's files on its own suite; resolves with its exit code and its summary lines. */
function runShard(index, files) {
  const tmp = join(root, ".cache", "shards", String(index), "tmp");
  mkdirSync(tmp, { recursive: true });
  const command = `npx vitest run --project emulators ${files.join(" ")}`;
  const child = spawn(process.execPath, ["scripts/emulators.mjs", "exec", command, ...shardConfig(index)], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PARLEY_SHARD: String(index), TMPDIR: tmp },
  });
  const summary = shardSummary();
  const tag = `[${index}] `;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      console.log(tag + line);
      summary.add(line);
    });
  }
  return new Promise((resolve) =>
    child.on("exit", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), summary: summary.lines() })),
  );
}

/** Lines of a failure's error kept in the summary, and characters kept of each. */
const ERROR_LINES = 10;
const ERROR_LINE_CHARS = 160;
/** Non-blank lines of a shard's output kept for a summary when vitest printed no counts. */
const TAIL_LINES = 6;
/** `text`, cut to {@link ERROR_LINE_CHARS} characters. */
const cut = (text) => (text.length > ERROR_LINE_CHARS ? `${text.slice(0, ERROR_LINE_CHARS - 1)}…` : text);
/** Lines of vitest's error report that say nothing of why: stack frames, code excerpts, hints. */
const NOISE = /^(❯|\d+\||\||Hint:|Shrunk \d|- Expected$|\+ Received$)/;

/**
 * Collects what a shard's summary repeats of vitest's output: the counts, and each failed test
 * with the first lines of its error (the message, a diff's changed lines, a counterexample), so
 * that the last few kilobytes of a CI log say why a test failed.
 */
export function shardSummary() {
  const counts = [];
  const failures = [];
  const tail = [];
  let current = null;
  let inDiff = false;
  const keep = (text) => {
    if (current && current.error.length < ERROR_LINES) current.error.push(cut(text));
  };
  return {
    /** Takes one line of vitest's output, colours and all. */
    add(line) {
      const text = line.replace(/\x1b\[[0-9;]*m/g, "").trim();
      if (text && tail.push(cut(text)) > TAIL_LINES) tail.shift();
      if (/^(Test Files|Tests|Duration)\s/.test(text)) counts.push(text);
      if (/^FAIL\s/.test(text)) {
        current = { name: text, error: [] };
        failures.push(current);
        inDiff = false;
      } else if (text.startsWith("⎯")) current = null;
      else if (text === "- Expected") inDiff = true;
      else if (text.startsWith("❯")) inDiff = false;
      else if (text && !NOISE.test(text) && (!inDiff || /^[-+]/.test(text))) keep(text);
    },
    /**
     * The summary: the counts, then each failure and its error lines (indented); when vitest
     * printed no counts (the suite did not start, or vitest died), the shard's last lines.
     */
    lines: () =>
      counts.length === 0
        ? ["no test counts; the shard's last lines:", ...tail.map((text) => `  ${text}`)]
        : [...counts, ...failures.flatMap(({ name, error }) => [name, ...error.map((text) => `  ${text}`)])],
  };
}

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf("--shards");
  const count = Number(at >= 0 ? args.splice(at, 2)[1] : (process.env.PARLEY_TEST_SHARDS ?? 2));
  if (!Number.isInteger(count) || count < 1) throw new Error("--shards takes a whole number, 1 or more");
  const files = args.length ? args : allTestFiles();
  const durationsFile = join(root, "test", "durations.json");
  const durations = existsSync(durationsFile) ? JSON.parse(readFileSync(durationsFile, "utf8")) : {};
  const shards = dealFiles(files, count, durations);
  shards.forEach((shard, i) =>
    console.log(`[parley] shard ${i}: ${shard.files.length} files, about ${shard.seconds} s recorded`),
  );
  // Once, before the shards: picking the emulators writes launcher jars into .cache/emulators/.
  await new Promise((resolve, reject) =>
    spawn(process.execPath, ["scripts/emulators.mjs", "prepare"], { cwd: root, stdio: "inherit" }).on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`scripts/emulators.mjs prepare exited with ${code}`)),
    ),
  );
  const started = Date.now();
  const results = await Promise.all(shards.map((shard, i) => runShard(i, shard.files)));
  console.log(`\n[parley] emulator tier: ${shards.length} shards in ${Math.round((Date.now() - started) / 1000)} s`);
  results.forEach(({ code, summary }, i) => {
    console.log(`[parley] shard ${i}: exit ${code}`);
    for (const line of summary) console.log(`  ${line}`);
  });
  process.exit(results.some((result) => result.code !== 0) ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error) => {
    console.error(`[parley] ${error.message}`);
    process.exit(1);
  });
}

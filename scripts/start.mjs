#!/usr/bin/env node
// `npm start`: builds what changed, serves the emulator suite with the demo data, and prints
// one line when everything answers:
//
//   [parley] ready in 14.2 s: web app http://127.0.0.1:5000 · API http://127.0.0.1:5000/v1 · ...
//
// Two chains run side by side: functions → emulators, and client → web app. The emulators start
// as soon as the functions are built (the Functions emulator loads them when it starts); the
// Hosting emulator reads web/dist per request, so the web app may finish after it starts. A
// step whose inputs are unchanged is skipped (scripts/build-steps.mjs). Arguments are passed to
// `firebase emulators:start`.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { buildStep, root } from "./build-steps.mjs";

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const say = (line) => console.log(`[parley] ${line}`);

/** Runs `node scripts/emulators.mjs <mode>`; resolves with the child once spawned. */
function emulators(mode, args, stdout) {
  return spawn(process.execPath, ["scripts/emulators.mjs", mode, ...args], { cwd: root, stdio: ["inherit", stdout, "inherit"] });
}

/** Resolves when the child exits 0 (prepare: picks the emulators, tries downloads once). */
function exited(child) {
  return new Promise((resolve, reject) =>
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`emulators.mjs exited with ${code}`)))),
  );
}

/** The running suite, stopped if a build fails after it started. */
let suite;

/** Starts the suite; resolves when firebase-tools says every emulator is ready. */
function serve(args) {
  const child = emulators("start", args, "pipe");
  suite = child;
  const forward = (signal) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return new Promise((resolve) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      console.log(line);
      if (line.includes("All emulators ready")) resolve();
    });
  });
}

async function main() {
  const args = process.argv.slice(2);
  // Picking the emulators may try a download (once; a failure is remembered): beside the builds.
  const prepared = exited(emulators("prepare", [], "inherit"));
  const built = [];
  const note = (step) => (didBuild) => didBuild && built.push(step);
  const webApp = buildStep("client")
    .then(note("client"))
    .then(() => buildStep("web").then(note("web")));
  await buildStep("functions").then(note("functions"));
  await prepared;
  const ready = serve(args);
  await Promise.all([ready, webApp]);
  const what = built.length ? `built ${built.join(", ")}` : "nothing to build";
  say(
    `ready in ${seconds()} s (${what}): web app http://127.0.0.1:5000 · API http://127.0.0.1:5000/v1 · ` +
      "docs http://127.0.0.1:5000/docs/ · Ctrl-C stops",
  );
}

main().catch((error) => {
  console.error(`\n[parley] npm start failed: ${error.message}\n`);
  if (suite) suite.kill("SIGINT");
  else process.exit(1);
});

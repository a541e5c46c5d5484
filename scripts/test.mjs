#!/usr/bin/env node
// `npm test`: the build; then the checks, the unit tier and finding a browser side by side (none
// needs the emulators, and each is mostly one thread); then the emulator tier. It stops after the
// first stage that fails, and ends with one line of the time each step took (the README's
// "Tests" section quotes it).
import { spawn } from "node:child_process";
import { root } from "./build-steps.mjs";

/** The stages of `npm test`, in order; the steps of a stage run at once. */
const stages = [
  [["build", "npm run build"]],
  [
    ["check", "npm run check"],
    ["unit", "npm run test:unit"],
    ["browser", "node scripts/browser.mjs"],
  ],
  [["emulators", "npm run test:emulators"]],
];

/**
 * Runs one step. Alone in its stage, its output streams; beside others, it is kept and printed
 * whole when the step ends, so that steps' lines don't interleave.
 * @returns {Promise<{name: string, code: number, seconds: number}>}
 */
function runStep([name, command], alone) {
  const started = performance.now();
  const child = spawn(command, { cwd: root, stdio: alone ? "inherit" : ["ignore", "pipe", "pipe"], shell: true });
  const output = [];
  if (!alone) for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk) => output.push(chunk));
  return new Promise((resolve) =>
    child.on("close", (exit, signal) => {
      if (!alone) process.stdout.write(`\n[parley] ── ${name} (${command}) ──\n${Buffer.concat(output).toString()}`);
      resolve({ name, code: exit ?? (signal ? 1 : 0), seconds: Math.round((performance.now() - started) / 1000) });
    }),
  );
}

const times = [];
const line = () => `[parley] npm test: ${times.map(({ name, seconds }) => `${name} ${seconds} s`).join(" · ")}`;
for (const stage of stages) {
  const results = await Promise.all(stage.map((step) => runStep(step, stage.length === 1)));
  times.push(...results);
  const failed = results.filter((result) => result.code !== 0);
  if (failed.length) {
    console.error(`${line()}: ${failed.map((result) => `${result.name} failed (exit ${result.code})`).join(", ")}`);
    process.exit(failed[0].code);
  }
}
console.log(line());

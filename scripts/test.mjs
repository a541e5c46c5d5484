#!/usr/bin/env node
// `npm test`: the build, the checks, both tiers, in order, stopping at the first that fails,
// then one line with the time each took (the README's "Tests" section quotes them).
import { spawn } from "node:child_process";
import { root } from "./build-steps.mjs";

/** What `npm test` runs: a name for the timing line, and the command. */
const steps = [
  ["build", "npm run build"],
  ["check", "npm run check"],
  ["unit", "npm run test:unit"],
  ["browser", "node scripts/browser.mjs"],
  ["emulators", "npm run test:emulators"],
];

const times = [];
const line = () => `[parley] npm test: ${times.map(([name, s]) => `${name} ${s} s`).join(" · ")}`;
for (const [name, command] of steps) {
  const started = performance.now();
  const code = await new Promise((resolve) =>
    spawn(command, { cwd: root, stdio: "inherit", shell: true }).on("exit", (exit, signal) => resolve(exit ?? (signal ? 1 : 0))),
  );
  times.push([name, Math.round((performance.now() - started) / 1000)]);
  if (code !== 0) {
    console.error(`${line()}: ${name} failed (exit ${code})`);
    process.exit(code);
  }
}
console.log(line());

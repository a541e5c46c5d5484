#!/usr/bin/env node
// `npm run build`: everything, type-checked, in two chains side by side (tsc is one thread, and
// the machines have two cores): functions → their JSON Schemas (scripts/doc-schemas.mjs loads
// functions/lib), and client → web app (which bundles the client's build). Each step is its
// workspace's own `build` script. `npm start` builds less (scripts/start.mjs).
import { spawn } from "node:child_process";
import { root } from "./build-steps.mjs";

/** Runs a command in the repository; resolves when it exits 0. */
function run(command, args) {
  return new Promise((resolve, reject) =>
    spawn(command, args, { cwd: root, stdio: "inherit" }).on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`)),
    ),
  );
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const started = performance.now();
try {
  await Promise.all([
    run(npm, ["run", "build", "--workspace", "functions"]).then(() => run(process.execPath, ["scripts/doc-schemas.mjs"])),
    run(npm, ["run", "build", "--workspace", "client"]).then(() => run(npm, ["run", "build", "--workspace", "web"])),
  ]);
  console.log(`[parley] built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`[parley] build failed: ${error.message}`);
  process.exit(1);
}

// The build steps `npm start` runs (scripts/start.mjs), each skipped when nothing it reads has
// changed since it last ran. A step's stamp (.cache/build/<step>.json) holds a SHA-256 of its
// inputs (every file's path and bytes) and the modification time of its output marker, so a step
// runs again when an input changed, when its output is missing, or when something else (such as
// `npm run build`) wrote the output since.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const stampDir = join(root, ".cache", "build");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const vite = join(root, "node_modules", "vite", "bin", "vite.js");

/**
 * What `npm start` builds, in order of need. `tsc --noCheck` emits exactly what a checked build
 * emits (compared file by file on this tree) without the type check, which `npm run check` and
 * `npm test` do; the web app is bundled by Vite without its `tsc` pass for the same reason.
 * @type {Record<string, {inputs: string[], output: string, command: string[], cwd?: string}>}
 */
export const steps = {
  functions: {
    inputs: ["functions/src", "functions/tsconfig.json", "functions/package.json", "package-lock.json"],
    output: "functions/lib/index.js",
    command: [tsc, "-p", "functions/tsconfig.json", "--noCheck"],
  },
  client: {
    // The client compiles the views it shares with the functions (its rootDir is the repository).
    inputs: ["client/src", "client/tsconfig.json", "client/package.json", "functions/src", "package-lock.json"],
    output: "client/dist/client/src/index.js",
    command: [tsc, "-p", "client/tsconfig.json", "--noCheck"],
  },
  web: {
    // The web app bundles the client's build and the server's parley.config.json.
    inputs: [
      "web/src",
      "web/index.html",
      "web/vite.config.ts",
      "web/package.json",
      "web/public",
      "client/src",
      "functions/src",
      "functions/parley.config.json",
      "package-lock.json",
    ],
    output: "web/dist/index.html",
    command: [vite, "build", "--logLevel", "warn"],
    cwd: "web",
  },
};

/** Every file under `path` (a file or a folder), as paths relative to the repository, sorted. */
function filesUnder(path) {
  const absolute = join(root, path);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [path];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

/** SHA-256 (hex) of the paths and bytes of every file a step reads. */
export function fingerprint(step) {
  const hash = createHash("sha256");
  for (const file of steps[step].inputs.flatMap(filesUnder)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

const stampFile = (step) => join(stampDir, `${step}.json`);
const outputTime = (step) => {
  const output = join(root, steps[step].output);
  return existsSync(output) ? statSync(output).mtimeMs : null;
};

/** True when `step` must run: no stamp, inputs changed, output missing or rewritten since. */
export function isStale(step, inputs = fingerprint(step)) {
  if (!existsSync(stampFile(step))) return true;
  const stamp = JSON.parse(readFileSync(stampFile(step), "utf8"));
  const output = outputTime(step);
  return output === null || stamp.inputs !== inputs || stamp.outputMtimeMs !== output;
}

/** Runs `step`'s command; resolves when it exits 0, rejects with its exit code otherwise. */
function runCommand(step) {
  const { command, cwd } = steps[step];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, command, { cwd: join(root, cwd ?? "."), stdio: "inherit" });
    child.on("exit", (code) => (code === 0 ? resolvePromise() : reject(new Error(`${step} build exited with ${code}`))));
  });
}

/**
 * Builds `step` unless it is up to date; records the stamp after a successful build.
 * @returns {Promise<boolean>} whether it built.
 */
export async function buildStep(step) {
  const inputs = fingerprint(step);
  if (!isStale(step, inputs)) return false;
  await runCommand(step);
  mkdirSync(stampDir, { recursive: true });
  writeFileSync(stampFile(step), `${JSON.stringify({ inputs, outputMtimeMs: outputTime(step) })}\n`);
  return true;
}

// Where the Chromium the browser tests and the bench drive is, found one way for both: shared by
// scripts/browser.mjs (which installs one when there is none), test/helpers/browser.ts and
// bench/browser-latency.mjs, so `npm run bench` finds the browser `npm test` found.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root (the folder holding `.cache/`), whatever the working directory. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Where scripts/browser.mjs writes the path of the browser it found or installed. */
export const chromiumPathFile = join(root, ".cache", "chromium-path");

/** The browser names looked up on the PATH, in this order. */
export const CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/** The first of {@link CHROMIUM_NAMES} on the PATH, or `undefined`. */
export function chromiumOnPath() {
  for (const name of CHROMIUM_NAMES) {
    const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout?.trim();
    if (found) return found;
  }
  return undefined;
}

/**
 * The Chromium to launch: `$CHROMIUM_PATH` when set (even if missing, so the caller can say so),
 * else the path in `.cache/chromium-path` (written by `node scripts/browser.mjs`, part of
 * `npm test`) when that file names an existing browser, else the first of {@link CHROMIUM_NAMES}
 * on the PATH; `undefined` when there is none.
 * @returns {string | undefined}
 */
export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  const cached = existsSync(chromiumPathFile) ? readFileSync(chromiumPathFile, "utf8").trim() : "";
  if (cached && existsSync(cached)) return cached;
  return chromiumOnPath();
}

/**
 * The flags every launch takes: headless in a container (no sandbox, no GPU), and kept off the
 * network (no QUIC, no first-run, background, component or sync traffic), which a closed network
 * refuses anyway. Playwright gives each launch a fresh, empty profile of its own.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

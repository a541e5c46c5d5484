// Finds the Chromium the browser tests drive, and installs Debian's when none is there and this
// machine may: the test command needs no third step after `npm install`. Playwright's own
// browser download can't be used (it fetches a binary from a host a closed network can't reach).
// Order: $CHROMIUM_PATH, then chromium, chromium-browser, google-chrome(-stable) on the PATH.
// Writes the path to .cache/chromium-path for test/browser/ and the bench (both read it through
// scripts/chromium.mjs, which looks on the PATH too); prints one line either way.
//
//   node scripts/browser.mjs
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { chromiumOnPath, chromiumPathFile } from "./chromium.mjs";

/** The first browser found, or `undefined`. */
function findBrowser() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    console.error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist.`);
    process.exit(1);
  }
  return chromiumOnPath();
}

/** How this machine may install a Debian package: as root, through passwordless sudo, or not at all. */
function installer() {
  if (spawnSync("sh", ["-c", "command -v apt-get"]).status !== 0) return undefined;
  if (process.getuid?.() === 0) return [];
  return spawnSync("sudo", ["-n", "true"]).status === 0 ? ["sudo", "-n"] : undefined;
}

let path = findBrowser();
if (!path) {
  const prefix = installer();
  if (!prefix) {
    console.error(
      "No Chromium found: install Debian's chromium (apt-get install chromium), or set CHROMIUM_PATH to a Chrome or Chromium.",
    );
    process.exit(1);
  }
  console.log("No Chromium found: installing Debian's chromium (apt-get install chromium)…");
  const run = (args) => {
    const [command, ...rest] = [...prefix, ...args];
    execFileSync(command, rest, { stdio: "inherit" });
  };
  run(["apt-get", "update", "-qq"]);
  run(["apt-get", "install", "-y", "-qq", "chromium"]);
  path = findBrowser();
  if (!path) {
    console.error("apt-get installed chromium, but no chromium is on the PATH: set CHROMIUM_PATH.");
    process.exit(1);
  }
}
mkdirSync(dirname(chromiumPathFile), { recursive: true });
writeFileSync(chromiumPathFile, path);
console.log(`Browser tests use ${path}`);

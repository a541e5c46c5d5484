#!/usr/bin/env node
// Starts the Firebase emulator suite for Parley on any machine: one with internet (the
// emulators firebase-tools downloads) and one without (the Google Cloud SDK's copies).
//
//   node scripts/emulators.mjs start [firebase args...]   serve with the demo data
//   node scripts/emulators.mjs exec "<command>" [opts]    run a command against a fresh suite
//   node scripts/emulators.mjs seed                       rebuild emulator-data/ from scratch
//   node scripts/emulators.mjs prepare                    only pick (or download) the emulators
//
// Facts behind each step: ../shared/notes/emulators.md (and the README's "Emulators" section).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import AdmZip from "adm-zip";
import { standInJar } from "./storage-rules-stand-in/jar.mjs";
import { checkDeniesAllClientAccess } from "./storage-rules-stand-in/rules-check.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = join(root, ".cache", "emulators");
const projectId = "demo-parley";
/**
 * The emulators started unless PARLEY_EMULATORS names others. Pub/Sub is left out: only the
 * scheduled jobs would use it (to be triggered by hand), and its JVM added seconds to every start
 * and a few per cent of a core while idle. `PARLEY_EMULATORS=auth,firestore,functions,pubsub,storage,hosting`
 * brings it back; the Functions emulator then serves the jobs' topics.
 */
const emulators = ["auth", "firestore", "functions", "storage", "hosting"];
const firestoreMainClass = "com.google.cloud.datastore.emulator.firestore.CloudFirestore";

function fail(message) {
  console.error(`\n[parley] ${message}\n`);
  process.exit(1);
}

function info(message) {
  console.log(`[parley] ${message}`);
}

function warn(message) {
  console.warn(`\n[parley] WARNING: ${message}\n`);
}

/** Java major version on PATH, or null when there is no `java`. */
function javaMajorVersion() {
  const result = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (result.error || result.status !== 0) return null;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return null;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

/** Where firebase-tools keeps the emulators it downloads, and their expected file names. */
function firebaseToolsDownloads() {
  const dir = process.env.FIREBASE_EMULATORS_PATH || join(homedir(), ".cache", "firebase", "emulators");
  const infoFile = join(root, "node_modules", "firebase-tools", "lib", "emulator", "downloadableEmulatorInfo.json");
  if (!existsSync(infoFile)) fail("firebase-tools is not installed. Run `npm install` first.");
  const details = JSON.parse(readFileSync(infoFile, "utf8"));
  return {
    firestore: join(dir, details.firestore.downloadPathRelativeToCacheDir),
    pubsub: join(dir, details.pubsub.binaryPathRelativeToCacheDir),
    storage: join(dir, details.storage.downloadPathRelativeToCacheDir),
  };
}

/** Root of an installed Google Cloud SDK, or null. */
function cloudSdkRoot() {
  const candidates = [process.env.CLOUDSDK_ROOT_DIR, "/usr/lib/google-cloud-sdk", "/usr/share/google-cloud-sdk"];
  const gcloud = spawnSync("sh", ["-c", "command -v gcloud"], { encoding: "utf8" }).stdout.trim();
  if (gcloud) candidates.push(resolve(dirname(realpathSync(gcloud)), ".."));
  return candidates.find((dir) => dir && existsSync(join(dir, "platform"))) ?? null;
}

/**
 * firebase-tools runs `java -jar $FIRESTORE_EMULATOR_BINARY_PATH`, but the Cloud SDK's jar has
 * no Main-Class. A jar holding only a manifest that names the class and puts the SDK's jar on
 * the class path starts the real emulator. Built once into the gitignored cache folder.
 */
function firestoreLauncherJar(sdkJar) {
  const launcher = join(cacheDir, "cloud-firestore-emulator-launcher.jar");
  const manifest = [
    "Manifest-Version: 1.0",
    `Main-Class: ${firestoreMainClass}`,
    `Class-Path: ${new URL(`file://${sdkJar}`).href}`,
    "",
    "",
  ].join("\r\n");
  const existing = existsSync(launcher) ? new AdmZip(launcher).readAsText("META-INF/MANIFEST.MF") : "";
  if (existing !== manifest) {
    mkdirSync(cacheDir, { recursive: true });
    const zip = new AdmZip();
    zip.addFile("META-INF/MANIFEST.MF", Buffer.from(manifest, "utf8"));
    zip.writeZip(launcher);
  }
  return launcher;
}

/** Runs `firebase setup:emulators:<name>`; true when the download worked. */
function download(name) {
  info(`Downloading the ${name} emulator (firebase setup:emulators:${name})...`);
  const result = spawnSync(firebaseBin(), [`setup:emulators:${name}`], { stdio: "inherit", cwd: root });
  return result.status === 0;
}

/** How long a failed download is remembered (.cache/emulators/<name>-download-failed). */
const DOWNLOAD_RETRY_MS = 24 * 60 * 60 * 1000;

/**
 * {@link download}, but a failure is remembered for a day, so that a machine without internet
 * doesn't spend seconds on the same failed download at every start. Delete the marker file to
 * try again sooner.
 */
function downloadOnce(name) {
  const marker = join(cacheDir, `${name}-download-failed`);
  if (existsSync(marker) && Date.now() - statSync(marker).mtimeMs < DOWNLOAD_RETRY_MS) {
    info(
      `${name}: the download failed at ${statSync(marker).mtime.toISOString()}; not retried for a day (delete ${marker} to retry)`,
    );
    return false;
  }
  if (download(name)) return true;
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  return false;
}

function firebaseBin() {
  return join(root, "node_modules", ".bin", "firebase");
}

/**
 * Picks a binary for each Java emulator, in this order: a path the user set, the copy
 * firebase-tools downloaded, the Google Cloud SDK's copy, a fresh download. Returns the
 * environment variables that point firebase-tools at the choice. `wanted`: the emulators that
 * will run (Pub/Sub is picked only when among them).
 */
function resolveJavaEmulators(wanted) {
  const java = javaMajorVersion();
  if (java === null) {
    fail(
      "Java is required by the Firestore and Pub/Sub emulators but `java` was not found.\n" +
        "Install a JDK or JRE 11 or newer (Debian: `apt-get install openjdk-17-jre-headless`).",
    );
  }
  if (java < 11) fail(`Java ${java} is too old for the Firestore emulator; install Java 11 or newer.`);

  const downloads = firebaseToolsDownloads();
  const sdk = cloudSdkRoot();
  const env = {};

  const choose = (name, envVar, sdkPath, wrap) => {
    const preset = process.env[envVar];
    if (preset) {
      if (!existsSync(preset)) fail(`${envVar} points to ${preset}, which does not exist.`);
      info(`${name}: using ${envVar}=${preset}`);
      return;
    }
    if (existsSync(downloads[name])) {
      info(`${name}: using the emulator firebase-tools downloaded (${downloads[name]})`);
      return;
    }
    if (sdkPath && existsSync(sdkPath)) {
      env[envVar] = wrap(sdkPath);
      info(`${name}: using the Google Cloud SDK's emulator (${sdkPath})`);
      return;
    }
    if (download(name)) return;
    fail(
      `The ${name} emulator is missing and could not be downloaded.\n` +
        `Install the Google Cloud SDK component (gcloud components install ${name === "firestore" ? "cloud-firestore-emulator" : "pubsub-emulator"}\n` +
        `or apt-get install google-cloud-cli-${name === "firestore" ? "firestore-emulator" : "pubsub-emulator"}), ` +
        `or set ${envVar} to an emulator binary.`,
    );
  };

  choose(
    "firestore",
    "FIRESTORE_EMULATOR_BINARY_PATH",
    sdk && join(sdk, "platform", "cloud-firestore-emulator", "cloud-firestore-emulator.jar"),
    firestoreLauncherJar,
  );
  if (wanted.has("pubsub"))
    choose(
      "pubsub",
      "PUBSUB_EMULATOR_BINARY_PATH",
      sdk && join(sdk, "platform", "pubsub-emulator", "bin", "cloud-pubsub-emulator"),
      (path) => path,
    );
  Object.assign(env, resolveStorageRulesRuntime(downloads.storage));
  return env;
}

/** The value of `--config <file>` among firebase's arguments, else the project's firebase.json. */
function firebaseConfigFile(args) {
  const index = args.indexOf("--config");
  return index >= 0 && args[index + 1] ? resolve(args[index + 1]) : join(root, "firebase.json");
}

/** Every storage.rules file the firebase config names (one, or one per bucket). */
function storageRulesFiles(configFile) {
  const storage = JSON.parse(readFileSync(configFile, "utf8")).storage ?? [];
  return (Array.isArray(storage) ? storage : [storage])
    .filter((entry) => entry.rules)
    .map((entry) => resolve(dirname(configFile), entry.rules));
}

/**
 * The Storage emulator always starts a "rules runtime" jar. Order: a path the user set, the
 * copy firebase-tools downloaded, a fresh download, and last Parley's stand-in, which denies
 * every client request. The stand-in is only truthful for rules that deny all client access,
 * so it is refused for any other rules. `PARLEY_STORAGE_RULES_RUNTIME=stand-in` forces it.
 */
function resolveStorageRulesRuntime(downloaded) {
  const forced = process.env.PARLEY_STORAGE_RULES_RUNTIME === "stand-in";
  if (!forced) {
    if (process.env.STORAGE_EMULATOR_BINARY_PATH) {
      info(`storage: using STORAGE_EMULATOR_BINARY_PATH=${process.env.STORAGE_EMULATOR_BINARY_PATH}`);
      return {};
    }
    if (existsSync(downloaded)) {
      info(`storage: using the rules runtime firebase-tools downloaded (${downloaded})`);
      return {};
    }
    if (downloadOnce("storage") && existsSync(downloaded)) return {};
  }

  for (const file of storageRulesFiles(firebaseConfigFile(process.argv))) {
    const verdict = checkDeniesAllClientAccess(readFileSync(file, "utf8"));
    if (!verdict.deniesAll) {
      fail(
        `The Storage emulator's rules runtime is not installed, and Parley's stand-in for it denies\n` +
          `every client request, but ${file} allows client access: ${verdict.reason}.\n` +
          "The stand-in's verdicts would be wrong for these rules, so the emulators do not start.\n" +
          "Install the real runtime (firebase setup:emulators:storage, needs internet) or set\n" +
          "STORAGE_EMULATOR_BINARY_PATH to it.",
      );
    }
  }
  let jar;
  try {
    jar = standInJar(cacheDir);
  } catch (error) {
    fail(
      `The Storage emulator's rules runtime is not installed and Parley's stand-in could not be built\n` +
        `(${error.message.trim()}). Install a JDK (javac), or the real runtime with\n` +
        "firebase setup:emulators:storage, or set STORAGE_EMULATOR_BINARY_PATH to it.",
    );
  }
  warn(
    "storage: the Storage rules runtime is not installed, so Parley uses a STAND-IN that DENIES\n" +
      "EVERY CLIENT (non-admin) REQUEST. This is right only because storage.rules denies all client\n" +
      "access (all files go through the Functions API). To evaluate real rules, install the runtime:\n" +
      "firebase setup:emulators:storage",
  );
  return { STORAGE_EMULATOR_BINARY_PATH: jar };
}

/**
 * The Functions emulator starts one worker process per request in flight and fails a request
 * whose worker is not up within FUNCTIONS_DISCOVERY_TIMEOUT seconds (default 30). Fifty workers
 * starting at once on a two-core machine need longer; 120 s is the default here.
 */
const workerStartTimeout = { FUNCTIONS_DISCOVERY_TIMEOUT: process.env.FUNCTIONS_DISCOVERY_TIMEOUT ?? "120" };

/**
 * Nothing run here may send traffic off loopback, and Google's auth libraries (in the Admin
 * SDK, the Storage SDK and the Functions emulator's workers) probe the metadata server
 * (169.254.169.254, metadata.google.internal) to find credentials. `none` tells gcp-metadata
 * not to probe: the emulators need no credentials. A value already set is kept.
 */
const noMetadataServer = { METADATA_SERVER_DETECTION: process.env.METADATA_SERVER_DETECTION ?? "none" };

/**
 * firebase-tools runs in Node with `scripts/emulator-http-agent.cjs` preloaded: without
 * keep-alive to the Functions workers, a busy emulator can't write a request into a socket its
 * worker closed (an EPIPE that it answers with 500).
 */
function run(args, extraEnv) {
  const firebaseJs = join(root, "node_modules", "firebase-tools", "lib", "bin", "firebase.js");
  const preload = join(root, "scripts", "emulator-http-agent.cjs");
  const child = spawn(process.execPath, ["--require", preload, firebaseJs, ...args], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...workerStartTimeout, ...noMetadataServer, ...extraEnv },
  });
  const forward = (signal) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

// PARLEY_EMULATORS (a comma list) and PARLEY_IMPORT (an export folder, or `none` for an empty
// suite) override what runs and what is imported; the durability test starts a second suite
// from an export that way, and the existing-app test an empty one.
const [mode, ...rest] = process.argv.slice(2);
const only = process.env.PARLEY_EMULATORS ?? emulators.join(",");
const importDir = process.env.PARLEY_IMPORT ?? "emulator-data";
const common = ["--project", projectId, "--only", only];
const importing = importDir === "none" ? [] : ["--import", importDir];
const env = resolveJavaEmulators(new Set(only.split(",")));
if (mode === "start") {
  run(["emulators:start", ...common, ...importing, ...rest], env);
} else if (mode === "exec") {
  if (rest.length < 1) fail('Usage: node scripts/emulators.mjs exec "<command>" [firebase options]');
  run(["emulators:exec", ...common, ...importing, ...rest.slice(1), rest[0]], env);
} else if (mode === "prepare") {
  // Only picks (and if need be downloads) the emulators: `npm start` runs this beside its builds.
} else if (mode === "seed") {
  run(["emulators:exec", ...common, "--export-on-exit", "emulator-data", "node scripts/seed-demo-data.mjs"], env);
} else {
  fail("Usage: node scripts/emulators.mjs start|exec|seed|prepare");
}

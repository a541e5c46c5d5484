// Builds the stand-in's jar: StandInLauncher.class plus a manifest naming this Node and runtime.mjs.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import AdmZip from "adm-zip";

const here = dirname(fileURLToPath(import.meta.url));
const launcherSource = join(here, "StandInLauncher.java");
const runtimeScript = join(here, "runtime.mjs");

/**
 * Returns the path of the stand-in jar in `cacheDir`, building it with `javac` when it is missing
 * or stale (other Node, other project folder, changed launcher source).
 * @throws Error when the jar has to be built and no `javac` is on PATH.
 */
export function standInJar(cacheDir) {
  const jar = join(cacheDir, "storage-rules-stand-in.jar");
  const sourceHash = createHash("sha256").update(readFileSync(launcherSource)).digest("hex");
  const manifest = [
    "Manifest-Version: 1.0",
    "Main-Class: StandInLauncher",
    `Parley-Node: ${process.execPath}`,
    `Parley-Script: ${runtimeScript}`,
    `Parley-Source-Hash: ${sourceHash}`,
    "",
    "",
  ].join("\r\n");
  if (existsSync(jar) && new AdmZip(jar).readAsText("META-INF/MANIFEST.MF") === manifest) return jar;

  const classes = mkdtempSync(join(tmpdir(), "parley-stand-in-"));
  try {
    const javac = spawnSync("javac", ["--release", "11", "-d", classes, launcherSource], { encoding: "utf8" });
    if (javac.error || javac.status !== 0) {
      throw new Error(`javac could not build the stand-in: ${javac.error?.message ?? javac.stderr}`);
    }
    mkdirSync(cacheDir, { recursive: true });
    const zip = new AdmZip();
    zip.addFile("META-INF/MANIFEST.MF", Buffer.from(manifest, "utf8"));
    zip.addFile("StandInLauncher.class", readFileSync(join(classes, "StandInLauncher.class")));
    zip.writeZip(jar);
  } finally {
    rmSync(classes, { recursive: true, force: true });
  }
  return jar;
}

import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { secondSuiteEmulators } from "../helpers/emulators.js";

// The README's "Add Parley to your project", followed on a fixture app that has its own
// function, rules, indexes and `users` collection (test/fixtures/existing-app): Parley's folder
// goes beside the app with a collection prefix, its codebase joins the app's firebase.json, and
// its rules and indexes are merged in. Then a second emulator suite runs both codebases and
// `check.mjs` checks the app still works as before and Parley works under the prefix.

const root = resolve(".");
const fixture = join(root, "test", "fixtures", "existing-app");
const prefix = "parley_";
/** The second suite's ports: beside the first suite's, which the other test files use. */
const secondSuite = secondSuiteEmulators(1_000);

// Inside the repository (gitignored `.cache/`), so both codebases resolve their packages from
// its node_modules, as an app's would from its own.
mkdirSync(join(root, ".cache"), { recursive: true });
const work = mkdtempSync(join(root, ".cache", "existing-app-"));
afterAll(() => {
  if (!process.env.PARLEY_KEEP_WORK) rmSync(work, { recursive: true, force: true });
});

/** "Put Parley's folder beside your app": what a clone holds that deploying needs (built). */
function placeParley(parley: string): void {
  for (const file of ["package.json", "firebase.json", "firestore.rules", "firestore.indexes.json", "scripts/parley.mjs"]) {
    cpSync(join(root, file), join(parley, file));
  }
  cpSync(join(root, "scripts", "install"), join(parley, "scripts", "install"), { recursive: true });
  for (const file of ["package.json", ".env", ".env.demo-parley"])
    cpSync(join(root, "functions", file), join(parley, "functions", file));
  cpSync(join(root, "functions", "lib"), join(parley, "functions", "lib"), { recursive: true });
}

/** Step 1: Parley's codebase beside the app's in the app's firebase.json, copied from Parley's. */
function addCodebase(app: string): void {
  const config = JSON.parse(readFileSync(join(app, "firebase.json"), "utf8"));
  const parleyEntry = JSON.parse(readFileSync(join(app, "parley", "firebase.json"), "utf8")).functions[0];
  config.functions.push({ ...parleyEntry, source: "parley/functions" });
  config.emulators = secondSuite;
  writeFileSync(join(app, "firebase.json"), `${JSON.stringify(config, null, 2)}\n`);
}

describe("Parley added to an app's Firebase project", () => {
  it("when the README's steps are followed, then the app's function and rules work as before, and Parley works under its prefix", () => {
    cpSync(fixture, work, { recursive: true });
    const parley = join(work, "parley");
    placeParley(parley);
    writeFileSync(join(parley, "functions", "parley.config.json"), `${JSON.stringify({ collections: { prefix } }, null, 2)}\n`);
    addCodebase(work);
    cpSync(join(work, "firestore.rules"), join(work, "firestore.rules.before"));
    const cli = (...args: string[]) =>
      execFileSync(process.execPath, [join(parley, "scripts", "parley.mjs"), ...args], { cwd: work, encoding: "utf8" });
    cli("rules", "merge", "firestore.rules");
    cli("indexes", "merge", "firestore.indexes.json");
    writeFileSync(join(work, "collections.json"), cli("collections"));

    // The merges kept the app's part and wrote Parley's for the prefixed names.
    const rules = readFileSync(join(work, "firestore.rules"), "utf8");
    expect(rules).toContain(
      readFileSync(join(fixture, "firestore.rules"), "utf8").split("service cloud.firestore {")[1].split("\n    // Anyone")[0],
    );
    expect(rules).toContain(`match /${prefix}chats/{chatId}`);
    expect(rules).not.toMatch(/match \/chats\//);
    const indexes = JSON.parse(readFileSync(join(work, "firestore.indexes.json"), "utf8"));
    const groups = new Set(indexes.indexes.map((index: { collectionGroup: string }) => index.collectionGroup));
    expect(groups.has("posts") && groups.has(`${prefix}messages`) && !groups.has("messages")).toBe(true);
    expect(cli("rules", "merge", "firestore.rules")).toContain("unchanged");

    const second = spawnSync(
      process.execPath,
      [
        "scripts/emulators.mjs",
        "exec",
        `node ${join(fixture, "check.mjs")} ${work} ${secondSuite.functions.port} ${prefix}`,
        "--config",
        join(work, "firebase.json"),
      ],
      {
        encoding: "utf8",
        timeout: 300_000,
        env: {
          ...process.env,
          PARLEY_EMULATORS: "auth,firestore,functions",
          PARLEY_IMPORT: "none",
          TMPDIR: mkdtempSync(join(work, "tmp-")),
        },
      },
    );
    const report = /EXISTING_APP (\{.*\})/.exec(second.stdout)?.[1];
    expect(report, second.stdout.slice(-3000) + second.stderr.slice(-2000)).toBeDefined();
    const { problems, collections } = JSON.parse(report as string);
    expect(problems).toEqual([]);
    expect(collections).toContain("users");
    expect(collections).toContain(`${prefix}chats`);
    expect(second.status).toBe(0);
  }, 360_000);
});

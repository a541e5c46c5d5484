import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { standInJar } from "../../scripts/storage-rules-stand-in/jar.mjs";
import { checkDeniesAllClientAccess } from "../../scripts/storage-rules-stand-in/rules-check.mjs";

const projectRules = readFileSync("storage.rules", "utf8");
const permissive = `rules_version = '2';
service firebase.storage {
  match /b/{bucket}/o {
    match /{allPaths=**} {
      allow read: if request.auth != null;
    }
  }
}`;

describe("the deny-all check behind the Storage rules runtime stand-in", () => {
  const cases: [string, string, boolean][] = [
    ["the project's storage.rules", projectRules, true],
    ["no allow statement at all", "service firebase.storage { match /b/{bucket}/o { } }", true],
    ["`if (false)`", "allow read, write: if (false);", true],
    ["a commented-out grant", "// allow read: if true;\n/* allow write: if true; */\nallow read: if false;", true],
    ["a signed-in grant", permissive, false],
    ["an unconditional allow", "allow read;", false],
    ["`false || true`", "allow write: if false || true;", false],
    ["a function call", "allow read: if isOwner();", false],
    ["an allow split over lines", "allow\n  read\n  : if true;", false],
  ];
  for (const [name, source, deniesAll] of cases) {
    it(`${name}: ${deniesAll ? "denies all" : "may grant access"}`, () => {
      expect(checkDeniesAllClientAccess(source).deniesAll).toBe(deniesAll);
    });
  }
});

describe("the stand-in rules runtime process", () => {
  it("when firebase-tools talks to it, then it is ready, loads deny-all rules, denies every request, and exits on other rules", async () => {
    const jar = standInJar(mkdtempSync(join(tmpdir(), "parley-stand-in-test-")));
    const runtime = spawn("java", ["-jar", jar, "serve"]);
    const replies = createInterface({ input: runtime.stdout })[Symbol.asyncIterator]();
    const next = async () => JSON.parse((await replies.next()).value as string);
    const sendLine = (request: unknown) => runtime.stdin.write(`${JSON.stringify(request)}\n`);
    let stderr = "";
    runtime.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => runtime.on("exit", resolve));

    expect(await next()).toMatchObject({ id: -1, status: "ok" });
    sendLine({
      action: "load_ruleset",
      id: 0,
      context: { rulesetName: "0", source: { files: [{ name: "storage.rules", content: projectRules }] } },
    });
    expect(await next()).toEqual({ id: 0, status: "ok", errors: [], warnings: [], result: { rulesVersion: 2 } });
    sendLine({ action: "verify", id: 1, context: { rulesetName: "0", path: "/b/x/o/a", method: "get", variables: {} } });
    expect(await next()).toEqual({ id: 1, status: "ok", errors: [], warnings: [], result: { permit: false } });
    sendLine({
      action: "load_ruleset",
      id: 2,
      context: { rulesetName: "1", source: { files: [{ name: "open.rules", content: permissive }] } },
    });

    expect(await exited).toBe(1);
    expect(stderr).toMatch(/open\.rules allows client access/);
  });

  it("when storage.rules allows client access and only the stand-in is available, then the bootstrap refuses to start the emulators", () => {
    const project = mkdtempSync(join(tmpdir(), "parley-open-rules-"));
    writeFileSync(join(project, "storage.rules"), permissive);
    writeFileSync(join(project, "firebase.json"), JSON.stringify({ storage: { rules: "storage.rules" } }));

    const bootstrap = spawnSync(
      process.execPath,
      ["scripts/emulators.mjs", "start", "--config", join(project, "firebase.json")],
      { encoding: "utf8", env: { ...process.env, PARLEY_STORAGE_RULES_RUNTIME: "stand-in" }, timeout: 60_000 },
    );

    expect(bootstrap.status).toBe(1);
    expect(bootstrap.stderr).toContain(`${join(project, "storage.rules")} allows client access`);
    expect(bootstrap.stderr).toContain("so the emulators do not start");
    expect(bootstrap.stdout).not.toMatch(/Starting emulators/);
  });
});

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonical, EMPTY_LOCK, mergeIndexes } from "../../scripts/install/merge-indexes.mjs";
import { mergeRules, parleyRulesBlock, RULES_BEGIN, RULES_END } from "../../scripts/install/merge-rules.mjs";

// `npx parley rules merge` and `npx parley indexes merge` (scripts/install/): Parley's part of an
// app's files is written and updated, and the app's part stays byte for byte.

const parleyRules = readFileSync(new URL("../../firestore.rules", import.meta.url), "utf8");
const parleyIndexes = readFileSync(new URL("../../firestore.indexes.json", import.meta.url), "utf8");

const appRules = `rules_version = '2';
// The app's own rules: its users, its helper named as one of Parley's.
service cloud.firestore {
  match /databases/{db}/documents {
    function signedIn() { return request.auth != null; }
    match /users/{uid} {
      allow read, write: if signedIn() && request.auth.uid == uid; // "quoted { brace"
    }
  }
}
`;

/** `rules` without the lines from the begin marker to the end marker. */
function withoutParley(rules: string): string {
  const from = rules.lastIndexOf("\n", rules.indexOf(RULES_BEGIN)) + 1;
  const to = rules.indexOf("\n", rules.indexOf(RULES_END)) + 1;
  return rules.slice(0, from) + rules.slice(to);
}

describe("merging Parley's rules into an app's firestore.rules", () => {
  it("when merged, then Parley's block sits between the markers and everything else is byte for byte", () => {
    const merged = mergeRules(appRules, parleyRules);

    expect(withoutParley(merged)).toBe(appRules);
    expect(merged).toContain(parleyRulesBlock(parleyRules));
    expect(merged.split(RULES_BEGIN)).toHaveLength(2);
    expect(parleyRulesBlock(parleyRules)).toMatch(/^ {2}match \/databases\/\{database\}\/documents \{[\s\S]*\n {2}\}$/);
  });

  it("when merged twice, then the second merge changes nothing", () => {
    const once = mergeRules(appRules, parleyRules);

    expect(mergeRules(once, parleyRules)).toBe(once);
  });

  it("when Parley's rules change (an upgrade), then only the block between the markers changes", () => {
    const old = parleyRules.replace("match /blocks/{blockId} {", "match /blocks-old/{blockId} {");
    const merged = mergeRules(mergeRules(appRules, old), parleyRules);

    expect(merged).toBe(mergeRules(appRules, parleyRules));
    expect(merged).not.toContain("blocks-old");
  });

  it("when the app's file has CRLF line endings, then the block has them too, and the rest is kept", () => {
    const crlf = appRules.replace(/\n/g, "\r\n");
    const merged = mergeRules(crlf, parleyRules);

    expect(merged.replace(/\r\n/g, "")).not.toContain("\n");
    expect(mergeRules(merged, parleyRules)).toBe(merged);
  });

  it("when the app's file is version 1, has no service block, or a lone marker, then the merge refuses and says why", () => {
    expect(() => mergeRules(appRules.replace("rules_version = '2';\n", ""), parleyRules)).toThrow(/rules_version = '2'/);
    expect(() => mergeRules("rules_version = '2';\n", parleyRules)).toThrow(/service cloud.firestore/);
    expect(() => mergeRules(`${appRules}// ${RULES_END}\n`, parleyRules)).toThrow(/without/);
  });

  it("when the app's text around the markers is anything, then a merge keeps it and a second merge changes nothing", () => {
    const text = fc.string({ unit: fc.constantFrom("a", " ", "\n", "{", "}", "/", "*", "'", "é") });
    fc.assert(
      fc.property(text, text, (before, after) => {
        const app = `rules_version = '2';\n${before.replaceAll("parley:", "")}\nservice cloud.firestore {\n${after.replaceAll("parley:", "")}\n}\n`;
        const merged = mergeRules(app, parleyRules);
        expect(withoutParley(merged)).toBe(app);
        expect(mergeRules(merged, parleyRules)).toBe(merged);
      }),
    );
  });
});

const appIndexes = `{
    "indexes": [
        { "collectionGroup": "orders", "queryScope": "COLLECTION", "fields": [ { "fieldPath": "uid", "order": "ASCENDING" }, { "fieldPath": "at", "order": "DESCENDING" } ] }
    ],
    "fieldOverrides": [
        { "collectionGroup": "orders", "fieldPath": "notes", "indexes": [] }
    ]
}
`;

type IndexesFile = { indexes: unknown[]; fieldOverrides: { collectionGroup: string; fieldPath: string }[] };
const parleyFile = JSON.parse(parleyIndexes) as IndexesFile;

describe("merging Parley's indexes into an app's firestore.indexes.json", () => {
  it("when merged, then the file holds the app's entries as written and all of Parley's, and the lock lists Parley's", () => {
    const { text, lock } = mergeIndexes(appIndexes, parleyIndexes, EMPTY_LOCK);
    const merged = JSON.parse(text) as IndexesFile;

    expect(text).toContain(appIndexes.split("\n")[2]);
    expect(text).toContain(appIndexes.split("\n")[5]);
    expect(merged.indexes.map(canonical)).toEqual(expect.arrayContaining(parleyFile.indexes.map(canonical)));
    expect(merged.indexes).toHaveLength(parleyFile.indexes.length + 1);
    expect(merged.fieldOverrides).toHaveLength(parleyFile.fieldOverrides.length + 1);
    expect(lock.indexes).toHaveLength(parleyFile.indexes.length);
  });

  it("when merged twice, then the second merge changes nothing", () => {
    const once = mergeIndexes(appIndexes, parleyIndexes, EMPTY_LOCK);
    const twice = mergeIndexes(once.text, parleyIndexes, once.lock);

    expect(twice.text).toBe(once.text);
    expect(twice.lock).toEqual(once.lock);
  });

  it("when an upgrade drops an index and changes an override, then the old ones go, and the app's stay byte for byte", () => {
    const older = {
      indexes: [...parleyFile.indexes, { collectionGroup: "gone", queryScope: "COLLECTION", fields: [] }],
      fieldOverrides: parleyFile.fieldOverrides.map((override, i) => (i === 0 ? { ...override, indexes: [] } : override)),
    };
    const before = mergeIndexes(appIndexes, JSON.stringify(older), EMPTY_LOCK);
    expect(before.text).toContain('"gone"');

    const after = mergeIndexes(before.text, parleyIndexes, before.lock);

    expect(after.text).not.toContain('"gone"');
    expect(after).toEqual(mergeIndexes(appIndexes, parleyIndexes, EMPTY_LOCK));
  });

  it("when the app overrides a field Parley overrides, then the merge refuses and names it", () => {
    const first = parleyFile.fieldOverrides[0];
    const clash = appIndexes.replace(
      '{ "collectionGroup": "orders", "fieldPath": "notes", "indexes": [] }',
      JSON.stringify({ collectionGroup: first.collectionGroup, fieldPath: first.fieldPath, indexes: [] }),
    );

    expect(() => mergeIndexes(clash, parleyIndexes, EMPTY_LOCK)).toThrow(`overrides ${first.collectionGroup}.${first.fieldPath}`);
  });

  it("when the app's file lacks fieldOverrides or is empty, then they are added; text that is not JSON is refused", () => {
    const noOverrides = mergeIndexes('{\n  "indexes": []\n}\n', parleyIndexes, EMPTY_LOCK);
    const empty = mergeIndexes("{}", parleyIndexes, EMPTY_LOCK);

    for (const { text } of [noOverrides, empty]) {
      expect((JSON.parse(text) as IndexesFile).fieldOverrides).toHaveLength(parleyFile.fieldOverrides.length);
    }
    expect(() => mergeIndexes("{ nope", parleyIndexes, EMPTY_LOCK)).toThrow(/not a JSON object/);
  });
});

describe("npx parley (scripts/parley.mjs)", () => {
  const cli = new URL("../../scripts/parley.mjs", import.meta.url).pathname;
  const parley = (...args: string[]) => execFileSync(process.execPath, [cli, ...args], { encoding: "utf8" });

  it("when an app runs both merges twice, then the files are written once, with the lock beside them, and then unchanged", () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-app-"));
    const rules = join(dir, "firestore.rules");
    const indexes = join(dir, "firestore.indexes.json");
    writeFileSync(rules, appRules);
    writeFileSync(indexes, appIndexes);

    const first = parley("rules", "merge", rules) + parley("indexes", "merge", indexes);
    const written = [
      readFileSync(rules, "utf8"),
      readFileSync(indexes, "utf8"),
      readFileSync(join(dir, "parley-indexes.lock.json"), "utf8"),
    ];
    const second = parley("rules", "merge", rules) + parley("indexes", "merge", indexes);

    expect(first).toBe(`${rules}: Parley's part written\n${indexes}: Parley's part written\n`);
    expect(second).toBe(`${rules}: unchanged\n${indexes}: unchanged\n`);
    expect(written[0]).toBe(mergeRules(appRules, parleyRules));
    expect(written[1]).toBe(mergeIndexes(appIndexes, parleyIndexes, EMPTY_LOCK).text);
    expect(JSON.parse(written[2])).toEqual(mergeIndexes(appIndexes, parleyIndexes, EMPTY_LOCK).lock);
    expect([readFileSync(rules, "utf8"), readFileSync(indexes, "utf8")]).toEqual(written.slice(0, 2));
  });

  it("when asked something else, or a merge is refused, then it exits 1 and says why", () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-app-"));
    const v1 = join(dir, "firestore.rules");
    writeFileSync(v1, "service cloud.firestore {\n}\n");

    expect(() => parley("rules", "replace", v1)).toThrow(/usage: parley rules merge/);
    expect(() => parley("rules", "merge", v1)).toThrow(/rules_version = '2'/);
    expect(readFileSync(v1, "utf8")).toBe("service cloud.firestore {\n}\n");
  });
});

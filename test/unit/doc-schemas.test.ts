import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { GeoPoint, Timestamp } from "firebase-admin/firestore";
import { describe, expect, it } from "vitest";
import { converters } from "../../client/src/converters.js";
import { defaultCollections as collections } from "../../functions/src/shared/docs.js";
import { kinds, renderDocSchemas, target } from "../../scripts/doc-schemas.mjs";
import { docValidators, jsonOfDoc, schemaErrors } from "../helpers/doc-schemas.js";

// schemas/firestore/ is generated from the doc shapes (scripts/doc-schemas.mjs) for apps that
// read Firestore directly. These keep it from drifting: the files must be what the generator
// makes of functions/src today, cover every doc a client may read, and reject what the docs
// don't hold. test/docs/doc-schemas.test.ts validates real docs against them.

/** The collections firestore.rules lets a client read (`allow read`, `get` or `list`). */
function readableCollections(): Set<string> {
  const lines = readFileSync(resolve(import.meta.dirname, "../../firestore.rules"), "utf8").split("\n");
  const open: { name: string; depth: number }[] = [];
  const readable = new Set<string>();
  let depth = 0;
  for (const line of lines) {
    const match = /^\s*match (\S+) \{/.exec(line);
    if (match)
      open.push({
        name:
          match[1]
            .split("/")
            .filter((part) => part && !part.startsWith("{"))
            .pop() ?? "",
        depth,
      });
    if (/^\s*allow (read|get|list)\b/.test(line) && open.length > 0) readable.add(open[open.length - 1].name);
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    while (open.length > 0 && depth <= open[open.length - 1].depth) open.pop();
  }
  readable.delete("documents");
  return readable;
}

const validators = docValidators();

describe("the Firestore doc schemas (schemas/firestore/)", () => {
  it("when regenerated from functions/src, then they equal the committed files", async () => {
    const source = (module: string) => resolve(import.meta.dirname, "../../functions/src", `${module}.ts`);
    const load = (module: string) => import(source(module)) as Promise<Record<string, unknown>>;
    const files = await renderDocSchemas(load);
    const stale = "schemas/firestore/ is out of date: run `npm run build` (or `node scripts/doc-schemas.mjs`) and commit it";
    expect(readdirSync(target).sort(), stale).toEqual(Object.keys(files).sort());
    for (const [name, text] of Object.entries(files))
      expect(readFileSync(join(target, name), "utf8"), `${name}: ${stale}`).toBe(text);
  }, 30_000);

  it("cover the client's converters and every collection firestore.rules lets a client read", () => {
    expect(kinds.map((kind) => kind.key).sort()).toEqual([...Object.keys(converters), "edits"].sort());
    const named = new Set(kinds.map((kind) => collections[kind.key as keyof typeof collections]));
    expect([...readableCollections()].sort()).toEqual([...named].sort());
    expect(Object.keys(validators).sort()).toEqual([...named].map((name) => `${name}.schema.json`).sort());
  });

  it("when a doc has a field its shape does not declare, or lacks a required one, then validation fails", () => {
    const validate = validators["users.schema.json"];
    const profile = { displayName: "Ana", photoURL: null, createdAt: jsonOfDoc(Timestamp.fromMillis(1_765_100_000_123)) };
    expect(schemaErrors(validate, profile)).toEqual([]);
    expect(schemaErrors(validate, { ...profile, nickname: "A" }).join()).toContain("must NOT have additional properties");
    const { displayName: _name, ...nameless } = profile;
    expect(schemaErrors(validate, nameless).join()).toContain("must have required property 'displayName'");
    expect(schemaErrors(validate, { ...profile, createdAt: "yesterday" }).join()).toContain('must match format "date-time"');
    const message = { number: 1, from: null, type: "chat", text: "", clientMessageId: null, createdAt: profile.createdAt };
    expect(schemaErrors(validators["messages.schema.json"], message).join()).toContain(
      "/type must be equal to one of the allowed values",
    );
  });

  it("read timestamps as RFC 3339 date-time strings, to the nanosecond, and refuse other Firestore values", () => {
    expect(jsonOfDoc({ at: new Timestamp(1_765_100_000, 123_456_000), n: [1] })).toEqual({
      at: "2025-12-07T09:33:20.123456000Z",
      n: [1],
    });
    expect(() => jsonOfDoc({ where: new GeoPoint(1, 2) })).toThrow(/GeoPoint/);
  });
});

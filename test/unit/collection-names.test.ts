import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renameIndexCollections, renameRulesCollections } from "../../scripts/install/rename-collections.mjs";
import { collectionConfigOf, configuredCollections } from "../../functions/src/shared/collections.js";
import { collectionNames, defaultCollections } from "../../functions/src/shared/docs.js";

// Renaming Parley's collections (`functions/parley.config.json`): the names a config gives, and
// the shipped rules and indexes rewritten for them.

const parleyRules = readFileSync(new URL("../../firestore.rules", import.meta.url), "utf8");
const parleyIndexes = readFileSync(new URL("../../firestore.indexes.json", import.meta.url), "utf8");

/** Every literal path segment of `rules`' match and document paths. */
function pathSegments(rules: string): Set<string> {
  return new Set([...rules.matchAll(/(?<=\/)([A-Za-z][\w.-]*)(?=\/|\s*\{|\))/g)].map((match) => match[1]));
}

describe("collection names", () => {
  it("when no config is given, then every name is the default", () => {
    expect(collectionNames()).toEqual(defaultCollections);
    expect(collectionNames({})).toEqual(defaultCollections);
  });

  it("when a prefix is given, then every collection, top-level and nested, carries it; a named one takes its name whole", () => {
    const names = collectionNames({ prefix: "parley_", names: { users: "chat-profiles" } });
    expect(names.users).toBe("chat-profiles");
    expect(names.chats).toBe("parley_chats");
    expect(names.messages).toBe("parley_messages");
    expect(names.members).toBe("parley_members");
    expect(Object.values(names).filter((name) => !name.startsWith("parley_"))).toEqual(["chat-profiles"]);
  });

  it("when a config is not valid, then it is refused with what is wrong", () => {
    expect(() => collectionNames({ prefix: "a/b" })).toThrow(/collection prefix "a\/b"/);
    expect(() => collectionNames({ names: { users: "__users__" } })).toThrow(/not a valid collection id/);
    expect(() => collectionNames({ names: { chats: "users" } })).toThrow(/users and chats would both be named "users"/);
    expect(() => collectionNames({ names: { nope: "x" } as never })).toThrow(/collection "nope": no such collection/);
    expect(() => collectionConfigOf("[]")).not.toThrow();
    expect(() => collectionConfigOf('{"collections": {"prefix": 3}}')).toThrow(/prefix is not a string/);
    expect(() => collectionConfigOf('{"collections": {"names": {"users": 1}}}')).toThrow(/names.users is not a string/);
  });

  it("when the config file is absent, then the defaults; when present, its names", () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-config-"));
    expect(configuredCollections(join(dir, "none.json"))).toEqual(defaultCollections);
    writeFileSync(join(dir, "parley.config.json"), JSON.stringify({ collections: { prefix: "p_" } }));
    expect(configuredCollections(join(dir, "parley.config.json")).chats).toBe("p_chats");
  });
});

describe("rules and indexes for renamed collections", () => {
  const names = collectionNames({ prefix: "parley_", names: { users: "chat-profiles" } });

  it("when the rules are renamed, then every collection segment of every path takes its configured name, and nothing else changes", () => {
    const renamed = renameRulesCollections(parleyRules, defaultCollections, names);
    const defaults = new Set<string>(Object.values(defaultCollections));
    const before = [...pathSegments(parleyRules)].filter((segment) => defaults.has(segment));
    expect(before.length).toBeGreaterThan(10);
    const after = pathSegments(renamed);
    for (const segment of before) expect(after.has(segment), segment).toBe(false);
    expect(after.has("parley_chats") && after.has("parley_members") && after.has("chat-profiles")).toBe(true);
    // Fields and comments keep their words: `data.get('members', [])` still reads the field.
    expect(renamed.split("'members'").length).toBe(parleyRules.split("'members'").length);
    expect(renameRulesCollections(parleyRules, defaultCollections, defaultCollections)).toBe(parleyRules);
  });

  it("when the indexes are renamed, then every collection group takes its configured name and the fields stay", () => {
    const renamed = JSON.parse(renameIndexCollections(parleyIndexes, defaultCollections, names));
    const original = JSON.parse(parleyIndexes);
    const groups = (file: { indexes: { collectionGroup: string }[]; fieldOverrides: { collectionGroup: string }[] }) =>
      [...file.indexes, ...file.fieldOverrides].map((entry) => entry.collectionGroup);
    expect(groups(renamed).every((group) => group.startsWith("parley_"))).toBe(true);
    expect(groups(renamed).length).toBe(groups(original).length);
    const strip = (value: string) => value.replace(/"collectionGroup": "[^"]*"/g, "");
    expect(strip(JSON.stringify(renamed, null, 2))).toBe(strip(JSON.stringify(original, null, 2)));
  });
});

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { capabilities } from "../../functions/src/capabilities.js";
import { operations } from "../../functions/src/contract.js";
import { hasCallable, type Operation } from "../../functions/src/shared/operation.js";
import { sourceFile, sourceRoot } from "./thrown-codes.js";

// ARCHITECTURE.md and the README's layout against the code. The numbers and lists to check sit
// between `<!-- check:NAME -->` and `<!-- /check -->` in the docs; besides them, every file
// ARCHITECTURE.md names must exist (and hold the function named beside it), and its code
// examples must be the code. The function count comes from the built index (`npm test` builds
// before the unit tier), as `firebase deploy` finds it.

const root = resolve(import.meta.dirname, "../..");
const require = createRequire(import.meta.url);
const architecture = readFileSync(join(root, "ARCHITECTURE.md"), "utf8");
const readme = readFileSync(join(root, "README.md"), "utf8");

/** The text of every `<!-- check:name -->…<!-- /check -->` region of `doc` (at least one). */
function checked(doc: string, name: string): string[] {
  const found = [...doc.matchAll(new RegExp(`<!-- check:${name} -->([\\s\\S]*?)<!-- /check -->`, "g"))].map((m) => m[1]);
  if (found.length === 0) throw new Error(`No <!-- check:${name} --> region`);
  return found;
}

/** `text` without its fenced code blocks. */
const prose = (text: string) => text.replace(/```[\s\S]*?```/g, "");

/** The code spans (`…`) of `text`'s prose, in order. */
const codeSpans = (text: string) => [...prose(text).matchAll(/`([^`]+)`/g)].map((match) => match[1]);

/** The folder names of a region that lists folders as `name/` (code spans of other shapes left out). */
const folders = (text: string) => codeSpans(text).flatMap((span) => /^([a-z-]+)\/$/.exec(span)?.[1] ?? []);

/** The number a region holds. */
const numberIn = (text: string) => Number(text.trim());

/** The folders of `dir` (`functions/src` by default). */
const foldersOf = (dir = sourceRoot) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

interface Rule {
  name: string;
  from: { path?: string };
}
const depcruise = require("../../.dependency-cruiser.cjs") as { forbidden: Rule[] };

/** The capability ladder, bottom up, from the `layers-*` rules of `.dependency-cruiser.cjs`. */
const ladder = depcruise.forbidden.filter((rule) => rule.name.startsWith("layers-")).map((rule) => rule.name.slice(7));

/** The deployed functions and their kinds (`httpsTrigger`, `callableTrigger`, ...), from the built index. */
function deployed(): Map<string, string> {
  process.env.GCLOUD_PROJECT ??= "demo-parley";
  const built = require("../../functions/lib/index.js") as Record<string, { __endpoint: Record<string, unknown> }>;
  return new Map(
    Object.keys(built).map((name) => [name, Object.keys(built[name].__endpoint).find((key) => key.endsWith("Trigger")) ?? "?"]),
  );
}

describe("the numbers and lists in ARCHITECTURE.md and the README", () => {
  it("when the functions are counted, then the docs give the built index's count, and of each kind", () => {
    const functions = deployed();
    const kinds = [...functions.values()];
    const count = (kind: string) => kinds.filter((candidate) => candidate === kind).length;
    const all = Object.values(operations) as Operation[];

    expect(checked(architecture, "functions").map(numberIn)).toEqual([functions.size]);
    expect(checked(architecture, "callables").map(numberIn)).toEqual([count("callableTrigger")]);
    expect(count("callableTrigger")).toBe(all.filter(hasCallable).length);
    expect(checked(architecture, "operations").map(numberIn)).toEqual([all.length]);
    expect(checked(architecture, "event-triggers").map(numberIn)).toEqual([count("eventTrigger")]);
    expect(checked(architecture, "scheduled-jobs").map(numberIn)).toEqual([count("scheduleTrigger")]);
    expect(count("httpsTrigger") + count("callableTrigger") + count("eventTrigger") + count("scheduleTrigger")).toBe(
      functions.size,
    );
  }, 30_000);

  it("when the ladder is read, then ARCHITECTURE.md gives .dependency-cruiser.cjs's, and it has every folder of functions/src but api", () => {
    const [documented] = checked(architecture, "ladder");

    expect(codeSpans(documented)).toEqual(ladder);
    expect([...ladder].sort()).toEqual(foldersOf().filter((folder) => folder !== "api"));
  });

  it("when the capabilities are listed, then the README's layout has every capability folder, in the ladder's order", () => {
    const [documented] = checked(readme, "capabilities");

    expect(folders(documented)).toEqual(ladder.filter((layer) => layer !== "shared"));
  });

  it("when the capabilities with operations are listed, then they are the folders holding a contract.ts, as contract.ts gathers them", () => {
    const [documented] = checked(architecture, "capabilities-with-operations");
    const withContracts = foldersOf().filter((folder) => existsSync(join(sourceRoot, folder, "contract.ts")));
    const gathered = Object.entries(capabilities).filter(([, declarations]) => Object.keys(declarations).length > 0);

    const [others] = checked(architecture, "capabilities-without-operations");

    expect([...codeSpans(documented)].sort()).toEqual(withContracts);
    expect(gathered.map(([name]) => name).sort()).toEqual(withContracts);
    expect(codeSpans(others)).toEqual(ladder.filter((layer) => layer !== "shared" && !withContracts.includes(layer)));
  });

  it("when the pure modules of shared/ are listed, then they are the ones the contracts-are-pure rule allows", () => {
    const rule = depcruise.forbidden.find((candidate) => candidate.name === "contracts-are-pure");
    const allowed = /shared\/\(([^)]+)\)/.exec(rule?.from.path ?? "")?.[1].split("|") ?? [];
    const [documented] = checked(architecture, "pure-shared");
    const listed = /\{([^}]+)\}/.exec(documented)?.[1].split(",") ?? [];

    expect(allowed.length).toBeGreaterThan(3);
    expect(listed.sort()).toEqual(allowed.sort());
  });

  it("when the README's layout names files and folders, then they exist, and every top-level folder is there", () => {
    const [layout] = checked(readme, "layout");
    const lines = /```\n([\s\S]*?)```/.exec(layout)?.[1].split("\n") ?? [];
    /** Whether `name` (`*` a wildcard) is in folder `dir` of the repository. */
    const isIn = (dir: string, name: string) => {
      const pattern = new RegExp(`^${name.replace(/\/$/, "").replaceAll(".", "\\.").replaceAll("*", ".*")}$`);
      const path = join(root, dir, name, "..");
      return existsSync(path) && readdirSync(path).some((entry) => pattern.test(entry.replace(/.*\//, "")));
    };
    let folder = "";
    const missing: string[] = [];
    const heads = new Set<string>();
    for (const line of lines) {
      // A line's first column names a folder (or a file); the lines indented under it describe it.
      if (/^\S/.test(line)) folder = /^(\S+\/)\s/.exec(line)?.[1] ?? "";
      if (folder) heads.add(folder);
      for (const [name] of line.matchAll(/[\w*-][\w.*-]*(?:\/[\w.*-]+)*(?:\.[a-z]+|\/)(?=[\s,;)]|$)/g)) {
        if (name !== folder && !isIn(folder, name) && !isIn("", name)) missing.push(`${folder}${name}`);
      }
    }
    // The folders in git: a local run's ignored output (`test-results/`, `node_modules/`) is no part of the layout.
    const tracked = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).split("\n");
    const topLevel = [...new Set(tracked.filter((path) => path.includes("/")).map((path) => path.split("/")[0]))].filter(
      (name) => !name.startsWith("."),
    );

    expect(lines.length).toBeGreaterThan(10);
    expect(missing).toEqual([]);
    expect(topLevel.filter((name) => ![...heads].some((head) => head.startsWith(`${name}/`)))).toEqual([]);
  });

  it("when the emulator tier's folders are listed, then they are test/'s folders but unit, helpers and fixtures", () => {
    const [documented] = checked(architecture, "test-folders");
    const listed = codeSpans(documented).flatMap((span) => /^test\/([a-z-]+)$/.exec(span)?.[1] ?? []);

    expect(listed).toEqual(foldersOf(join(root, "test")).filter((folder) => !["unit", "helpers", "fixtures"].includes(folder)));
  });
});

/** Where a file a doc names lives: relative to `functions/src` (as ARCHITECTURE.md names them) or to the repository. */
function locate(path: string): string | undefined {
  return [join(sourceRoot, path), join(root, path)].find((candidate) => existsSync(candidate));
}

/** The names of the files under `dir`, at any depth (node_modules and built output left out). */
function fileNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    ["node_modules", "lib", "dist"].includes(entry.name)
      ? []
      : entry.isDirectory()
        ? fileNames(join(dir, entry.name))
        : [entry.name],
  );
}

/** `shared/{a,b}.ts` → `shared/a.ts`, `shared/b.ts`. */
function expand(path: string): string[] {
  const braces = /\{([^}]+)\}/.exec(path);
  return braces ? braces[1].split(",").map((part) => path.replace(braces[0], part)) : [path];
}

/** The names of the parameters of function `name` declared at the top level of module `path`. */
function parametersOf(path: string, name: string): string[] | undefined {
  for (const statement of sourceFile(path).statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) {
      return statement.parameters.map((parameter) => parameter.name.getText());
    }
  }
  return undefined;
}

/** Whitespace, comments and trailing commas dropped: code as prettier may lay it out, compared by its tokens. */
const tokens = (code: string) =>
  code
    .replace(/\/\/.*$/gm, "")
    .replace(/\s+/g, "")
    .replace(/,([}\])])/g, "$1");

describe("ARCHITECTURE.md's files, functions and examples", () => {
  it("when it names a file, then the file exists", () => {
    const named = codeSpans(architecture)
      .filter((span) => /^[\w./{},-]+\.(ts|tsx|cjs|mjs|json|rules|md)$/.test(span))
      .flatMap(expand);

    // A bare name (`operations.ts`, `docs.test.ts`) is read in its context: it must exist somewhere.
    const anywhere = new Set(["functions/src", "client/src", "web/src", "test"].flatMap((dir) => fileNames(join(root, dir))));

    expect(named.length).toBeGreaterThan(50);
    expect(named.filter((path) => (path.includes("/") ? !locate(path) : !anywhere.has(path) && !locate(path)))).toEqual([]);
  });

  it("when it names a function beside its file, then the file has it, with the parameters it gives", () => {
    const pairs = [...prose(architecture).matchAll(/`([\w./-]+\.ts)`[,:]?\s+`(\w+)(?:\(([\w, ]*)\))?`/g)];
    expect(pairs.length).toBeGreaterThan(10);

    for (const [, path, name, parameters] of pairs) {
      const file = locate(path);
      expect(file && new RegExp(`\\b${name}\\b`).test(readFileSync(file, "utf8")), `${path} ${name}`).toBe(true);
      if (parameters !== undefined) {
        const listed = parameters === "" ? [] : parameters.split(/,\s*/);
        expect(parametersOf(file!, name), `${path} ${name}(${parameters})`).toEqual(listed);
      }
    }
  });

  it("when it shows an operation's declaration or handlers, then they are the code's, token for token", () => {
    const examples = [...architecture.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
    const sources = foldersOf()
      .flatMap((folder) =>
        readdirSync(join(sourceRoot, folder))
          .filter((file) => file.endsWith(".ts"))
          .map((file) => join(sourceRoot, folder, file)),
      )
      .map((path) => tokens(readFileSync(path, "utf8")));
    const ofOperations = examples.filter((example) => (/^\s*(\w+): \{/.exec(example)?.[1] ?? "") in operations);

    expect(ofOperations.length).toBeGreaterThanOrEqual(4);
    for (const example of ofOperations) {
      expect(
        sources.some((source) => source.includes(tokens(example))),
        example,
      ).toBe(true);
    }
  });
});

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { declarationLoaders, handlerLoaders, implementationOf, operationOf } from "../../functions/src/api/handlers.js";
import { operationIndex } from "../../functions/src/api/operation-index.js";
import { capabilities } from "../../functions/src/capabilities.js";
import { operations } from "../../functions/src/contract.js";
import { fieldsOf, hasCallable, tellsCreated, type Operation } from "../../functions/src/shared/operation.js";
import { renderOperationIndex, target as operationIndexFile } from "../../scripts/operation-index.mjs";

const require = createRequire(import.meta.url);
const all = Object.entries(operations) as [string, Operation][];
/** Each capability of capabilities.ts, in its order, with its declarations. */
const listed = Object.entries(capabilities) as [string, Record<string, Operation>][];
const serving = listed.filter(([, declarations]) => Object.keys(declarations).length > 0);
const source = new URL("../../functions/src/", import.meta.url);

describe("the operation declarations (contract.ts)", () => {
  it("when gathered, then each is named after its key, no two capabilities declare a name and no two share a method and path", () => {
    const names = listed.flatMap(([, declarations]) => Object.keys(declarations));
    const routes = all.map(([, op]) => `${op.method} ${op.path}`);

    expect(all.every(([key, op]) => key === op.name)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(operations)).toEqual(names);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it("when a path names parameters, then its params schema declares exactly those", () => {
    for (const [, op] of all) {
      const inPath = [...op.path.matchAll(/:(\w+)/g)].map((match) => match[1]).sort();
      expect(fieldsOf(op.params).sort(), op.name).toEqual(inPath);
    }
  });

  it("when answering, then an operation answers JSON success responses or bytes, never both, and no field is in two parts", () => {
    for (const [, op] of all) {
      expect(Boolean(op.download) !== Boolean(op.responses), op.name).toBe(true);
      const fields = [op.params, op.query, op.body].flatMap((part) => fieldsOf(part));
      expect(new Set(fields).size, op.name).toBe(fields.length);
    }
  });

  it("when an operation can find what it would create, then it declares both 201 and 200 and callables get `created`", () => {
    const both = all.filter(([, op]) => tellsCreated(op)).map(([name]) => name);

    expect(both.sort()).toEqual([
      "blockUser",
      "createChat",
      "forwardMessage",
      "registerDevice",
      "reportMessage",
      "requestMyExport",
      "sendMessage",
    ]);
  });
});

describe("the capabilities (capabilities.ts)", () => {
  it("when listed, then they are the folders of functions/src but api/ and shared/, each once", () => {
    const folders = readdirSync(source, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !["api", "shared"].includes(entry.name))
      .map((entry) => entry.name);

    expect(Object.keys(capabilities).sort()).toEqual(folders.sort());
  });

  it("when a capability declares operations, then its folder has contract.ts and handlers.ts; without, neither", () => {
    for (const [capability, declarations] of listed) {
      const serves = Object.keys(declarations).length > 0;
      expect(existsSync(new URL(`${capability}/contract.ts`, source)), capability).toBe(serves);
      expect(existsSync(new URL(`${capability}/handlers.ts`, source)), capability).toBe(serves);
    }
  });

  it("when loaded, then every declaration has its handlers and every handler a declaration: run, upload for files, download for bytes", async () => {
    expect(Object.keys(handlerLoaders).sort()).toEqual(serving.map(([capability]) => capability).sort());
    for (const [capability, declarations] of serving) {
      const handlers: Record<string, object> = await handlerLoaders[capability as keyof typeof handlerLoaders]();

      expect(Object.keys(handlers).sort(), capability).toEqual(Object.keys(declarations).sort());
      for (const [name, op] of Object.entries(declarations)) {
        const kinds = Object.keys(handlers[name]).sort().join("+");
        expect(kinds, name).toBe(op.download ? "download" : op.upload ? "run+upload" : "run");
        expect(hasCallable(op), name).toBe(!op.download);
        expect(await implementationOf(name as keyof typeof operations), name).toBe(handlers[name]);
      }
    }
  });

  it("when each capability's declarations are loaded alone, then each operation's is the one contract.ts gathers", async () => {
    expect(Object.keys(declarationLoaders).sort()).toEqual(serving.map(([capability]) => capability).sort());
    for (const [capability, declarations] of serving) {
      expect(await declarationLoaders[capability as keyof typeof declarationLoaders](), capability).toBe(declarations);
      for (const name of Object.keys(declarations)) {
        expect(await operationOf(name as keyof typeof operations), name).toBe(operations[name as keyof typeof operations]);
      }
    }
  });

  it("when the operation index is regenerated, then it equals the committed file, in the order of contract.ts", async () => {
    const committed = readFileSync(operationIndexFile, "utf8");
    expect(committed, "functions/src/api/operation-index.ts is out of date: run `npm run operation-index`").toBe(
      await renderOperationIndex(capabilities),
    );
    expect(Object.keys(operationIndex)).toEqual(Object.keys(operations));
  });

  it("when dependency-cruiser builds its layer rules, then its ladder is shared/ and this list, in order", () => {
    const config = require("../../.dependency-cruiser.cjs") as { forbidden: { name: string }[] };
    const ladder = config.forbidden.flatMap(({ name }) => (name.startsWith("layers-") ? [name.slice("layers-".length)] : []));

    expect(ladder).toEqual(["shared", ...Object.keys(capabilities)]);
  });
});

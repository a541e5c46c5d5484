import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { commonErrorCodesOf } from "../../functions/src/api/openapi.js";
import { operations } from "../../functions/src/contract.js";
import { errorCodes, type ErrorCode } from "../../functions/src/shared/errors.js";
import type { Operation } from "../../functions/src/shared/operation.js";
import { capabilitiesWithContracts, handlerEntries, sourceFile, sourceRoot, thrownCodes } from "./thrown-codes.js";

// What the declarations and the docstrings say an operation or a function throws, against what
// its code can throw (`thrown-codes.ts`: a scan of every `new AppError("<code>"` reachable
// from it through the names it refers to).

/**
 * Codes the scan reaches that the code can't throw, for reasons a scan of references can't see:
 * operation → code → the declarations throwing it ("file: name") that don't count, and why.
 */
const unreachable: Record<string, Partial<Record<ErrorCode, { throwers: string[]; why: string }>>> = Object.fromEntries(
  ["endChat", "leaveRoom", "removeRoomMember"].map((name) => [
    name,
    {
      "failed-precondition": {
        throwers: ["timeline/message-requests.ts: requestRefusal"],
        why: "its system message has no sender, and a message request's limit refuses senders only",
      },
    },
  ]),
);

/** A stated code the scan can't reach because an injected callback throws it, by "file: function". */
const fromCallbacks: Record<string, ErrorCode[]> = {
  // `chargeCreation` is the glue's quota (`config.ts` `chargeQuota`).
  "chats/create-chat.ts: createDirectChat": ["resource-exhausted"],
};

const all = Object.values(operations) as Operation[];

/** The codes the handler of each operation can throw, by operation name. */
function scannedByOperation(): Map<string, Map<ErrorCode, Set<string>>> {
  const scanned = new Map<string, Map<ErrorCode, Set<string>>>();
  for (const capability of capabilitiesWithContracts()) {
    const { file, entries } = handlerEntries(capability);
    for (const [name, entry] of entries) scanned.set(name, thrownCodes(entry, file));
  }
  return scanned;
}

/** What operation `op` can throw beyond the API layer's codes, with the exceptions above taken out. */
function ownCodes(op: Operation, thrown: Map<ErrorCode, Set<string>>): ErrorCode[] {
  const common = new Set(commonErrorCodesOf(op));
  return [...thrown]
    .filter(([code, throwers]) => {
      const exception = unreachable[op.name]?.[code];
      return !common.has(code) && !(exception && [...throwers].every((thrower) => exception.throwers.includes(thrower)));
    })
    .map(([code]) => code)
    .sort();
}

describe("the error codes of each operation", () => {
  const scanned = scannedByOperation();

  it("when the handlers are scanned, then every declared operation has one, found by the scan", () => {
    expect([...scanned.keys()].sort()).toEqual(all.map((op) => op.name).sort());
  });

  it("when an operation's declared errors are compared with what its handler can throw, then they are the same codes", () => {
    for (const op of all) {
      const declared = [...new Set(op.errors)].sort();

      expect(declared, `${op.name} declares each code once`).toHaveLength(op.errors.length);
      expect(declared, `${op.name}: errors in contract.ts vs the code`).toEqual(ownCodes(op, scanned.get(op.name)!));
    }
  });

  it("when a declaration lists its errors, then it leaves out the codes the API layer adds for all", () => {
    for (const op of all) {
      const common = commonErrorCodesOf(op);

      expect(
        op.errors.filter((code) => common.includes(code)),
        op.name,
      ).toEqual([]);
    }
  });

  it("when an exception is listed above, then the scan still reaches it (else it is stale)", () => {
    for (const [name, codes] of Object.entries(unreachable)) {
      for (const code of Object.keys(codes) as ErrorCode[]) expect(scanned.get(name)?.has(code), `${name} ${code}`).toBe(true);
    }
  });
});

/** Every module of `functions/src`. */
function modules(dir = sourceRoot): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? modules(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

/** Each function of `functions/src` whose docstring has `@throws`, with the codes it names there. */
function documentedThrows(): { where: string; node: ts.Node; file: ts.SourceFile; stated: ErrorCode[] }[] {
  const found: { where: string; node: ts.Node; file: ts.SourceFile; stated: ErrorCode[] }[] = [];
  for (const path of modules()) {
    const file = sourceFile(path);
    const visit = (node: ts.Node): void => {
      const named = ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isVariableStatement(node);
      const tags = named ? ts.getJSDocTags(node).filter((tag) => tag.tagName.text === "throws") : [];
      if (tags.length > 0) {
        const text = tags.map((tag) => ts.getTextOfJSDocComment(tag.comment) ?? "").join(" ");
        const stated = [...text.matchAll(/`([a-z-]+)`/g)]
          .map((match) => match[1])
          .filter((code): code is ErrorCode => (errorCodes as readonly string[]).includes(code));
        const target = ts.isVariableStatement(node) ? node.declarationList.declarations[0] : node;
        const name = (target as { name?: ts.Node }).name?.getText(file) ?? "?";
        found.push({ where: `${relative(sourceRoot, path)}: ${name}`, node: target, file, stated });
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

describe("the error codes in docstrings", () => {
  it("when a docstring's @throws names an error code, then the function's code can throw it", () => {
    const documented = documentedThrows();
    expect(documented.length).toBeGreaterThan(50);

    for (const { where, node, file, stated } of documented) {
      const thrown = thrownCodes(node, file);
      const missing = stated.filter((code) => !thrown.has(code) && !fromCallbacks[where]?.includes(code));

      expect(missing, `${where} states codes its code never throws`).toEqual([]);
    }
  }, 30_000);
});

import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { httpStatus } from "../../functions/src/api/http-errors.js";
import { errorCodesOf, openApiDocument, openApiPath } from "../../functions/src/api/openapi.js";
import { operations } from "../../functions/src/contract.js";
import type { Operation } from "../../functions/src/shared/operation.js";

type Document = { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> };
const document = openApiDocument() as unknown as Document;
const documented = (op: Operation) => document.paths[openApiPath(op.path)]?.[op.method];

describe("the OpenAPI document", () => {
  it("when generated, then it has every operation under its name, and nothing else", () => {
    const ids = Object.values(document.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));

    expect(ids.sort()).toEqual(Object.keys(operations).sort());
  });

  it("when generated, then each operation lists every status it answers: its successes and the statuses of its errors", () => {
    for (const op of Object.values(operations) as Operation[]) {
      const statuses = Object.keys(documented(op)?.responses ?? {}).sort();
      const successes = op.download ? ["200", "206", "304"] : Object.keys(op.responses ?? {});
      const errors = errorCodesOf(op).map((code) => String(httpStatus[code]));

      expect(statuses, op.name).toEqual([...new Set([...successes, ...errors])].sort());
    }
  });

  it("when an existing chat is opened or a send is retried, then the 200 they answer is documented beside the 201", () => {
    expect(Object.keys(document.paths["/v1/chats"].post.responses)).toEqual(expect.arrayContaining(["200", "201"]));
    expect(Object.keys(document.paths["/v1/chats/{chatId}/messages"].post.responses)).toEqual(
      expect.arrayContaining(["200", "201"]),
    );
  });

  it("when linted with Redocly, then it is a valid OpenAPI 3.1 description", () => {
    const file = join(mkdtempSync(join(tmpdir(), "parley-openapi-")), "openapi.json");
    writeFileSync(file, JSON.stringify(document));

    const lint = spawnSync("npx", ["redocly", "lint", file, "--format=stylish"], {
      encoding: "utf8",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    });

    expect(`${lint.stdout}${lint.stderr}`).toContain("Your API description is valid");
    expect(lint.status).toBe(0);
  }, 60_000);
});

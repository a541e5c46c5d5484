import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { httpStatus } from "../../functions/src/api/http-errors.js";
import { errorCodesOf, openApiDocument, openApiPath } from "../../functions/src/api/openapi.js";
import { operations } from "../../functions/src/contract.js";
import type { Operation } from "../../functions/src/shared/operation.js";

interface DocumentedOperation {
  operationId: string;
  parameters?: { name: string; in: string; description?: string }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, unknown>;
}
type Document = {
  paths: Record<string, Record<string, DocumentedOperation>>;
  components: { schemas: Record<string, { description?: string }> };
};
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

  it("when generated, then every property of every schema, in components or inline, says what it is", () => {
    const undescribed: string[] = [];
    /** Walks `node`, noting each property that has neither a description nor is a bare reference to a component. */
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${where}[${i}]`));
      if (typeof node !== "object" || node === null) return;
      const properties = (node as { properties?: unknown }).properties;
      if (typeof properties === "object" && properties !== null) {
        for (const [name, property] of Object.entries(properties as Record<string, { description?: string; $ref?: string }>)) {
          const reference = property.$ref !== undefined && Object.keys(property).length === 1;
          if (!reference && !property.description) undescribed.push(`${where}.${name}`);
        }
      }
      for (const [key, value] of Object.entries(node)) walk(value, `${where}.${key}`);
    };

    walk(document.components.schemas, "components.schemas");
    walk(document.paths, "paths");

    expect(undescribed).toEqual([]);
  });

  it("when generated, then every component schema and every parameter has a description", () => {
    const schemas = Object.entries(document.components.schemas);
    const parameters = Object.values(document.paths).flatMap((methods) =>
      Object.values(methods).flatMap((op) => (op.parameters ?? []).map((parameter) => ({ op: op.operationId, ...parameter }))),
    );

    expect(schemas.filter(([, schema]) => !schema.description).map(([name]) => name)).toEqual([]);
    expect(parameters.filter((parameter) => !parameter.description).map((p) => `${p.op} ${p.in} ${p.name}`)).toEqual([]);
  });

  it("when generated, then the main views and every JSON request body are named components (so the test above covers them)", () => {
    const bodies = Object.values(document.paths).flatMap((methods) =>
      Object.values(methods).flatMap((op) => {
        const json = op.requestBody?.content["application/json"];
        return json ? [{ op: op.operationId, ref: json.schema.$ref }] : [];
      }),
    );

    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(["Chat", "Message", "Member", "User"]));
    expect(bodies.length).toBeGreaterThan(15);
    expect(bodies.filter((body) => !body.ref?.startsWith("#/components/schemas/")).map((body) => body.op)).toEqual([]);
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

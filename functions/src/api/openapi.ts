import {
  extendZodWithOpenApi,
  OpenApiGeneratorV31,
  OpenAPIRegistry,
  type ResponseConfig,
  type RouteConfig,
} from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { operations } from "../contract.js";
import type { ErrorCode } from "../shared/errors.js";
import { bodyOptional, type Operation } from "../shared/operation.js";
import { errorBody, httpStatus } from "./http-errors.js";

extendZodWithOpenApi(z);

const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
const binary = z.string().openapi({ type: "string", format: "binary", description: "The file's bytes" });
/** Downloads answer with the object's own type (image/png, text/csv, ...). */
const bytes = { content: { "*/*": { schema: binary } } };

/** What each error code means, for the documents' error responses. */
const errorText: Record<ErrorCode, string> = {
  "invalid-argument": "Invalid input: the message names each field",
  unauthenticated: "No, malformed, expired or foreign ID token",
  "permission-denied": "Not the sender, not the host, not a moderator, banned or blocked",
  "not-found": "No such chat or not a member of it (one answer); unknown message, user, invite, device, block, ban or report",
  "already-exists": "It exists already",
  "failed-precondition": "Chat ended, message deleted, edit window passed, room full, 100 rooms, a message request's limit",
  aborted: "Too many concurrent writes to this chat; retry",
  "payload-too-large": "Body over MAX_JSON_BODY_BYTES, or file over MAX_UPLOAD_BYTES",
  "range-not-satisfiable": "The Range lies outside the file",
  "resource-exhausted": "Over a rate limit or quota: retry after the Retry-After header's seconds",
  unavailable: "Firebase Auth could not check the ID token just now; retry",
  internal: "An internal error",
};

/**
 * The error codes the API layer answers for `op` whatever its handler does: `unauthenticated` and
 * `unavailable` (every route needs an ID token, checked with Firebase Auth), `invalid-argument`
 * when it takes input (validation), `payload-too-large` when it takes a body (size limits),
 * `range-not-satisfiable` when it answers bytes (a `Range` outside the object).
 */
export function commonErrorCodesOf(op: Operation): ErrorCode[] {
  const codes: ErrorCode[] = ["unauthenticated", "unavailable"];
  if (op.params || op.query || op.body || op.upload) codes.push("invalid-argument");
  if (op.body || op.upload) codes.push("payload-too-large");
  if (op.download) codes.push("range-not-satisfiable");
  return codes;
}

/**
 * Every error code `op` answers: {@link commonErrorCodesOf}, and its own, `op.errors` (the codes
 * its handler and the domain code it calls throw; `test/unit/error-codes.test.ts` checks them).
 */
export function errorCodesOf(op: Operation): ErrorCode[] {
  return [...new Set<ErrorCode>([...commonErrorCodesOf(op), ...op.errors])];
}

/** The documented responses of `op`: its successes, and its errors grouped by HTTP status. */
function responsesOf(op: Operation): RouteConfig["responses"] {
  const responses: Record<string, ResponseConfig> = {};
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    responses[status] = { description: response.description, ...json(response.schema) };
  }
  if (op.download) {
    responses[200] = { description: op.download.description, ...bytes };
    responses[206] = { description: "The requested range", ...bytes };
    responses[304] = { description: "Not modified (If-None-Match)" };
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(op)) byStatus.set(httpStatus[code], [...(byStatus.get(httpStatus[code]) ?? []), code]);
  for (const [status, codes] of byStatus) {
    const description = codes.map((code) => `${errorText[code]} (\`${code}\`)`).join("; ");
    responses[status] = { description, ...json(errorBody) };
  }
  return responses;
}

/** `/chats/:chatId` → `/chats/{chatId}`. */
export const openApiPath = (expressPath: string) => `/v1${expressPath.replace(/:(\w+)/g, "{$1}")}`;

/**
 * The OpenAPI 3.1 document of the REST API, generated from the zod schemas it validates with.
 * The server URL is relative (`..`, from `<base>/v1/openapi.json` to `<base>`), so the document
 * is right wherever it is served: the function's URL, a Hosting rewrite, the emulator.
 */
export function openApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "firebaseIdToken", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "Firebase ID token",
    description: "A Firebase Auth ID token of the signed-in user.",
  });
  for (const op of Object.values(operations) as Operation[]) {
    const body = op.body && { "application/json": { schema: op.body } };
    const upload = op.upload && { "multipart/form-data": { schema: op.upload.extend({ file: binary }) } };
    registry.registerPath({
      method: op.method,
      path: openApiPath(op.path),
      operationId: op.name,
      tags: [op.tag],
      summary: op.summary,
      security: [{ firebaseIdToken: [] }],
      request: {
        ...(op.params && { params: op.params }),
        ...(op.query && { query: op.query }),
        ...((body || upload) && { body: { required: !bodyOptional(op), content: { ...body, ...upload } } }),
      },
      responses: responsesOf(op),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Parley API",
      version: "1.0.0",
      description:
        "Parley's REST API: 1:1 chats and rooms, text and file messages, reads, devices. Every call needs " +
        "`Authorization: Bearer <Firebase ID token>`. Most operations also exist as HTTPS callable functions " +
        "named by their operationId.",
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
    servers: [{ url: "..", description: "Where this document is served from" }],
    tags: ["Users", "Chats", "Messages", "Files", "Rooms", "Presence", "Moderation", "Devices"].map((name) => ({
      name,
      description: `${name} operations`,
    })),
  });
}

import type { z } from "zod";
import type { ErrorCode } from "./errors.js";

// The contract of every operation: pure data and zod schemas, no server code, so that the
// client library imports it too. `api/` turns it into Express routes, callables and the OpenAPI
// document; `client/` into typed REST and callable wrappers.

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/** The statuses an operation succeeds with: 201 when it created something, 200 otherwise. */
export type SuccessStatus = 200 | 201;

/** The groups the OpenAPI document lists operations under. */
export type OperationTag = "Users" | "Chats" | "Messages" | "Files" | "Rooms" | "Presence" | "Moderation" | "Devices";

/** A JSON success response: what it means, and its body's schema. */
export interface JsonResponse {
  description: string;
  schema: z.ZodType;
}

/** One operation as declared; {@link defineOperations} adds its `name`. */
export interface OperationSpec {
  method: HttpMethod;
  /** Express path under `/v1`, e.g. `/chats/:chatId`; each `:name` is a key of `params`. */
  path: string;
  tag: OperationTag;
  summary: string;
  /** Path parameters (strings in the URL; schemas may coerce). */
  params?: z.ZodObject;
  /** Query string parameters (strings in the URL; schemas may coerce). */
  query?: z.ZodObject;
  /** The JSON body. When every field is optional, the body may be left out. */
  body?: z.ZodObject;
  /**
   * The form fields of a multipart/form-data body beside its one file part, named `file`: the
   * alternative to the JSON body that file uploads take. REST only.
   */
  upload?: z.ZodObject;
  /** JSON success responses by status. Callables get the body; with both 201 and 200, also `created`. */
  responses?: Partial<Record<SuccessStatus, JsonResponse>>;
  /** Instead of JSON: the bytes of a stored object (200, 206 for a Range, 304 for a fresh ETag). REST only. */
  download?: { description: string };
  /**
   * The error codes its handler and the domain code that handler calls can throw (rate limits
   * included), no more and no fewer: `test/unit/error-codes.test.ts` compares them with the code.
   * The API layer's own codes (token, input, body size, download range) are added for all
   * (`api/openapi.ts` `commonErrorCodesOf`) and are not listed here.
   */
  errors: readonly ErrorCode[];
}

/** A declared operation: its spec and its name (= callable name = OpenAPI operationId). */
export type Operation<S extends OperationSpec = OperationSpec, N extends string = string> = S & { name: N };

/**
 * Names each spec after its key: `defineOperations({ getChat: {...} })` declares operation
 * `getChat`, the callable `getChat` and the OpenAPI operationId `getChat`.
 */
export function defineOperations<const T extends Record<string, OperationSpec>>(
  specs: T,
): { [K in keyof T & string]: Operation<T[K], K> } {
  const named = Object.entries(specs).map(([name, spec]) => [name, { ...spec, name }]);
  return Object.fromEntries(named) as { [K in keyof T & string]: Operation<T[K], K> };
}

type Input<O, K extends string> = O extends { [P in K]: infer S extends z.ZodType } ? z.input<S> : unknown;
type Output<O, K extends string> = O extends { [P in K]: infer S extends z.ZodType } ? z.output<S> : unknown;
/** `unknown` (no parts) as `{}`; otherwise the intersection itself. */
type AsObject<T> = unknown extends T ? Record<never, never> : T;

/** What a caller passes: path parameters, query and body fields, in one object (as callables take it). */
export type OperationInput<O> = AsObject<Input<O, "params"> & Input<O, "query"> & Input<O, "body">>;

/** The validated input a handler gets: {@link OperationInput} after parsing (coerced, defaulted). */
export type ParsedInput<O> = AsObject<Output<O, "params"> & Output<O, "query"> & Output<O, "body">>;

/** The validated path parameters of an upload (its form fields arrive with the file, in the body stream). */
export type ParsedUploadInput<O> = AsObject<Output<O, "params">>;

type Responses<O> = O extends { responses: infer R } ? R : never;

/** The body of response `S` of operation `O`. */
export type ResponseBody<O, S extends PropertyKey> =
  Responses<O> extends { [P in S]: { schema: infer Z extends z.ZodType } } ? z.output<Z> : never;

/** Any success body of operation `O`. */
export type SuccessBody<O> = { [S in keyof Responses<O>]: ResponseBody<O, S> }[keyof Responses<O>];

/** What the callable of `O` answers: the body, plus `created` when REST tells it with 201 or 200. */
export type CallableResult<O> =
  Responses<O> extends { 200: JsonResponse; 201: JsonResponse } ? Flat<SuccessBody<O> & { created: boolean }> : SuccessBody<O>;

/** One object type instead of an intersection (easier to read in editors, and to compare). */
type Flat<T> = T extends object ? { [K in keyof T]: T[K] } : T;

/** Whether operation `op` has a callable (JSON operations do; downloads don't). */
export function hasCallable(op: OperationSpec): boolean {
  return op.download === undefined;
}

/** Whether `op` tells callables about creation with `created` (it answers both 201 and 200). */
export function tellsCreated(op: OperationSpec): boolean {
  return op.responses?.[200] !== undefined && op.responses[201] !== undefined;
}

/** Whether the JSON body of `op` may be left out: it has none, or every field is optional. */
export function bodyOptional(op: OperationSpec): boolean {
  return op.body === undefined || op.body.safeParse({}).success;
}

/** The keys of a schema's object shape (none for a missing schema). */
export function fieldsOf(schema: z.ZodObject | undefined): string[] {
  return schema ? Object.keys(schema.shape) : [];
}

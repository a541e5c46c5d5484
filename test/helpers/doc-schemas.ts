import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { Timestamp } from "firebase-admin/firestore";

/** schemas/firestore/, the generated JSON Schemas of the docs a client reads (scripts/doc-schemas.mjs). */
export const schemaDir = join(import.meta.dirname, "../../schemas/firestore");

/** The schema files, by name (`users.schema.json`, ...), parsed. */
export function schemaFiles(): Record<string, Record<string, unknown>> {
  const names = readdirSync(schemaDir).filter((name) => name.endsWith(".schema.json"));
  return Object.fromEntries(names.map((name) => [name, JSON.parse(readFileSync(join(schemaDir, name), "utf8"))]));
}

/**
 * Each schema compiled by Ajv's draft 2020-12 validator in strict mode, with `format`s
 * (`date-time`) checked, by file name.
 */
export function docValidators(): Record<string, ValidateFunction> {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return Object.fromEntries(Object.entries(schemaFiles()).map(([name, schema]) => [name, ajv.compile(schema)]));
}

/** What `validate` found wrong with `data`, one line each (`[]`: valid). */
export function schemaErrors(validate: ValidateFunction, data: unknown): string[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || "/"} ${error.message ?? ""} ${JSON.stringify(error.params)}`,
  );
}

/**
 * A doc's data (Admin SDK) as the schemas describe it: each `Timestamp` as an RFC 3339
 * date-time string in UTC with all its nanoseconds. Throws on any other Firestore value that is
 * not plain JSON (a `GeoPoint`, a `DocumentReference`, bytes): the schemas declare none.
 */
export function jsonOfDoc(value: unknown): unknown {
  if (value instanceof Timestamp) {
    const whole = new Date(value.seconds * 1000).toISOString().slice(0, 19);
    return `${whole}.${String(value.nanoseconds).padStart(9, "0")}Z`;
  }
  if (Array.isArray(value)) return value.map(jsonOfDoc);
  if (value === null || typeof value !== "object") return value;
  if (Object.getPrototypeOf(value) !== Object.prototype) {
    throw new Error(`Not a JSON value the schemas declare: ${value.constructor.name}`);
  }
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, jsonOfDoc(inner)]));
}

import { z } from "zod";
import { AppError } from "./errors.js";
import { isWellFormed, NOT_UNICODE } from "./schemas.js";

// A missing field reads "text: is required" rather than "expected string, received undefined".
z.config({
  customError: (issue) => (issue.code === "invalid_type" && issue.input === undefined ? "is required" : undefined),
});

/** Where an input came from, named in messages about the input as a whole. */
export type InputSource = "body" | "query" | "path" | "data";

/**
 * Turns zod issues into one readable sentence, one clause per field:
 * `text: must be at most 10000 characters; clientMessageId: expected string, received number`.
 * An issue with the input as a whole is named after its `source`.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], source: InputSource = "body"): string {
  return issues
    .map((issue) => {
      const field = issue.path.length > 0 ? issue.path.map(String).join(".") : source;
      return `${field}: ${issue.message}`;
    })
    .join("; ");
}

/**
 * Where in `value` (a parsed JSON value) the first string holding a lone surrogate sits, as a
 * field path (`[]` for `value` itself), or `undefined` when there is none. JSON's `\ud800`
 * escapes make such strings; they have no UTF-8 form, so Firestore can neither store nor look
 * one up, and the Admin SDK fails on them.
 */
export function illFormedStringAt(value: unknown): (string | number)[] | undefined {
  // Iterative, each node linked to its parent: a 64 KiB body can nest 30,000 arrays deep.
  interface Node {
    value: unknown;
    key?: string | number;
    parent?: Node;
  }
  const pending: Node[] = [{ value }];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (typeof node.value === "string" && !isWellFormed(node.value)) {
      const at: (string | number)[] = [];
      for (let up: Node | undefined = node; up?.key !== undefined; up = up.parent) at.push(up.key);
      return at.reverse();
    }
    if (typeof node.value === "object" && node.value !== null) {
      const isArray = Array.isArray(node.value);
      const entries = Object.entries(node.value);
      for (let i = entries.length - 1; i >= 0; i--) {
        pending.push({ value: entries[i][1], key: isArray ? Number(entries[i][0]) : entries[i][0], parent: node });
      }
    }
  }
  return undefined;
}

/**
 * Validates `value` against `schema`. Every string in it must be well-formed (see
 * {@link illFormedStringAt}), whatever the schema says of it.
 * @throws AppError `invalid-argument` with the formatted issues as its message.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, source: InputSource = "body"): z.output<S> {
  const illFormed = illFormedStringAt(value);
  if (illFormed) {
    throw new AppError("invalid-argument", `${illFormed.length > 0 ? illFormed.join(".") : source}: ${NOT_UNICODE}`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError("invalid-argument", formatIssues(result.error.issues, source));
  }
  return result.data;
}

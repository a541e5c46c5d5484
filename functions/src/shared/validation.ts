import { z } from "zod";
import { AppError } from "./errors.js";

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
 * Validates `value` against `schema`.
 * @throws AppError `invalid-argument` with the formatted issues as its message.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, source: InputSource = "body"): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError("invalid-argument", formatIssues(result.error.issues, source));
  }
  return result.data;
}

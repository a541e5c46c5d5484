import { z } from "zod";
import { AppError } from "./errors.js";

/**
 * Turns zod issues into one readable sentence, one clause per field:
 * `text: must be at most 10000 characters; clientMessageId: expected string, received number`.
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "body";
      return `${field}: ${issue.message}`;
    })
    .join("; ");
}

/**
 * Validates `value` against `schema`.
 * @throws AppError `invalid-argument` with the formatted issues as its message.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError("invalid-argument", formatIssues(result.error.issues));
  }
  return result.data;
}

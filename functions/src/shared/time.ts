import type { TimestampLike } from "./docs.js";

/** ISO 8601 UTC string of a Firestore timestamp (either SDK's), `null` for a missing one. */
export function iso(value: TimestampLike | null | undefined): string | null {
  return value ? value.toDate().toISOString() : null;
}

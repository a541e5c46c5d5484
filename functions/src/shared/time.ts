import { Timestamp } from "firebase-admin/firestore";

/** ISO 8601 UTC string of a Firestore timestamp, `null` for a missing one. */
export function iso(value: Timestamp | null | undefined): string | null {
  return value ? value.toDate().toISOString() : null;
}

import { Timestamp, type Firestore, type Transaction, type WriteBatch } from "firebase-admin/firestore";
import type { AuditDoc } from "./docs.js";
import { refs } from "./model.js";

/** An audit entry, minus its time. */
export type AuditEntry = Omit<AuditDoc, "at">;

/**
 * Adds `moderation-audit/{new id}` for `entry` at `now` to `writer` (the action's own batch or
 * transaction), so the record and the action commit together or not at all.
 */
export function recordAudit(db: Firestore, writer: WriteBatch | Transaction, now: Date, entry: AuditEntry): void {
  const doc: AuditDoc<Timestamp> = { ...entry, at: Timestamp.fromDate(now) };
  writer.create(refs.auditEntry(db), doc);
}

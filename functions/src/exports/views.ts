import { z } from "zod";
import type { PersonalExportDoc } from "../shared/docs.js";
import { iso } from "../shared/time.js";

/** A user's data export as the API shows it. Times are ISO 8601 UTC. */
export const personalExportView = z
  .object({
    status: z
      .enum(["running", "ready"])
      .meta({ description: "`running` while it is built; `ready` once the ZIP can be downloaded" }),
    requestedAt: z.string().meta({ description: "When it was asked for (ISO 8601 UTC)" }),
    readyAt: z.string().nullable().meta({ description: "When the ZIP was done (ISO 8601 UTC); `null` while running" }),
    messages: z.number().int().meta({ description: "Messages of theirs it holds (so far, while running)" }),
    replies: z.number().int().meta({ description: "Thread replies of theirs it holds (so far, while running)" }),
    files: z.number().int().meta({ description: "Files they sent that it holds (known once ready)" }),
    bytes: z.number().int().nullable().meta({ description: "The ZIP's size in bytes; `null` while running" }),
    nextAllowedAt: z
      .string()
      .meta({ description: "The earliest time a new export may be asked for (ISO 8601 UTC): a day after this one" }),
  })
  .meta({ id: "PersonalExport", description: "The state of the caller's newest export of their data" });
export type PersonalExportView = z.infer<typeof personalExportView>;

/** `{export}`: the body of the export operations. */
export const personalExportBody = z
  .object({ export: personalExportView })
  .meta({ id: "PersonalExportReply", description: "The caller's newest data export" });

/** Milliseconds between two exports a user may ask for. */
export const PERSONAL_EXPORT_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** `personal-exports/{uid}` as {@link PersonalExportView}. */
export function toPersonalExportView(doc: PersonalExportDoc): PersonalExportView {
  return {
    status: doc.status,
    requestedAt: iso(doc.requestedAt) ?? "",
    readyAt: iso(doc.readyAt),
    messages: doc.counts.messages,
    replies: doc.counts.replies,
    files: doc.counts.files,
    bytes: doc.bytes ?? null,
    nextAllowedAt: new Date(doc.requestedAt.toDate().getTime() + PERSONAL_EXPORT_INTERVAL_MS).toISOString(),
  };
}

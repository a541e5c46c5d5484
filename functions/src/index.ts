// Every deployed function, and nothing else. Each export is a getter that loads its function's
// code when first read: deploy-time discovery reads them all and finds every function, while an
// instance, which reads only the export it serves, loads only that function's code.
import type { CallableFunction } from "firebase-functions/https";
import { webhookMessageUpdates } from "./shared/collections.js";
import { requireModule } from "./shared/lazy.js";

/** Exports `name`, loading it with `load` when first read. */
function lazyExport(name: string, load: () => unknown): void {
  let loaded: { value: unknown } | undefined;
  Object.defineProperty(module.exports, name, { enumerable: true, get: () => (loaded ??= { value: load() }).value });
}

const callables = () => requireModule<typeof import("./api/callables.js")>("../api/callables.js");

/** The functions that are not callables, and how to load each. */
const functions: Record<string, () => unknown> = {
  api: () => requireModule<typeof import("./api/index.js")>("../api/index.js").api,
  onChatEnded: () => requireModule<typeof import("./exports/on-chat-ended.js")>("../exports/on-chat-ended.js").onChatEnded,
  onPersonalExportWritten: () =>
    requireModule<typeof import("./exports/on-personal-export-written.js")>("../exports/on-personal-export-written.js")
      .onPersonalExportWritten,
  purgeJob: () => requireModule<typeof import("./jobs/scheduled.js")>("../jobs/scheduled.js").purgeJob,
  retentionJob: () => requireModule<typeof import("./jobs/scheduled.js")>("../jobs/scheduled.js").retentionJob,
  onMessageCreated: () =>
    requireModule<typeof import("./push/on-message-created.js")>("../push/on-message-created.js").onMessageCreated,
  onReplyCreated: () => requireModule<typeof import("./push/on-reply-created.js")>("../push/on-reply-created.js").onReplyCreated,
  fanOutSweep: () => requireModule<typeof import("./jobs/scheduled.js")>("../jobs/scheduled.js").fanOutSweep,
  onReactionCreated: () =>
    requireModule<typeof import("./webhooks/on-webhook-events.js")>("../webhooks/on-webhook-events.js").onReactionCreated,
  onReportCreated: () =>
    requireModule<typeof import("./webhooks/on-webhook-events.js")>("../webhooks/on-webhook-events.js").onReportCreated,
  webhookRetryJob: () => requireModule<typeof import("./webhooks/scheduled.js")>("../webhooks/scheduled.js").webhookRetryJob,
  onUserCreated: () => requireModule<typeof import("./users/on-user-created.js")>("../users/on-user-created.js").onUserCreated,
  onUserDeleted: () =>
    requireModule<typeof import("./accounts/on-user-deleted.js")>("../accounts/on-user-deleted.js").onUserDeleted,
  onAccountDeletion: () =>
    requireModule<typeof import("./accounts/on-account-deletion.js")>("../accounts/on-account-deletion.js").onAccountDeletion,
};
// Only when the config file asks for message updates (`webhookMessageUpdates`).
if (webhookMessageUpdates) {
  functions.onMessageUpdated = () =>
    requireModule<typeof import("./webhooks/on-webhook-events.js")>("../webhooks/on-webhook-events.js").onMessageUpdated;
}
for (const [name, load] of Object.entries(functions)) lazyExport(name, load);

// One callable per JSON operation of contract.ts, named after it (`createChat`, `sendMessage`, ...).
// Cloud Run names the function an instance serves in FUNCTION_TARGET: an instance of a callable
// exports just that one, without reading the list of callables (`api/callables.ts`, which loads
// the API's code, though no declaration: the names come from `api/operation-index.ts`); an
// instance of `api` or of a trigger exports none.
const target = process.env.FUNCTION_TARGET;
const shell = () => requireModule<typeof import("./api/callable-shell.js")>("../api/callable-shell.js");
if (target === undefined || !(target in functions)) {
  const names = target === undefined ? callables().callableNames : [target];
  for (const name of names) {
    lazyExport(name, (): CallableFunction<unknown, Promise<object>> => shell().operationCallable(name));
  }
}

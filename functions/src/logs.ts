import { logger } from "firebase-functions/logger";

/**
 * Every log line Parley writes. Message text, tokens and e-mail addresses are never logged.
 */
export const logs = {
  userProfileCreated: (uid: string, created: boolean) => logger.info("user profile", { uid, created }),
  /** An account's deletion started (`created`) or was found; its job id, never the uid. */
  accountDeletionStarted: (jobId: string, created: boolean, by: string) =>
    logger.info("account deletion", { jobId, created, by }),
  accountDeletionPage: (jobId: string, result: string) => logger.info("account deletion page", { jobId, result }),
  /** A before-send hook's outcome for a new message or an edit (`allow`, `reject`, `rewrite`, `failed-open:<why>`...); never the text. */
  beforeSendHook: (entry: { chatId: string; kind: string; hook: string; outcome: string; ms: number }) =>
    entry.outcome.startsWith("failed") ? logger.warn("before-send hook", entry) : logger.info("before-send hook", entry),
  messageSent: (chatId: string, number: number, attempts: number, created: boolean) =>
    logger.info("message sent", { chatId, number, attempts, created }),
  pushDelivered: (
    chatId: string,
    number: number,
    report: { duplicate: boolean; sent: number; failed: number; removedDevices: number },
  ) => logger.info("push delivered", { chatId, number, ...report }),
  fannedOut: (
    chatId: string,
    number: number,
    report: {
      ranges: number;
      done: number;
      skipped: number;
      failed: number;
      events: number;
      pages: number;
      push: { sent: number; failed: number };
    },
  ) => {
    const { push, ...counts } = report;
    logger.info("fan-out", { chatId, number, ...counts, sent: push.sent, pushFailed: push.failed });
  },
  eventDropped: (trigger: string, eventId: string, ageMs: number) =>
    logger.warn("event dropped: older than EVENT_MAX_AGE_MINUTES", { trigger, eventId, ageMs }),
  eventRetried: (trigger: string, eventId: string, error: { code: string; message: string }) =>
    logger.warn("event failed transiently; the runtime will deliver it again", { trigger, eventId, ...error }),
  eventFailed: (trigger: string, eventId: string, error: unknown) =>
    logger.error("event failed for good; recorded in failed-events", {
      trigger,
      eventId,
      error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
    }),
  chatExported: (chatId: string, report: { duplicate: boolean; rows: number; bytes: number; mails: number }) =>
    logger.info("chat exported", { chatId, ...report }),
  /** One step of a user's data export (`none`: nothing to do, or another run did it). */
  personalExportStep: (uid: string, step: string) => logger.info("personal export step", { uid, step }),
  /** What the link preview trigger did with a message (`written`, or why not; never the URL). */
  linkPreview: (chatId: string, number: number, outcome: string) => logger.info("link preview", { chatId, number, outcome }),
  /** Webhook deliveries an event recorded and what their first attempts gave (never the payload); silent when none. */
  webhooksPublished: (subject: string, report: { recorded: number; delivered: number; retrying: number; failed: number }) => {
    if (report.recorded + report.delivered + report.retrying + report.failed > 0)
      logger.info("webhooks published", { subject, ...report });
  },
  jobFinished: (job: string, report: Record<string, number | boolean>) => logger.info("job finished", { job, ...report }),
  requestRejected: (route: string, code: string) => logger.info("request rejected", { route, code }),
  /** Why the Admin SDK refused an ID token (its error code, e.g. `auth/id-token-revoked`; never the token). */
  tokenRefused: (authCode: string) => logger.info("id token refused", { authCode }),
  unexpectedError: (route: string, error: unknown) =>
    logger.error("unexpected error", {
      route,
      error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
    }),
};

import { logger } from "firebase-functions/logger";

/**
 * Every log line Parley writes. Message text, tokens and e-mail addresses are never logged.
 */
export const logs = {
  userProfileCreated: (uid: string, created: boolean) => logger.info("user profile", { uid, created }),
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
    page: number,
    report: { events: number; duplicate: boolean; more: boolean; push: { sent: number; failed: number } },
  ) => {
    const { events, duplicate, more, push } = report;
    logger.info("fan-out page", { chatId, number, page, events, duplicate, more, sent: push.sent, failed: push.failed });
  },
  chatExported: (chatId: string, report: { duplicate: boolean; rows: number; bytes: number; mails: number }) =>
    logger.info("chat exported", { chatId, ...report }),
  jobFinished: (job: string, report: Record<string, number | boolean>) => logger.info("job finished", { job, ...report }),
  requestRejected: (route: string, code: string) => logger.info("request rejected", { route, code }),
  unexpectedError: (route: string, error: unknown) =>
    logger.error("unexpected error", {
      route,
      error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
    }),
};

import { z } from "zod";

/** `POST /v1/chats/{chatId}/typing` and the `setTyping` callable (minus `chatId`): start (default) or stop. */
export const typingBody = z.strictObject({ typing: z.boolean().optional() });
export type TypingBody = z.infer<typeof typingBody>;

/** `POST /v1/presence` and the `heartbeat` callable: still here (default), or leaving now. */
export const heartbeatBody = z.strictObject({ online: z.boolean().optional() });
export type HeartbeatBody = z.infer<typeof heartbeatBody>;

/**
 * `PATCH /v1/me/settings` and the `updateSettings` callable: who sees your presence, and whether
 * you send and see read receipts. Each field is optional; one left out keeps its value.
 */
export const updateSettingsBody = z.strictObject({
  presence: z.enum(["contacts", "nobody"], "must be contacts or nobody").optional(),
  readReceipts: z.boolean().optional(),
});
export type UpdateSettingsBody = z.infer<typeof updateSettingsBody>;

import { z } from "zod";

/** `POST /v1/chats/{chatId}/typing` and the `setTyping` callable (minus `chatId`): start (default) or stop. */
export const typingBody = z
  .strictObject({ typing: z.boolean().optional().meta({ description: "`true` (the default): typing now; `false`: stopped" }) })
  .meta({ id: "TypingBody", description: "Whether the caller is typing" });
export type TypingBody = z.infer<typeof typingBody>;

/** `POST /v1/presence` and the `heartbeat` callable: still here (default), or leaving now. */
export const heartbeatBody = z
  .strictObject({
    online: z
      .boolean()
      .optional()
      .meta({ description: "`true` (the default): still here; `false`: leaving now (offline at once)" }),
  })
  .meta({ id: "HeartbeatBody", description: "A heartbeat" });
export type HeartbeatBody = z.infer<typeof heartbeatBody>;

/**
 * `PATCH /v1/me/settings` and the `updateSettings` callable: who sees your presence, and whether
 * you send and see read receipts. Each field is optional; one left out keeps its value.
 */
export const updateSettingsBody = z
  .strictObject({
    presence: z
      .enum(["contacts", "nobody"], "must be contacts or nobody")
      .optional()
      .meta({ description: "Who sees your presence: `contacts` (who shares a chat with you) or `nobody`; left out: unchanged" }),
    readReceipts: z
      .boolean()
      .optional()
      .meta({ description: '`false`: your reads are private and you see no one\'s "seen"; left out: unchanged' }),
  })
  .meta({ id: "UpdateSettingsBody", description: "The settings to change" });
export type UpdateSettingsBody = z.infer<typeof updateSettingsBody>;

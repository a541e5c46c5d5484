import { z } from "zod";
import { documentId, uid } from "../shared/schemas.js";

/** `POST /v1/chats` and the `createChat` callable. */
export const createChatBody = z.strictObject({ memberUid: uid });
export type CreateChatBody = z.infer<typeof createChatBody>;

/** Path parameter `{chatId}`. */
export const chatIdParam = z.strictObject({ chatId: documentId });

import { Timestamp, type Firestore } from "firebase-admin/firestore";
import type { ChatChange } from "../messages/send-message.js";
import { refs, type ChatCompletionDoc } from "../shared/model.js";

/**
 * The chat change that ends chat `chatId`: `status: "completed"`, `completedAt`, `active: false`,
 * and the `chat-completions/{chatId}` record whose creation starts the export.
 */
export function completion(
  db: Firestore,
  now: Date,
  chatId: string,
  endedBy: string | null,
): Required<Pick<ChatChange, "updates" | "creates">> {
  const completedAt = Timestamp.fromDate(now);
  const record: ChatCompletionDoc = { chatId, completedAt, endedBy };
  return {
    updates: [
      ["status", "completed"],
      ["active", false],
      ["completedAt", completedAt],
    ],
    creates: [[refs.chatCompletion(db, chatId), record]],
  };
}

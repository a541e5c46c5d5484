import type { DocumentSnapshot } from "firebase-admin/firestore";
import type { MessageDoc, MessageType } from "../shared/model.js";
import { iso } from "../shared/time.js";

/** A message as the API returns it. `createdAt` is ISO 8601 UTC. */
export interface MessageView {
  id: string;
  chatId: string;
  number: number;
  from: string | null;
  type: MessageType;
  text: string;
  clientMessageId: string | null;
  createdAt: string | null;
}

export function toMessageView(snap: DocumentSnapshot): MessageView {
  return messageView(snap.ref.parent.parent?.id ?? "", snap.id, snap.data() as MessageDoc);
}

export function messageView(chatId: string, id: string, message: MessageDoc): MessageView {
  return {
    id,
    chatId,
    number: message.number,
    from: message.from,
    type: message.type,
    text: message.text,
    clientMessageId: message.clientMessageId,
    createdAt: iso(message.createdAt),
  };
}

import type { ChatView, MessageView } from "./views.js";

/** Where one of the user's messages in a 1:1 chat stands: sent, arrived on the other's device, or read. */
export type MessageStatus = "sent" | "delivered" | "seen";

/**
 * Where `message` stands for `viewer` in `chat`: `"seen"` once the other member's read position
 * (`chat.lastRead`) reached it, `"delivered"` once their delivered position (`chat.delivered`,
 * reported by their devices; a read counts) did, else `"sent"`. `null` for a message that is not
 * the viewer's own, a system message, and in rooms (who has it there: `rest.listReceipts`). A
 * member with read receipts off is shown neither position, so their messages stay `"sent"`.
 */
export function messageStatus(
  chat: Pick<ChatView, "type" | "members" | "lastRead" | "delivered">,
  message: Pick<MessageView, "from" | "number">,
  viewer: string,
): MessageStatus | null {
  if (chat.type !== "direct" || message.from !== viewer) return null;
  const other = chat.members.find((uid) => uid !== viewer) ?? viewer;
  if ((chat.lastRead[other] ?? 0) >= message.number) return "seen";
  if ((chat.delivered[other] ?? 0) >= message.number) return "delivered";
  return "sent";
}

/** Reports that messages up to `upTo` of `chatId` arrived (`rest.markDelivered`). */
export type ReportDelivered = (chatId: string, upTo: number) => Promise<unknown>;

/** One chat's reports from this device: the highest reported or known, and one in flight at a time. */
interface ChatReports {
  done: number;
  inFlight: boolean;
  wanted: number;
}

/**
 * Reports, for the chats a listener sees, that their new messages arrived on this device. A chat
 * is reported when its newest message is from someone else and numbered past what the server
 * says the user has delivered (`chat.delivered`) and past what this device reported: one report
 * per chat at a time, for the newest number seen, so a burst of messages costs one write per
 * chat. A failed report is forgotten (the next message or listener retries it).
 */
export class DeliveryReporter {
  private readonly chats = new Map<string, ChatReports>();

  constructor(private readonly report: ReportDelivered) {}

  /** Takes note of `chats` as user `viewer` sees them, reporting those with new messages from others. */
  saw(chats: readonly ChatView[], viewer: string): void {
    for (const chat of chats) {
      const from = chat.lastMessage?.from;
      if (!from || from === viewer) continue;
      const key = `${viewer}/${chat.id}`;
      const state = this.chats.get(key) ?? { done: 0, inFlight: false, wanted: 0 };
      this.chats.set(key, state);
      state.done = Math.max(state.done, chat.delivered[viewer] ?? 0, chat.lastRead[viewer] ?? 0);
      state.wanted = Math.max(state.wanted, chat.messageCount);
      this.flush(chat.id, state);
    }
  }

  /** Sends `state`'s wanted number when it is past what is done and no report is in flight. */
  private flush(chatId: string, state: ChatReports): void {
    if (state.inFlight || state.wanted <= state.done) return;
    const upTo = state.wanted;
    state.inFlight = true;
    const settle = (reported: number) => {
      state.inFlight = false;
      state.done = Math.max(state.done, reported);
      this.flush(chatId, state);
    };
    this.report(chatId, upTo).then(
      () => settle(upTo),
      () => {
        // Forget it: wanting it again takes a newer message, so a refusal is not retried in a loop.
        state.wanted = state.done;
        settle(0);
      },
    );
  }
}

// The events webhooks are sent, built from the docs that tell them. Pure: ids are derived from
// what happened, so a trigger that runs twice builds the same event, with the same id.
import { createHash } from "node:crypto";
import type { MessageDoc, ReportDoc, WebhookEventType } from "../shared/docs.js";

/** One event, before it is matched to webhooks. */
export interface WebhookEvent {
  /** `evt_` and 32 hex digits, derived from what happened: the same on every run and attempt. */
  id: string;
  type: WebhookEventType;
  chatId: string;
  /** When it happened (the write's commit time). */
  occurredAt: Date;
  /** Sorts the chat's events as they happened: commit time, then message number. */
  order: string;
  /** The type's fields (README, "Webhooks"). */
  data: Record<string, unknown>;
  /** The users `data` names, for account deletion. */
  uids: string[];
}

/** The JSON body of a delivery: what receivers parse. */
export interface WebhookPayload {
  id: string;
  type: WebhookEventType;
  /** RFC 3339. */
  occurredAt: string;
  chatId: string;
  data: Record<string, unknown>;
}

/** The stable id of the event `type` about `source` (a path-like key of what happened). */
export function webhookEventId(type: WebhookEventType, source: string): string {
  return `evt_${createHash("sha256").update(`${type}|${source}`).digest("hex").slice(0, 32)}`;
}

/** The order key of an event at `occurredAt` about message `number` (0 when none). */
export function orderKey(occurredAt: Date, number: number): string {
  return `${String(occurredAt.getTime()).padStart(15, "0")}-${String(number).padStart(10, "0")}`;
}

/** The body sent for `event`, serialised once and stored, so every attempt sends the same bytes. */
export function payloadOf(event: WebhookEvent): string {
  const payload: WebhookPayload = {
    id: event.id,
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    chatId: event.chatId,
    data: event.data,
  };
  return JSON.stringify(payload);
}

/** What a payload tells of a message: never its search words or storage paths. */
function messageData(message: MessageDoc): Record<string, unknown> {
  const file = message.file && { name: message.file.name, contentType: message.file.contentType, size: message.file.size };
  return {
    number: message.number,
    from: message.from,
    type: message.type,
    text: message.text,
    createdAt: message.createdAt.toDate().toISOString(),
    ...(file ? { file } : {}),
    ...(message.threadOf !== undefined ? { threadOf: message.threadOf } : {}),
    ...(message.mentions?.length ? { mentions: message.mentions } : {}),
    ...(message.editCount !== undefined ? { editCount: message.editCount } : {}),
  };
}

/** The users an event about `message` names: its sender and whom it mentions (account deletion finds them by these). */
const uidsOf = (message: MessageDoc): string[] => [
  ...new Set([...(message.from ? [message.from] : []), ...(message.mentions ?? [])]),
];

/** Where an event about `message` of `chatId`, committed at `at`, stands. */
type Base = Pick<WebhookEvent, "chatId" | "occurredAt" | "order">;
const baseOf = (chatId: string, number: number, at: Date): Base => ({ chatId, occurredAt: at, order: orderKey(at, number) });

/**
 * The event a new message tells: `message.new`, or for a system message `member.joined`,
 * `member.left` (`data.removed` when a host or moderator removed them) or `chat.ended`.
 * Thread replies (in their thread, not the chat) tell none.
 */
export function eventOfNewMessage(chatId: string, message: MessageDoc, committedAt: Date): WebhookEvent {
  const base = baseOf(chatId, message.number, committedAt);
  const source = `${chatId}/${message.number}`;
  const event = message.type === "system" ? message.event : undefined;
  if (!event) {
    const uids = uidsOf(message);
    return {
      ...base,
      id: webhookEventId("message.new", source),
      type: "message.new",
      data: { message: messageData(message) },
      uids,
    };
  }
  const uids = event.uid ? [event.uid] : [];
  const type: WebhookEventType =
    event.type === "member-joined" ? "member.joined" : event.type === "chat-ended" ? "chat.ended" : "member.left";
  const data =
    type === "chat.ended"
      ? { endedBy: event.uid, number: message.number }
      : { uid: event.uid, number: message.number, removed: event.type === "member-removed" };
  return { ...base, id: webhookEventId(type, source), type, data, uids };
}

/**
 * The event an update of a message tells, or none: `message.deleted` when it was just deleted
 * for everyone, `message.updated` when its text was edited. Other updates (reaction counts, link
 * previews, thread summaries, poll votes) tell nothing.
 */
export function eventOfMessageUpdate(
  chatId: string,
  change: { before: MessageDoc; after: MessageDoc },
  committedAt: Date,
): WebhookEvent | undefined {
  const { before, after } = change;
  const base = baseOf(chatId, after.number, committedAt);
  const source = `${chatId}/${after.number}`;
  const uids = uidsOf(after);
  if (after.deleted && !before.deleted) {
    const data = { message: { number: after.number, from: after.from } };
    return { ...base, id: webhookEventId("message.deleted", source), type: "message.deleted", data, uids };
  }
  const edits = (doc: MessageDoc) => doc.editCount ?? (doc.editedAt ? doc.editedAt.toDate().getTime() : 0);
  if (after.deleted || edits(after) === edits(before)) return undefined;
  const id = webhookEventId("message.updated", `${source}/${String(edits(after))}`);
  return { ...base, id, type: "message.updated", data: { message: messageData(after) }, uids };
}

/** `reaction.new`: `uid` reacted to message `number` with `emoji`; `sourceId` the trigger's event id (a reaction may be taken back and made again). */
export function eventOfReaction(
  chatId: string,
  reaction: { uid: string; number: number; emoji: string },
  committedAt: Date,
  sourceId: string,
): WebhookEvent {
  const base = baseOf(chatId, reaction.number, committedAt);
  const data = { number: reaction.number, uid: reaction.uid, emoji: reaction.emoji };
  return { ...base, id: webhookEventId("reaction.new", sourceId), type: "reaction.new", data, uids: [reaction.uid] };
}

/** `report.created`: a member reported a message (`reportId` the `reports/` doc's id). */
export function eventOfReport(reportId: string, report: ReportDoc, committedAt: Date): WebhookEvent {
  const base = baseOf(report.chatId, report.number, committedAt);
  const data = { reportId, number: report.number, reporter: report.reporter, reason: report.reason, from: report.message.from };
  const uids = [report.reporter, ...(report.message.from ? [report.message.from] : [])];
  return { ...base, id: webhookEventId("report.created", reportId), type: "report.created", data, uids };
}

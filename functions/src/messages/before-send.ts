import { z } from "zod";
import { AppError } from "../shared/errors.js";
import { MAX_TEXT_LENGTH } from "./schemas.js";

/**
 * What a before-send hook is asked about a message, before anything of it is stored: a new
 * message (`kind: "new"`: a send, a file's caption, a poll, a forward, a thread reply) or an
 * edit (`kind: "edit"`, with the message's `number`). `text` is the text to be stored (a poll's
 * question, a file's caption, possibly empty).
 */
export interface BeforeSendRequest {
  kind: "new" | "edit";
  chatId: string;
  /** The sender's uid. */
  from: string;
  type: "text" | "file" | "image" | "voice" | "poll";
  text: string;
  /** An edit: the message's number. */
  number?: number;
  /** A thread reply: its parent's number. */
  threadOf?: number;
  mentions?: string[];
  /** A file, image or voice message: its file's display name, media type and size in bytes. */
  file?: { name: string; contentType: string; size: number };
  /** A poll: its options (the question is `text`). */
  pollOptions?: string[];
  /** A forward: where the message comes from. */
  forwardedFrom?: { chatId: string; number: number };
}

/** A hook's answer, as its endpoint sends it (JSON). */
export const beforeSendAnswer = z.discriminatedUnion("action", [
  z.object({ action: z.literal("allow") }),
  z.object({ action: z.literal("reject"), reason: z.string().trim().min(1).max(500) }),
  z.object({
    action: z.literal("rewrite"),
    text: z.string().max(MAX_TEXT_LENGTH),
    /** A poll's options, rewritten (as many as sent). */
    pollOptions: z.array(z.string().min(1).max(200)).optional(),
  }),
]);

/** A hook's answer: let the message through, refuse it with a reason shown to the sender, or store another text. */
export type BeforeSendAnswer = z.infer<typeof beforeSendAnswer>;

/** Why a hook gave no usable answer. */
export type HookFailure = "timeout" | "network" | "refused-address" | "http-status" | "malformed" | "too-large" | "bad-rewrite";

/** A hook that gave no usable answer: {@link screenMessage} then fails open or closed. */
export class BeforeSendFailure extends Error {
  constructor(readonly reason: HookFailure) {
    super(`before-send hook: ${reason}`);
    this.name = "BeforeSendFailure";
  }
}

/** What happened at one hook, for the log (never the text). */
export type HookOutcome = "allow" | "reject" | "rewrite" | `failed-open:${HookFailure}` | `failed-closed:${HookFailure}`;

/** One hook: asked in turn; `ask` rejects with {@link BeforeSendFailure} when it has no usable answer. */
export interface BeforeSendHook {
  /** For the log: `profanity` (built in) or `http` (`BEFORE_SEND_HOOK_URL`). */
  name: string;
  ask: (request: BeforeSendRequest, now: Date) => Promise<BeforeSendAnswer>;
  /** On a failure, refuse the message (`unavailable`) rather than store it as it is. */
  failClosed: boolean;
}

/** The hooks a message goes through, in order (each sees the text the one before let through), and where outcomes are told. */
export interface BeforeSend {
  hooks: BeforeSendHook[];
  report: (request: BeforeSendRequest, hook: string, outcome: HookOutcome, ms: number) => void;
}

/** What a message may be stored with, after the hooks. */
export interface Screened {
  text: string;
  pollOptions?: string[];
}

/**
 * Asks each hook of `beforeSend` in turn about `request`, before anything is written (and
 * outside any transaction). `allow` keeps the text, `rewrite` replaces it (and a poll's
 * options), `reject` refuses the message. A hook that fails (see {@link BeforeSendFailure}),
 * or a rewrite a message can't take (blank for a text message, a different number of poll
 * options), lets the message through as it is when the hook fails open, and refuses it when it
 * fails closed.
 * @throws AppError `permission-denied` (a hook rejected it; the message is its reason),
 *   `unavailable` (a hook that fails closed failed).
 */
export async function screenMessage(beforeSend: BeforeSend, request: BeforeSendRequest, now: Date): Promise<Screened> {
  let screened: Screened = { text: request.text, ...(request.pollOptions && { pollOptions: request.pollOptions }) };
  for (const hook of beforeSend.hooks) {
    const started = Date.now();
    const asked = { ...request, text: screened.text, ...(screened.pollOptions && { pollOptions: screened.pollOptions }) };
    const answer = await hook.ask(asked, now).then(
      (answer) => applyAnswer(asked, answer),
      (error: unknown) => failureOf(error),
    );
    const ms = Date.now() - started;
    if (answer instanceof BeforeSendFailure) {
      beforeSend.report(request, hook.name, `${hook.failClosed ? "failed-closed" : "failed-open"}:${answer.reason}`, ms);
      if (hook.failClosed) throw new AppError("unavailable", "Messages can't be checked right now; retry later.");
      continue;
    }
    beforeSend.report(request, hook.name, answer.action, ms);
    if (answer.action === "reject") throw new AppError("permission-denied", answer.reason);
    screened = answer.screened;
  }
  return screened;
}

/** What `answer` makes of `request`: a refusal, the screened text, or a failure when the rewrite doesn't fit. */
export function applyAnswer(
  request: BeforeSendRequest,
  answer: BeforeSendAnswer,
): { action: "reject"; reason: string } | { action: "allow" | "rewrite"; screened: Screened } | BeforeSendFailure {
  const kept = { text: request.text, ...(request.pollOptions && { pollOptions: request.pollOptions }) };
  if (answer.action === "reject") return answer;
  if (answer.action === "allow") return { action: "allow", screened: kept };
  const needsText = request.type === "text" || request.type === "poll";
  if (needsText && answer.text.trim() === "") return new BeforeSendFailure("bad-rewrite");
  const options = answer.pollOptions ?? request.pollOptions;
  if (options?.length !== request.pollOptions?.length) return new BeforeSendFailure("bad-rewrite");
  return { action: "rewrite", screened: { text: answer.text, ...(options && { pollOptions: options }) } };
}

/** `error` as a hook failure; an error that is no {@link BeforeSendFailure} is a network failure. */
function failureOf(error: unknown): BeforeSendFailure {
  return error instanceof BeforeSendFailure ? error : new BeforeSendFailure("network");
}

/**
 * A hook's HTTP answer read: a 2xx JSON body of {@link beforeSendAnswer}'s shape.
 * @throws BeforeSendFailure `http-status` (not 2xx), `malformed` (not JSON, or not the shape).
 */
export function parseHookAnswer(status: number, body: string): BeforeSendAnswer {
  if (status < 200 || status >= 300) throw new BeforeSendFailure("http-status");
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new BeforeSendFailure("malformed");
  }
  const parsed = beforeSendAnswer.safeParse(json);
  if (!parsed.success) throw new BeforeSendFailure("malformed");
  return parsed.data;
}

// The before-send hook over HTTP: one POST to the operator's endpoint per message, signed, within
// a second. The connection goes through request-filtering-agent, as link previews' fetches do
// (links/fetch-guarded.ts): the host is resolved and any address that is not public unicast
// (loopback, private, link-local, the metadata server...) is refused before connecting, unless
// it is on the allow-list (`BEFORE_SEND_HOOK_ALLOWED_IPS`). Redirects are not followed. Unlike a
// preview's, the endpoint is the operator's and fixed, so one keep-alive agent serves every
// request of an instance: a socket is checked when it connects and stays at the address checked,
// and later messages skip the TCP and TLS handshakes.
import http from "node:http";
import https from "node:https";
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from "request-filtering-agent";
import { SIGNATURE_HEADER, signPayload } from "../shared/signature.js";
import { BeforeSendFailure, parseHookAnswer, type BeforeSendAnswer, type BeforeSendRequest } from "./before-send.js";

/** How long the endpoint has to answer, connection included, in milliseconds. */
export const HOOK_TIMEOUT_MS = 1_000;
/** Most bytes of an answer read. */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** Where the hook is and how its requests are signed. */
export interface HttpHookOptions {
  /** The endpoint: an http(s) URL (`BEFORE_SEND_HOOK_URL`). */
  url: string;
  /** The signing secret (`BEFORE_SEND_HOOK_SECRET`); empty: requests go unsigned. */
  secret: string;
  /** Addresses allowed although not public (exact IP literals). */
  allowedIps: string[];
  /** Default {@link HOOK_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/**
 * A hook's `ask` that POSTs the request as JSON to `options.url`, with
 * `x-parley-signature: t=<unix seconds>,v1=<hex>` ({@link signPayload}) when there is a secret,
 * and reads the answer ({@link parseHookAnswer}).
 * @throws BeforeSendFailure `timeout` (no answer within the time), `refused-address`,
 *   `network`, `too-large`, `http-status`, `malformed`.
 */
export function httpHook(options: HttpHookOptions): (request: BeforeSendRequest, now: Date) => Promise<BeforeSendAnswer> {
  const filter = { allowIPAddressList: options.allowedIps, keepAlive: true };
  const agent = options.url.startsWith("https:") ? new RequestFilteringHttpsAgent(filter) : new RequestFilteringHttpAgent(filter);
  return async (request, now) => {
    const body = JSON.stringify(request);
    const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "ParleyBeforeSend/1.0" };
    if (options.secret) headers[SIGNATURE_HEADER] = signPayload(options.secret, Math.floor(now.getTime() / 1000), body);
    const signal = AbortSignal.timeout(options.timeoutMs ?? HOOK_TIMEOUT_MS);
    const answer = await post(options.url, { agent, body, headers, signal }).catch((error: unknown) => {
      throw error instanceof BeforeSendFailure ? error : failureOf(error, signal);
    });
    return parseHookAnswer(answer.status, answer.body);
  };
}

/** What {@link post} sends, through which agent, until when. */
interface HookPost {
  agent: http.Agent;
  body: string;
  headers: Record<string, string>;
  signal: AbortSignal;
}

/** One POST through the filtering agent; resolves with the status and body text, rejects on any failure. */
function post(url: string, { agent, body, headers, signal }: HookPost) {
  const target = new URL(url);
  const send = target.protocol === "https:" ? https.request : http.request;
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const outgoing = send(target, { method: "POST", agent, headers, signal }, (response) => {
      readAnswer(response).then((text) => resolve({ status: response.statusCode ?? 0, body: text }), reject);
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** The answer's body as text, at most {@link MAX_ANSWER_BYTES}. */
async function readAnswer(response: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_ANSWER_BYTES) {
      response.destroy();
      throw new BeforeSendFailure("too-large");
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A request's error as a failure: the time ran out, the agent refused the address, or the network. */
function failureOf(error: unknown, signal: AbortSignal): BeforeSendFailure {
  if (signal.aborted) return new BeforeSendFailure("timeout");
  const message = error instanceof Error ? error.message : "";
  return new BeforeSendFailure(message.includes("is not allowed") ? "refused-address" : "network");
}

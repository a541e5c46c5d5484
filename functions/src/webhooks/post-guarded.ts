// POSTing a webhook to an operator's endpoint without letting the URL reach our own network
// (SSRF), as link previews fetch pages (`links/fetch-guarded.ts`): request-filtering-agent
// resolves the host and refuses, before connecting, any address that is not public unicast
// (loopback, private, link-local and so the metadata server, unique-local, CGNAT, mapped IPv6),
// unless it is exactly one of `allowedIps` (WEBHOOK_ALLOWED_IPS). Redirects are not followed: a
// 3xx is a failed attempt, so a redirect can't lead the POST anywhere the check didn't see.
import http from "node:http";
import https from "node:https";
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from "request-filtering-agent";

/** One attempt, in milliseconds, until the endpoint's status line. */
export const POST_TIMEOUT_MS = 10_000;

/** What one POST gave: the endpoint's status, or why there was none. */
export type PostOutcome = { status: number } | { status: null; error: "bad-url" | "refused-address" | "timeout" | "network" };

/** The options of {@link postGuarded}. */
export interface PostGuardedOptions {
  /** Headers to send besides `content-type: application/json` and the user agent. */
  headers: Record<string, string>;
  /** Addresses allowed although not public (exact IPv4/IPv6 literals). */
  allowedIps: string[];
  /** Default {@link POST_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/**
 * POSTs `body` (JSON) to `url` (http or https, no credentials) through the address filter, and
 * answers the response's status once its headers arrive (the body is read and dropped). Never
 * throws: no status is `{status: null, error}`.
 */
export async function postGuarded(url: string, body: string, options: PostGuardedOptions): Promise<PostOutcome> {
  const target = parseHttpUrl(url);
  if (!target) return { status: null, error: "bad-url" };
  const filter = { allowIPAddressList: options.allowedIps, keepAlive: false };
  const secure = target.protocol === "https:";
  const agent = secure ? new RequestFilteringHttpsAgent(filter) : new RequestFilteringHttpAgent(filter);
  const signal = AbortSignal.timeout(options.timeoutMs ?? POST_TIMEOUT_MS);
  const headers = {
    ...options.headers,
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    "user-agent": USER_AGENT,
  };
  return new Promise<PostOutcome>((resolve) => {
    const request = (secure ? https : http).request(target, { method: "POST", agent, headers, signal }, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0 });
    });
    request.on("error", (error) => resolve({ status: null, error: errorOf(error, signal) }));
    request.end(body);
  }).finally(() => agent.destroy());
}

/** `text` as an http(s) URL without credentials, else `undefined`. */
function parseHttpUrl(text: string): URL | undefined {
  const parsed = URL.canParse(text) ? new URL(text) : undefined;
  const web = parsed?.protocol === "http:" || parsed?.protocol === "https:";
  return parsed && web && !parsed.username && !parsed.password ? parsed : undefined;
}

/** A request's error as an outcome: the filter's refusal, the timeout, or the network. */
function errorOf(error: Error, signal: AbortSignal): "refused-address" | "timeout" | "network" {
  if (signal.aborted) return "timeout";
  return error.message.includes("is not allowed") ? "refused-address" : "network";
}

/** How deliveries introduce themselves. */
const USER_AGENT = "ParleyWebhooks/1.0";

// Fetching a third party's page or image for a link preview, without letting a sender's URL reach
// our own network (SSRF). Every connection goes through request-filtering-agent's agent, which
// resolves the host and refuses, before connecting, any address that is not public unicast:
// loopback, private, link-local (so the 169.254.169.254 metadata server), unique-local,
// carrier-grade NAT, IPv4-mapped IPv6, 0.0.0.0 and `::`, unless it is one of `allowedIps`
// exactly. Redirects are followed here, one hop at a time, each on a new connection through a
// fresh agent, so each hop's address is checked again.
import http from "node:http";
import https from "node:https";
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from "request-filtering-agent";

/** Most redirects one fetch follows. */
export const MAX_REDIRECTS = 3;
/** The whole fetch, redirects and body included, in milliseconds. */
export const FETCH_TIMEOUT_MS = 5_000;
/** Most bytes of a page's HTML read. */
export const MAX_HTML_BYTES = 512 * 1024;
/** Most bytes of a preview's image read. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** What a fetch accepts: an HTML page or an image. */
export type FetchKind = "html" | "image";

/** The options of {@link fetchGuarded}. */
export interface FetchGuardedOptions {
  /** `html`: `text/html` or `application/xhtml+xml`, at most {@link MAX_HTML_BYTES}; `image`: `image/*`, at most {@link MAX_IMAGE_BYTES}. */
  kind: FetchKind;
  /** Addresses allowed although not public (exact IPv4/IPv6 literals; `LINK_PREVIEW_ALLOWED_IPS`). */
  allowedIps: string[];
}

/** A fetched body: its final URL, media type (no parameters, lower case) and bytes. */
export interface Fetched {
  ok: true;
  url: string;
  contentType: string;
  body: Buffer;
}

/** Why a fetch gave nothing. */
export type FetchRefusal =
  "bad-url" | "refused-address" | "too-many-redirects" | "timeout" | "http-status" | "wrong-type" | "too-large" | "network";

/** A fetch that gave nothing, and why. */
export interface NotFetched {
  ok: false;
  reason: FetchRefusal;
}

const ACCEPTED: Record<FetchKind, (type: string) => boolean> = {
  html: (type) => type === "text/html" || type === "application/xhtml+xml",
  image: (type) => type.startsWith("image/"),
};
const MAX_BYTES: Record<FetchKind, number> = { html: MAX_HTML_BYTES, image: MAX_IMAGE_BYTES };

/**
 * GETs `url` (http or https only), following at most {@link MAX_REDIRECTS} redirects, within
 * {@link FETCH_TIMEOUT_MS} in all; each hop's host is resolved and its addresses checked before
 * connecting (see the top of this file). Accepts only a 2xx answer of the `kind`'s media types
 * and size. Never throws: a refusal is `{ ok: false, reason }`.
 */
export async function fetchGuarded(url: string, options: FetchGuardedOptions): Promise<Fetched | NotFetched> {
  const signal = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const target = parseHttpUrl(current);
    if (!target) return { ok: false, reason: "bad-url" };
    const answer = await requestOnce(target, options, signal).catch((error: unknown) => refusalOf(error, signal));
    if (!("redirect" in answer)) return answer;
    // A malformed `Location` is the page's fault: refuse, don't throw (the trigger would fail).
    const next = URL.canParse(answer.redirect, target.href) ? new URL(answer.redirect, target) : undefined;
    if (!next) return { ok: false, reason: "bad-url" };
    current = next.href;
  }
  return { ok: false, reason: "too-many-redirects" };
}

/** `text` as an http(s) URL without credentials, else `undefined`. */
function parseHttpUrl(text: string): URL | undefined {
  try {
    const parsed = new URL(text);
    const web = parsed.protocol === "http:" || parsed.protocol === "https:";
    return web && !parsed.username && !parsed.password ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** One hop: an answer, a redirect to follow, or a refusal. Rejects on network errors. */
function requestOnce(target: URL, options: FetchGuardedOptions, signal: AbortSignal) {
  const filter = { allowIPAddressList: options.allowedIps, keepAlive: false };
  const secure = target.protocol === "https:";
  const agent = secure ? new RequestFilteringHttpsAgent(filter) : new RequestFilteringHttpAgent(filter);
  const get = secure ? https.get : http.get;
  const headers = { accept: options.kind === "html" ? "text/html,application/xhtml+xml" : "image/*", "user-agent": USER_AGENT };
  return new Promise<Fetched | NotFetched | { redirect: string }>((resolve, reject) => {
    const request = get(target, { agent, headers, signal }, (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location) {
        response.resume();
        resolve({ redirect: location });
        return;
      }
      readBody(response, options.kind, target.href).then(resolve, reject);
    });
    request.on("error", reject);
  }).finally(() => agent.destroy());
}

/** The body of a 2xx answer of the accepted types, read up to the kind's limit. */
async function readBody(response: http.IncomingMessage, kind: FetchKind, url: string): Promise<Fetched | NotFetched> {
  const status = response.statusCode ?? 0;
  const contentType = (response.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  const declared = Number(response.headers["content-length"] ?? 0);
  const refusal: FetchRefusal | undefined =
    status < 200 || status >= 300
      ? "http-status"
      : !ACCEPTED[kind](contentType)
        ? "wrong-type"
        : declared > MAX_BYTES[kind]
          ? "too-large"
          : undefined;
  if (refusal) {
    response.destroy();
    return { ok: false, reason: refusal };
  }
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_BYTES[kind]) {
      response.destroy();
      return { ok: false, reason: "too-large" };
    }
    chunks.push(chunk);
  }
  return { ok: true, url, contentType, body: Buffer.concat(chunks) };
}

/** A request's error as a refusal: the agent's refusal, the timeout, or the network. */
function refusalOf(error: unknown, signal: AbortSignal): NotFetched {
  if (signal.aborted) return { ok: false, reason: "timeout" };
  const message = error instanceof Error ? error.message : "";
  return { ok: false, reason: message.includes("is not allowed") ? "refused-address" : "network" };
}

/** How previews introduce themselves to the sites they read. */
const USER_AGENT = "ParleyLinkPreview/1.0";

import { apiBase } from "./emulators.js";
import { rawHttp } from "./raw-http.js";
import type { TestUser } from "./users.js";

/** An HTTP answer of the REST API. */
export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  contentType: string | null;
  /** `Retry-After`, when the answer has one (429). */
  retryAfter?: string;
}

interface CallOptions {
  /** JSON body; use `raw` for bytes that are not JSON. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

/** Calls the REST API as `caller` (a user, a raw token string, or `null` for no token). */
export async function api<T = Record<string, unknown>>(
  caller: TestUser | string | null,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse<T>> {
  const token = typeof caller === "string" ? caller : caller?.token;
  const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}) };
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${apiBase}${path}`, { method, headers: { ...headers, ...options.headers }, body });
  const text = await response.text();
  const contentType = response.headers.get("content-type");
  let parsed: unknown = text;
  if (contentType?.includes("application/json")) parsed = JSON.parse(text);
  const retryAfter = response.headers.get("retry-after") ?? undefined;
  return { status: response.status, body: parsed as T, contentType, ...(retryAfter && { retryAfter }) };
}

/** As {@link api}, with the path sent exactly as given (see {@link rawHttp}). */
export async function apiRaw<T = Record<string, unknown>>(
  caller: TestUser | null,
  method: string,
  path: string,
  options: Omit<CallOptions, "raw"> = {},
): Promise<ApiResponse<T>> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    ...(caller ? { authorization: `Bearer ${caller.token}` } : {}),
    ...(body !== undefined ? { "content-type": "application/json" } : {}),
    ...options.headers,
  };
  const { status, contentType, text } = await rawHttp(method, `${apiBase}${path}`, headers, body);
  const parsed: unknown = contentType?.includes("application/json") ? JSON.parse(text) : text;
  return { status, body: parsed as T, contentType };
}

/** Creates the 1:1 chat between two users through the API, accepted by `b`; returns its id. */
export async function createChat(a: TestUser, b: TestUser): Promise<string> {
  const chatId = await openRequest(a, b);
  const accepted = await api(b, "POST", `/chats/${chatId}/accept`);
  if (accepted.status !== 200) throw new Error(`createChat: accept ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return chatId;
}

/**
 * `a` opens a new 1:1 chat with `b` and `b` does not answer: with message requests on (the
 * emulator's default), a message request when they share no room.
 */
export async function openRequest(a: TestUser, b: TestUser): Promise<string> {
  const response = await api<{ chat: { id: string } }>(a, "POST", "/chats", { body: { memberUid: b.uid } });
  if (response.status !== 201) throw new Error(`createChat: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.chat.id;
}

/** Sends a text message through the API; returns the stored message. */
export async function send(from: TestUser, chatId: string, text: string, clientMessageId?: string) {
  const response = await api<{ message: { number: number; id: string } }>(from, "POST", `/chats/${chatId}/messages`, {
    body: { text, ...(clientMessageId ? { clientMessageId } : {}) },
  });
  if (response.status !== 201) throw new Error(`send: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.message;
}

import type { Auth } from "firebase/auth";
import { operations, type Operations } from "../../functions/src/contract.js";
import { fieldsOf, type OperationInput, type OperationSpec, type SuccessBody } from "../../functions/src/shared/operation.js";
import { errorFromResponse, ParleyError } from "./errors.js";
import type { MessageView } from "./views.js";

/**
 * Options of a file send. `onProgress` gets the fraction of the upload sent (0..1). `waveform`
 * goes with an audio file (a voice message): 64 amplitudes 0-255 over the recording.
 */
export interface SendFileOptions {
  text?: string;
  clientMessageId?: string;
  replyTo?: number;
  waveform?: readonly number[];
  onProgress?: (fraction: number) => void;
}

/** The JSON operations: every operation but the downloads. */
type JsonOperationName = { [K in keyof Operations]: Operations[K] extends { download: object } ? never : K }[keyof Operations];

/** Takes `input`, optional when the operation needs none. */
type Call<I, O> = Record<never, never> extends I ? (input?: I) => Promise<O> : (input: I) => Promise<O>;

/** A typed wrapper per JSON operation: its input as one object (as callables take it), its REST body back. */
export type RestOperations = { [K in JsonOperationName]: Call<OperationInput<Operations[K]>, SuccessBody<Operations[K]>> };

/**
 * Every REST operation of Parley, typed and generated from the API's own declarations
 * (`functions/src/contract.ts`): `rest.getChat({ chatId })`, `rest.sendMessage({ chatId, text })`.
 * Calls carry the signed-in user's ID token; failures throw {@link ParleyError} with the API's
 * code. Also `sendFile` (multipart, with progress) and `download` (any `downloadPath`).
 * `apiBase` ends in `/v1`.
 */
export function restApi(auth: Auth, apiBase: string) {
  const token = async () => {
    const user = auth.currentUser;
    if (!user) throw new ParleyError("unauthenticated", "Sign in first.");
    return user.getIdToken();
  };
  const call = async (op: OperationSpec, input: Record<string, unknown> = {}): Promise<unknown> => {
    const body = op.body ? pick(input, fieldsOf(op.body)) : undefined;
    const response = await fetch(operationUrl(apiBase, op, input), {
      method: op.method.toUpperCase(),
      headers: { authorization: `Bearer ${await token()}`, ...(body && { "content-type": "application/json" }) },
      body: body && JSON.stringify(body),
    });
    if (!response.ok) throw await errorFromResponse(response);
    return response.json();
  };
  const generated = Object.fromEntries(
    Object.values(operations as Record<string, OperationSpec & { name: string }>)
      .filter((op) => !op.download)
      .map((op) => [op.name, (input?: Record<string, unknown>) => call(op, input)]),
  ) as unknown as RestOperations;

  return {
    ...generated,
    /** Sends a file, image or voice message (an audio file; multipart/form-data) to `sendMessage`'s path. */
    sendFile: async (chatId: string, file: Blob, name: string, options: SendFileOptions = {}) =>
      sendFile({
        target: operationUrl(apiBase, operations.sendMessage, { chatId }),
        idToken: await token(),
        file,
        name,
        options,
      }),
    /** Downloads an API path such as `file.downloadPath`, `thumbnail.downloadPath` or `export.downloadPath`. */
    download: async (downloadPath: string): Promise<Blob> => {
      const response = await fetch(`${apiBase}${downloadPath.replace(/^\/v1/, "")}`, {
        headers: { authorization: `Bearer ${await token()}` },
      });
      if (!response.ok) throw await errorFromResponse(response);
      return response.blob();
    },
  };
}

/**
 * The URL of `op` for `input`: path parameters filled in, query fields in the query string.
 * @throws ParleyError `invalid-argument` for a path parameter that is empty, `.` or `..`: URL
 *   parsers and proxies resolve those segments (`%2E` too), so the request would reach another
 *   route (`…/reactions/..` is `…/messages/{number}`, a delete).
 */
export function operationUrl(apiBase: string, op: OperationSpec, input: Record<string, unknown>): string {
  const path = op.path.replace(/:(\w+)/g, (_, name: string) => {
    const value = String(input[name]);
    if (value === "" || value === "." || value === "..") {
      throw new ParleyError("invalid-argument", `${name}: must not be empty, "." or ".." (a URL path can't carry it)`, 400);
    }
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(pick(input, fieldsOf(op.query)))) search.set(key, String(value));
  const qs = search.toString();
  return `${apiBase}${path}${qs ? `?${qs}` : ""}`;
}

/** The defined values of `keys` in `input`. */
function pick(input: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => input[key] !== undefined).map((key) => [key, input[key]]));
}

/** An upload of `file` as `name` to `target` (the send URL), with the sender's ID token. */
interface Upload {
  target: string;
  idToken: string;
  file: Blob;
  name: string;
  options: SendFileOptions;
}

/** Multipart upload; with XMLHttpRequest (browsers, React Native) it reports progress. */
async function sendFile({ target, idToken, file, name, options }: Upload): Promise<{ message: MessageView }> {
  const form = new FormData();
  if (options.text) form.append("text", options.text);
  if (options.clientMessageId) form.append("clientMessageId", options.clientMessageId);
  if (options.replyTo !== undefined) form.append("replyTo", String(options.replyTo));
  if (options.waveform) form.append("waveform", options.waveform.join(","));
  form.append("file", file, name);
  if (typeof XMLHttpRequest === "undefined") {
    const response = await fetch(target, { method: "POST", headers: { authorization: `Bearer ${idToken}` }, body: form });
    if (!response.ok) throw await errorFromResponse(response);
    options.onProgress?.(1);
    return (await response.json()) as { message: MessageView };
  }
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", target);
    xhr.setRequestHeader("authorization", `Bearer ${idToken}`);
    xhr.upload.onprogress = (event) => event.lengthComputable && options.onProgress?.(event.loaded / event.total);
    xhr.onerror = () => reject(new ParleyError("internal", "The upload failed (network)."));
    xhr.onload = () => {
      const response = new Response(xhr.responseText, { status: xhr.status, headers: { "content-type": "application/json" } });
      if (xhr.status >= 200 && xhr.status < 300) {
        options.onProgress?.(1);
        resolve(JSON.parse(xhr.responseText) as { message: MessageView });
      } else void errorFromResponse(response).then(reject);
    };
    xhr.send(form);
  });
}

export type RestApi = ReturnType<typeof restApi>;

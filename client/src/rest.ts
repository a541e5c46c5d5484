import type { Auth } from "firebase/auth";
import { errorFromResponse, ParleyError } from "./errors.js";
import type {
  ChatView,
  DeviceView,
  MembershipResult,
  MessagePage,
  MessageView,
  MuteState,
  NewRoom,
  ReadState,
  UserView,
} from "./types.js";

/** Options of a file send. `onProgress` gets the fraction of the upload sent (0..1). */
export interface SendFileOptions {
  text?: string;
  clientMessageId?: string;
  replyTo?: number;
  onProgress?: (fraction: number) => void;
}

type Query = Record<string, string | number | undefined>;

/**
 * Every REST operation of Parley, typed. Calls carry the signed-in user's ID token; failures
 * throw {@link ParleyError} with the API's code. `apiBase` ends in `/v1`.
 */
export function restApi(auth: Auth, apiBase: string) {
  const token = async () => {
    const user = auth.currentUser;
    if (!user) throw new ParleyError("unauthenticated", "Sign in first.");
    return user.getIdToken();
  };
  const url = (path: string, query?: Query) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) search.set(key, String(value));
    const qs = search.toString();
    return `${apiBase}${path.replace(/^\/v1/, "")}${qs ? `?${qs}` : ""}`;
  };
  async function call<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
    const response = await fetch(url(path, query), {
      method,
      headers: { authorization: `Bearer ${await token()}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw await errorFromResponse(response);
    return (await response.json()) as T;
  }
  const enc = encodeURIComponent;

  return {
    listUsers: (query: { limit?: number; cursor?: string; q?: string } = {}) =>
      call<{ users: UserView[]; nextCursor: string | null }>("GET", "/users", undefined, query),
    createChat: (memberUid: string) => call<{ chat: ChatView }>("POST", "/chats", { memberUid }),
    listChats: (query: { limit?: number; cursor?: string; with?: string } = {}) =>
      call<{ chats: ChatView[]; nextCursor: string | null }>("GET", "/chats", undefined, query),
    getChat: (chatId: string) => call<{ chat: ChatView }>("GET", `/chats/${enc(chatId)}`),
    endChat: (chatId: string) => call<{ chat: ChatView }>("POST", `/chats/${enc(chatId)}/end`),
    muteChat: (chatId: string, until?: string) => call<MuteState>("POST", `/chats/${enc(chatId)}/mute`, until ? { until } : {}),
    unmuteChat: (chatId: string) => call<MuteState>("POST", `/chats/${enc(chatId)}/unmute`),
    sendMessage: (chatId: string, input: { text: string; clientMessageId?: string; replyTo?: number }) =>
      call<{ message: MessageView }>("POST", `/chats/${enc(chatId)}/messages`, input),
    sendFile: async (chatId: string, file: Blob, name: string, options: SendFileOptions = {}) =>
      sendFile(url(`/chats/${enc(chatId)}/messages`), await token(), file, name, options),
    listMessages: (chatId: string, query: { limit?: number; before?: number; after?: number } = {}) =>
      call<MessagePage>("GET", `/chats/${enc(chatId)}/messages`, undefined, query),
    getMessage: (chatId: string, number: number) => call<{ message: MessageView }>("GET", `/chats/${enc(chatId)}/messages/${number}`),
    editMessage: (chatId: string, number: number, text: string) =>
      call<{ message: MessageView }>("PATCH", `/chats/${enc(chatId)}/messages/${number}`, { text }),
    deleteMessage: (chatId: string, number: number) =>
      call<{ message: MessageView }>("DELETE", `/chats/${enc(chatId)}/messages/${number}`),
    hideMessage: (chatId: string, number: number) =>
      call<{ chatId: string; number: number; hidden: true }>("POST", `/chats/${enc(chatId)}/messages/${number}/hide`),
    forwardMessage: (chatId: string, number: number, toChatId: string, clientMessageId?: string) =>
      call<{ message: MessageView }>("POST", `/chats/${enc(chatId)}/messages/${number}/forward`, { toChatId, clientMessageId }),
    markRead: (chatId: string, upTo?: number) => call<ReadState>("POST", `/chats/${enc(chatId)}/read`, upTo === undefined ? {} : { upTo }),
    registerDevice: (token: string, platform: DeviceView["platform"]) =>
      call<{ device: DeviceView }>("POST", "/devices", { token, platform }),
    unregisterDevice: (token: string) => call<{ removed: true }>("DELETE", `/devices/${enc(token)}`),
    createRoom: (title: string) => call<NewRoom>("POST", "/rooms", { title }),
    joinRoom: (inviteCode: string) => call<{ chat: ChatView; joined: boolean }>("POST", "/rooms/join", { inviteCode }),
    leaveRoom: (chatId: string) => call<MembershipResult>("POST", `/rooms/${enc(chatId)}/leave`),
    rotateInvite: (chatId: string) =>
      call<{ chatId: string; inviteCode: string; joinUri: string }>("POST", `/rooms/${enc(chatId)}/invite/rotate`),
    removeMember: (chatId: string, uid: string) => call<MembershipResult>("DELETE", `/rooms/${enc(chatId)}/members/${enc(uid)}`),
    /** Downloads an API path such as `file.downloadPath`, `thumbnail.downloadPath` or `export.downloadPath`. */
    download: async (downloadPath: string): Promise<Blob> => {
      const response = await fetch(url(downloadPath), { headers: { authorization: `Bearer ${await token()}` } });
      if (!response.ok) throw await errorFromResponse(response);
      return response.blob();
    },
  };
}

/** Multipart upload; with XMLHttpRequest (browsers, React Native) it reports progress. */
async function sendFile(
  target: string,
  idToken: string,
  file: Blob,
  name: string,
  options: SendFileOptions,
): Promise<{ message: MessageView }> {
  const form = new FormData();
  if (options.text) form.append("text", options.text);
  if (options.clientMessageId) form.append("clientMessageId", options.clientMessageId);
  if (options.replyTo !== undefined) form.append("replyTo", String(options.replyTo));
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

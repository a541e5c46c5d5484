import { isIP } from "node:net";
import { defineBoolean, defineInt, defineSecret, defineString } from "firebase-functions/params";
import { fcmTransport, outboxTransport, type PushTransport } from "./push/transport.js";
import { app, db } from "./shared/firebase.js";
import { once, requireModule } from "./shared/lazy.js";
import { takeQuota, type Quota } from "./shared/quota.js";
import { parseRateLimits, takeActionToken, type ActionRates, type LimitedAction } from "./shared/action-limits.js";
import type { Caller } from "./shared/handler.js";
import type { Rate } from "./shared/token-bucket.js";
import type { BeforeSend, BeforeSendHook } from "./messages/before-send.js";
import { logs } from "./logs.js";
import type { WebhookSettings } from "./webhooks/deliveries.js";

/**
 * Every tunable of Parley, read only here. Set them in `functions/.env` (or
 * `.env.<project>`), or answer the prompt at `firebase deploy`.
 */
export const params = {
  /** Messages a listing returns when the client gives no `limit` (1-100). */
  messagesToLoad: defineInt("MESSAGES_TO_LOAD", {
    default: 15,
    description: "Messages returned by a message listing without a limit (1-100).",
  }),
  /** Largest JSON request body the REST API accepts, in bytes. */
  maxJsonBodyBytes: defineInt("MAX_JSON_BODY_BYTES", {
    default: 64 * 1024,
    description: "Largest JSON request body the REST API accepts, in bytes.",
  }),
  /** Largest file a file or image message may carry, in bytes. */
  maxUploadBytes: defineInt("MAX_UPLOAD_BYTES", {
    default: 25 * 1024 * 1024,
    description:
      "Largest file a file or image message may carry, in bytes (default 25 MiB; the whole " +
      "request must stay under Cloud Functions' 32 MiB limit).",
  }),
  /** Longest voice message (an audio upload), in seconds, as read from the audio itself. */
  maxVoiceSeconds: defineInt("MAX_VOICE_SECONDS", {
    default: 300,
    description: "Longest voice message (an audio file upload), in seconds, as read from the audio itself.",
  }),
  /** How long after sending a sender may edit a text message, in seconds. */
  editWindowSeconds: defineInt("EDIT_WINDOW_SECONDS", {
    default: 900,
    description: "How long after sending a sender may edit a text message, in seconds.",
  }),
  /** Most edits of one message; each keeps the text it replaced (edit history). */
  maxMessageEdits: defineInt("MAX_MESSAGE_EDITS", {
    default: 20,
    description: "Most times one message may be edited (1-40); each edit keeps the text it replaced in the message's history.",
  }),
  /** `fcm` sends pushes; `outbox` writes them to `push-outbox/` instead (always so on the emulator). */
  pushTransport: defineString("PUSH_TRANSPORT", {
    default: "fcm",
    input: { select: { options: [{ value: "fcm" }, { value: "outbox" }] } },
    description: "fcm: send pushes through FCM; outbox: write them to push-outbox/ instead.",
  }),
  /** Most members a room may have. */
  maxRoomMembers: defineInt("MAX_ROOM_MEMBERS", {
    default: 10_000,
    description: "Most members a room may have.",
  }),
  /** Most chats one user may have pinned to the top of their chat list. */
  maxPinnedChats: defineInt("MAX_PINNED_CHATS", {
    default: 5,
    description: "Most chats a user may pin to the top of their chat list (1-100).",
  }),
  /** Messages older than this many days are deleted daily; 0 keeps them forever. */
  retentionDays: defineInt("RETENTION_DAYS", {
    default: 0,
    description: "Delete messages older than this many days (daily job); 0 keeps them forever.",
  }),
  /** Completed chats are deleted this many days after they ended. */
  purgeEndedAfterDays: defineInt("PURGE_ENDED_AFTER_DAYS", {
    default: 30,
    description: "Delete completed chats, their messages, files and export this many days after they ended.",
  }),
  /** Sends (messages, files, forwards) per second per user and chat; 0 turns the limit off. */
  sendRateLimit: defineInt("SEND_RATE_LIMIT", {
    default: 10,
    description: "Messages (text, files, forwards) a user may send per second into one chat (all instances); 0: no limit.",
  }),
  /** How many sends a user may make into one chat at once before the per-second rate applies. */
  sendRateBurst: defineInt("SEND_RATE_BURST", {
    default: 20,
    description: "Sends a user may make into one chat in a burst before SEND_RATE_LIMIT applies.",
  }),
  /** Per-class overrides of the other write limits, as JSON; empty: the defaults. */
  rateLimits: defineString("RATE_LIMITS", {
    default: "",
    description:
      'Overrides of the per-user limits (all instances), JSON: {"<class>": {"perMinute": n, "burst": n}}, classes ' +
      "membership, reactions, edits, reports, searches, settings; perMinute 0: no limit. Empty: the defaults (README).",
  }),
  /** Chats and rooms a user may create per hour; 0 turns the limit off. */
  createRateLimit: defineInt("CREATE_RATE_LIMIT", {
    default: 30,
    description: "1:1 chats and rooms a user may create per hour (all instances); 0: no limit.",
  }),
  /** File bytes a user may store per day (uploads and forwarded files); 0 turns the limit off. */
  uploadBytesPerDay: defineInt("UPLOAD_BYTES_PER_DAY", {
    default: 1024 * 1024 * 1024,
    description: "File bytes a user may upload or forward per UTC day (all instances; default 1 GiB); 0: no limit.",
  }),
  /** Whether every request checks that its ID token was not revoked (one Auth lookup each). */
  checkRevokedTokens: defineBoolean("CHECK_REVOKED_TOKENS", {
    default: true,
    description:
      "Refuse ID tokens revoked (revokeRefreshTokens) or of disabled users: one Firebase Auth lookup per user and " +
      "REVOCATION_CACHE_SECONDS per instance. " +
      "false: only the signature and expiry (up to an hour) are checked.",
  }),
  /** How long an instance trusts a user's revocation lookup, in seconds; 0: a lookup per request. */
  revocationCacheSeconds: defineInt("REVOCATION_CACHE_SECONDS", {
    default: 5,
    description:
      "With CHECK_REVOKED_TOKENS, seconds an instance reuses a user's Firebase Auth lookup: a revoked or disabled " +
      "user is refused within this window (plus the lookup's time) instead of at once. 0: a lookup on every request.",
  }),
  /** Whether callables and the REST API require an App Check token. */
  enforceAppCheck: defineBoolean("ENFORCE_APP_CHECK", {
    default: false,
    description:
      "Require a valid App Check token on every callable and REST call (X-Firebase-AppCheck header). " +
      "Turn on once your apps send one; the emulator has no App Check.",
  }),
  /** Most different emoji one message may carry. */
  maxReactionsPerMessage: defineInt("MAX_REACTIONS_PER_MESSAGE", {
    default: 20,
    description: "Most different emoji reactions one message may carry.",
  }),
  /** Rooms up to this many members list who read a message; larger rooms give a count. */
  receiptsMaxMembers: defineInt("RECEIPTS_MAX_MEMBERS", {
    default: 100,
    description: "Rooms with at most this many members list who read a message; larger rooms answer a count only.",
  }),
  /** Most instances of `api`: a ceiling on cost under a flood. */
  apiMaxInstances: defineInt("API_MAX_INSTANCES", {
    default: 100,
    description: "Most instances of the api function (each serves up to 80 requests at once).",
  }),
  /** Events older than this are dropped by every trigger instead of being retried. */
  eventMaxAgeMinutes: defineInt("EVENT_MAX_AGE_MINUTES", {
    default: 60,
    description:
      "Triggers retry on failure; an event older than this many minutes is dropped (logged, and recorded in failed-events/) instead.",
  }),
  /** A 1:1 chat opened with someone who shares no room with the opener is a message request. */
  messageRequests: defineBoolean("MESSAGE_REQUESTS", {
    default: true,
    description:
      "A 1:1 chat with someone you share no room with is a message request they accept or decline. " +
      "Turn off when all your users know each other (a workplace).",
  }),
  /** Messages the opener of a message request may send before it is accepted. */
  requestMessageLimit: defineInt("REQUEST_MESSAGE_LIMIT", {
    default: 3,
    description: "Messages the opener of a message request may send until the recipient accepts it.",
  }),
  /** Whether text messages get link previews (the first http(s) URL's Open Graph tags). */
  linkPreviews: defineBoolean("LINK_PREVIEWS", {
    default: true,
    description:
      "Fetch a preview (title, description, site name, image) of the first http(s) URL of each text message, " +
      "after the send. false: no previews in this deployment.",
  }),
  /** Addresses a link preview may fetch although not public; empty in production. */
  linkPreviewAllowedIps: defineString("LINK_PREVIEW_ALLOWED_IPS", {
    default: "",
    description:
      "Comma-separated exact IP addresses link previews may fetch although loopback or private (tests: 127.0.0.1); " +
      "anything that is not one address (a range, a name) is ignored. " +
      "Leave empty in production.",
  }),
  /** The before-send hook's endpoint: asked about each new message and edit before it is stored; empty: none. */
  beforeSendHookUrl: defineString("BEFORE_SEND_HOOK_URL", {
    default: "",
    description:
      "An http(s) URL POSTed each new message and edit (JSON) before it is stored; it answers allow, reject " +
      "(403 with its reason) or rewrite (another text), within 1 s. Empty: no hook.",
  }),
  /** What a send does when the hook fails (timeout, error, malformed answer): store as is, or refuse. */
  beforeSendHookFailure: defineString("BEFORE_SEND_HOOK_FAILURE", {
    default: "open",
    input: { select: { options: [{ value: "open" }, { value: "closed" }] } },
    description:
      "When the before-send hook fails or takes over 1 s: open stores the message as sent; closed refuses it " +
      "(503 unavailable).",
  }),
  /** Key of the hook's HMAC-SHA256 signature (`X-Parley-Signature`); empty: unsigned. */
  beforeSendHookSecret: defineString("BEFORE_SEND_HOOK_SECRET", {
    default: "",
    description:
      "Key the before-send hook's requests are signed with (X-Parley-Signature: t=<unix s>,v1=<hex HMAC-SHA256 of " +
      '"<t>.<body>">). Set it in .env.<project>, never committed. Empty: unsigned.',
  }),
  /** Addresses the hook may be at although not public; empty in production. */
  beforeSendHookAllowedIps: defineString("BEFORE_SEND_HOOK_ALLOWED_IPS", {
    default: "",
    description:
      "Comma-separated exact IP addresses the before-send hook may be at although loopback or private (tests: " +
      "127.0.0.1). Empty: public addresses only.",
  }),
  /** The built-in before-send filter: off, mask profanity with `*`, or refuse messages with profanity. */
  profanityFilter: defineString("PROFANITY_FILTER", {
    default: "off",
    input: { select: { options: [{ value: "off" }, { value: "mask" }, { value: "reject" }] } },
    description:
      "Built-in filter of new messages and edits (English, with variants such as leetspeak): mask replaces " +
      "profanity with *, reject refuses the message (403); runs before BEFORE_SEND_HOOK_URL. off: none.",
  }),
  /** Addresses a webhook endpoint may have although not public; empty in production. */
  webhookAllowedIps: defineString("WEBHOOK_ALLOWED_IPS", {
    default: "",
    description:
      "Comma-separated exact IP addresses webhook endpoints may have although loopback or private (tests: 127.0.0.1); " +
      "anything that is not one address (a range, a name) is ignored. Leave empty in production.",
  }),
  /** How long an instance keeps the list of webhooks before reading it again, in seconds. */
  webhookCacheSeconds: defineInt("WEBHOOK_CACHE_SECONDS", {
    default: 30,
    description:
      "Seconds an instance keeps the list of webhooks (webhooks/) before reading it again: a new or changed webhook " +
      "may miss events for that long. 0: read on every event.",
  }),
  /** What a deleted account's messages become: kept for the others without a name, or deleted. */
  accountDeletionMessages: defineString("ACCOUNT_DELETION_MESSAGES", {
    default: "anonymise",
    description:
      'A deleted account\'s messages: anonymise (they stay, shown as from "Deleted user", with no uid) ' +
      'or delete (text and files removed, as "delete for everyone").',
  }),
  /** Docs an account deletion's page handles (one batch each). */
  accountDeletionPageSize: defineInt("ACCOUNT_DELETION_PAGE_SIZE", {
    default: 200,
    description: "Docs one page of an account deletion handles (one batch each, 1-200).",
  }),
  /** Base URL of the web app (invite links); empty: the project's Hosting site. */
  appUrl: defineString("APP_URL", {
    default: "",
    description: "Base URL of the web app, for invite links (empty: https://<project>.web.app).",
  }),
  /** Base URL of this API as users reach it (links in e-mails); empty: the function's default URL. */
  apiUrl: defineString("API_URL", {
    default: "",
    description: "Public base URL of the REST API incl. /v1 (empty: the api function's default URL).",
  }),
};

/** The values of {@link params}, read at request time (params are not set at import time). */
export function config() {
  return {
    messagesToLoad: Math.min(Math.max(params.messagesToLoad.value(), 1), 100),
    maxJsonBodyBytes: params.maxJsonBodyBytes.value(),
    maxUploadBytes: params.maxUploadBytes.value(),
    maxVoiceSeconds: Math.max(1, params.maxVoiceSeconds.value()),
    editWindowSeconds: params.editWindowSeconds.value(),
    // A delete removes the history in its one batch: 40 edits keep it under 500 writes.
    maxMessageEdits: Math.min(Math.max(params.maxMessageEdits.value(), 1), 40),
    maxRoomMembers: params.maxRoomMembers.value(),
    maxPinnedChats: Math.min(Math.max(params.maxPinnedChats.value(), 1), 100),
    checkRevokedTokens: params.checkRevokedTokens.value(),
    revocationCacheSeconds: Math.min(Math.max(params.revocationCacheSeconds.value(), 0), 300),
    enforceAppCheck: params.enforceAppCheck.value(),
    sendRateLimit: Math.max(0, params.sendRateLimit.value()),
    sendRateBurst: Math.max(1, params.sendRateBurst.value()),
    createRateLimit: Math.max(0, params.createRateLimit.value()),
    uploadBytesPerDay: Math.max(0, params.uploadBytesPerDay.value()),
    maxReactionsPerMessage: Math.max(1, params.maxReactionsPerMessage.value()),
    receiptsMaxMembers: Math.max(0, params.receiptsMaxMembers.value()),
    messageRequests: params.messageRequests.value(),
    requestMessageLimit: Math.max(1, params.requestMessageLimit.value()),
    retentionDays: params.retentionDays.value(),
    eventMaxAgeMinutes: Math.max(1, params.eventMaxAgeMinutes.value()),
    purgeEndedAfterDays: params.purgeEndedAfterDays.value(),
    linkPreviews: params.linkPreviews.value(),
    linkPreviewAllowedIps: exactIps(params.linkPreviewAllowedIps.value()),
    beforeSendHookUrl: params.beforeSendHookUrl.value().trim(),
    beforeSendHookFailClosed: params.beforeSendHookFailure.value() === "closed",
    beforeSendHookSecret: params.beforeSendHookSecret.value(),
    beforeSendHookAllowedIps: exactIps(params.beforeSendHookAllowedIps.value()),
    profanityFilter: (["mask", "reject"] as const).find((mode) => mode === params.profanityFilter.value()),
    accountDeletionMessages: params.accountDeletionMessages.value() === "delete" ? ("delete" as const) : ("anonymise" as const),
    accountDeletionPageSize: Math.min(Math.max(params.accountDeletionPageSize.value(), 1), 200),
    appUrl: (params.appUrl.value() || defaultUrls().app).replace(/\/+$/, ""),
    apiUrl: (params.apiUrl.value() || defaultUrls().api).replace(/\/+$/, ""),
    // There is no FCM emulator: under the Functions emulator pushes always go to the outbox.
    pushTransport:
      process.env.FUNCTIONS_EMULATOR === "true" || params.pushTransport.value() === "outbox"
        ? ("outbox" as const)
        : ("fcm" as const),
  };
}

/** A comma list's exact IP addresses: the filter would take a range (`10.0.0.0/8`) too. Fail closed. */
function exactIps(list: string): string[] {
  return list
    .split(",")
    .map((ip) => ip.trim())
    .filter((ip) => isIP(ip) !== 0);
}

/**
 * The before-send hooks of this deployment, in order: the built-in profanity filter
 * (`PROFANITY_FILTER`), then the endpoint (`BEFORE_SEND_HOOK_URL`); `undefined` when neither is
 * on, so sends take no extra step. Each outcome is logged ({@link logs.beforeSendHook}). Their
 * modules load only when on.
 */
export const beforeSend = once((): BeforeSend | undefined => {
  const { profanityFilter, beforeSendHookUrl: url } = config();
  const hooks: BeforeSendHook[] = [];
  if (profanityFilter) {
    const { profanityHook } = requireModule<typeof import("./messages/profanity-hook.js")>("../messages/profanity-hook.js");
    hooks.push(profanityHook(profanityFilter));
  }
  if (url) {
    const { httpHook } = requireModule<typeof import("./messages/before-send-http.js")>("../messages/before-send-http.js");
    const ask = httpHook({ url, secret: config().beforeSendHookSecret, allowedIps: config().beforeSendHookAllowedIps });
    hooks.push({ name: "http", ask, failClosed: config().beforeSendHookFailClosed });
  }
  if (hooks.length === 0) return undefined;
  return {
    hooks,
    report: (request, hook, outcome, ms) =>
      logs.beforeSendHook({ chatId: request.chatId, kind: request.kind, hook, outcome, ms }),
  };
});

/**
 * The HMAC key of webhook signatures, in Secret Manager (`firebase functions:secrets:set
 * WEBHOOK_SIGNING_SECRET`); the emulator reads it from `functions/.secret.local` (a demo value).
 * Only functions that declare it (`secrets: [webhookSigningSecret]`) can read it.
 */
export const webhookSigningSecret = defineSecret("WEBHOOK_SIGNING_SECRET");

/** What webhook deliveries need: the signing secret, the allowed addresses, the cache window. */
export function webhookSettings(): WebhookSettings {
  return {
    secret: webhookSigningSecret.value(),
    allowedIps: exactIps(params.webhookAllowedIps.value()),
    cacheMs: Math.max(0, params.webhookCacheSeconds.value()) * 1000,
  };
}

/** Where the web app and the API are when not configured: the emulators, or the project's defaults. */
function defaultUrls(): { app: string; api: string } {
  const project = process.env.GCLOUD_PROJECT ?? "demo-parley";
  if (process.env.FUNCTIONS_EMULATOR === "true") {
    return { app: "http://127.0.0.1:5000", api: `http://127.0.0.1:5001/${project}/us-central1/api/v1` };
  }
  return { app: `https://${project}.web.app`, api: `https://us-central1-${project}.cloudfunctions.net/api/v1` };
}

/** The push transport of this deployment: FCM, or the outbox (always so on the emulator). */
export function pushTransport(now: Date): PushTransport {
  if (config().pushTransport === "outbox") return outboxTransport(db(), now);
  // Loaded here, not at the top: only the push triggers need FCM's client.
  const { getMessaging } = requireModule<typeof import("firebase-admin/messaging")>("firebase-admin/messaging");
  return fcmTransport(getMessaging(app()));
}

/** The per-class write limits: the defaults, with `RATE_LIMITS` over them. @throws Error when it is not valid. */
export const actionRates = once((): ActionRates => parseRateLimits(params.rateLimits.value()));

/**
 * Takes one token of `action` for `caller` ({@link takeActionToken}: `rate-limits/{uid}`, 1 read
 * and 1 write); nothing for callers with the custom claim `unlimited: true` (bots,
 * integrations, load tests).
 * @throws AppError `resource-exhausted` with the wait.
 */
export async function limitAction(caller: Caller, action: LimitedAction): Promise<void> {
  if (caller.unlimited) return;
  await takeActionToken(db(), { now: caller.now, uid: caller.uid, action, rate: actionRates()[action] });
}

/**
 * Charges `amount` of the caller's durable quota `name` ({@link takeQuota} on
 * `rate-limits/{uid}`); nothing for callers with the `unlimited` claim.
 * @throws AppError `resource-exhausted` with the wait until the window ends.
 */
export async function chargeQuota(caller: Caller, name: keyof ReturnType<typeof quotas>, amount: number): Promise<void> {
  if (caller.unlimited) return;
  await takeQuota(db(), { now: caller.now, uid: caller.uid, quota: quotas()[name], amount });
}

/** `run`, after {@link limitAction} takes a token of `action`: a limited operation's handler. */
export function limited<I, R>(action: LimitedAction, run: (caller: Caller, input: I) => Promise<R>) {
  return async (caller: Caller, input: I): Promise<R> => {
    await limitAction(caller, action);
    return run(caller, input);
  };
}

/** The caller's send limit per chat (`SEND_RATE_LIMIT`, `SEND_RATE_BURST`); none when off or `unlimited`. */
export function sendRate(caller: Caller): Rate | undefined {
  const { sendRateLimit, sendRateBurst } = config();
  return caller.unlimited || sendRateLimit <= 0 ? undefined : { perSecond: sendRateLimit, burst: sendRateBurst };
}

/** The durable quotas (`rate-limits/{uid}`), from their params. */
export function quotas(): { creations: Quota; uploadBytes: Quota } {
  return {
    creations: {
      name: "creations",
      limit: config().createRateLimit,
      windowMs: 3_600_000,
      refusal: "You have created too many chats and rooms this hour",
    },
    uploadBytes: {
      name: "uploadBytes",
      limit: config().uploadBytesPerDay,
      windowMs: 86_400_000,
      refusal: "You have stored too many file bytes today",
    },
  };
}

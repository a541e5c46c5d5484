import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import type { ParsedInput, ParsedUploadInput, ResponseBody } from "./operation.js";

// The server's side of an operation: the handler that calls its domain function. A capability's
// `handlers.ts` gives one per operation of its `contract.ts`, typed by these.

/**
 * Who calls, and when: from the verified ID token, the uid, the e-mail address (the caller's
 * own, shown only to them) and whether the custom claims `moderator: true`, `unlimited: true`
 * (no rate limits: bots, integrations, load tests) and `webhookAdmin: true` (manages webhooks,
 * which see every message) are set; the request's time.
 */
export interface Caller {
  uid: string;
  now: Date;
  email?: string;
  /** The ID token's `email_verified`: Auth says `email` is the caller's. */
  emailVerified?: boolean;
  moderator?: boolean;
  unlimited?: boolean;
  webhookAdmin?: boolean;
}

/** The {@link Caller} fields an ID token's claims give. */
export function callerOf(
  claims: {
    uid: string;
    email?: unknown;
    email_verified?: unknown;
    moderator?: unknown;
    unlimited?: unknown;
    webhookAdmin?: unknown;
  },
  now: Date,
): Caller {
  return {
    uid: claims.uid,
    now,
    ...(typeof claims.email === "string" ? { email: claims.email } : {}),
    ...(claims.email_verified === true ? { emailVerified: true } : {}),
    ...(claims.moderator === true ? { moderator: true } : {}),
    ...(claims.unlimited === true ? { unlimited: true } : {}),
    ...(claims.webhookAdmin === true ? { webhookAdmin: true } : {}),
  };
}

/** A JSON answer of operation `O`: a status it declares, that status's body, extra headers. */
export type Reply<O> = O extends { responses: infer R }
  ? { [S in keyof R]: { status: S; body: ResponseBody<O, S>; headers?: Record<string, string> } }[keyof R]
  : never;

/**
 * A multipart/form-data request. `body` is the request stream, or the bytes when the runtime
 * has already read them (Cloud Functions keeps them in `req.rawBody`).
 */
export interface UploadRequest {
  headers: IncomingHttpHeaders;
  body: Buffer | Readable;
}

/** One Cloud Storage object to answer with, and what a download response says about it. */
export interface DownloadObject {
  path: string;
  contentType: string;
  /** In bytes. */
  size: number;
  /** File name for `Content-Disposition`. */
  name: string;
  /** A strong validator: changes whenever the bytes could. */
  etag: string;
  /** Images may be shown in place; anything else is offered as a download. */
  inline: boolean;
}

/** Runs a JSON operation: validated input in, a declared reply out. AppErrors become 4xx. */
export type JsonHandler<O> = (caller: Caller, input: ParsedInput<O>) => Promise<Reply<O>>;

/** Runs the multipart form of an operation: path parameters and form fields validated, the file as a stream. */
export type UploadHandler<O> = (caller: Caller, input: ParsedUploadInput<O>, request: UploadRequest) => Promise<Reply<O>>;

/** Finds the object a download operation answers with (after checking the caller may have it). */
export type DownloadHandler<O> = (caller: Caller, input: ParsedInput<O>) => Promise<DownloadObject>;

/** The handlers one operation needs: `download`, or `run` (and `upload` when it takes files). */
export type Implementation<O> = O extends { download: object }
  ? { download: DownloadHandler<O> }
  : { run: JsonHandler<O> } & (O extends { upload: object } ? { upload: UploadHandler<O> } : unknown);

/** A handler for every operation of contract `C`: the compiler refuses a missing one. */
export type Implementations<C> = { [K in keyof C]: Implementation<C[K]> };

import { createHash } from "node:crypto";

/** A SHA-256 hex digest: 64 lower-case hex characters. */
export const EMAIL_HASH = /^[0-9a-f]{64}$/;

/**
 * The id of an e-mail address in `user-emails/`: SHA-256 hex of the trimmed, lower-cased
 * address. Clients send this instead of the address where it would travel in a URL
 * (`GET /v1/chats?with=`), so addresses stay out of request logs.
 */
export function emailHash(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
}

/** `value` as an e-mail hash: itself when it already is one, else the hash of the address. */
export function toEmailHash(value: string): string {
  return EMAIL_HASH.test(value) ? value : emailHash(value);
}

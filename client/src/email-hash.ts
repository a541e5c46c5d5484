/**
 * What `GET /v1/chats?with=` takes in place of an e-mail address: SHA-256 hex of the trimmed,
 * lower-cased address (Web Crypto, so in browsers and Node alike). Send this rather than the
 * address, which request logs would keep with the URL.
 */
export async function emailHash(email: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(email.trim().toLowerCase()));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

import { createHash } from "node:crypto";

/** Doc id for a registration token: tokens are long and may hold characters ids can't. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

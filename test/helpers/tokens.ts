import { generateKeyPairSync } from "node:crypto";
import jwt from "jsonwebtoken";
import { projectId } from "./emulators.js";

/** Claims of a Firebase ID token for `uid` in `project`, issued `ageSeconds` ago. */
function claims(uid: string, project: string, ageSeconds: number, lifetimeSeconds = 3600) {
  const iat = Math.floor(Date.now() / 1000) - ageSeconds;
  return {
    iss: `https://securetoken.google.com/${project}`,
    aud: project,
    auth_time: iat,
    user_id: uid,
    sub: uid,
    iat,
    exp: iat + lifetimeSeconds,
    firebase: { identities: {}, sign_in_provider: "password" },
  };
}

/** An ID token in the Auth emulator's unsigned form that expired an hour ago. */
export function expiredToken(uid: string): string {
  return jwt.sign(claims(uid, projectId, 7200), "", { algorithm: "none" });
}

/** An unsigned token minted for another project. */
export function otherProjectToken(uid: string): string {
  return jwt.sign(claims(uid, "demo-someone-else", 0), "", { algorithm: "none" });
}

/** A well-formed RS256 token for this project, signed with a key Google never issued. */
export function forgedToken(uid: string): string {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return jwt.sign(claims(uid, projectId, 0), privateKey, { algorithm: "RS256", keyid: "forged-key" });
}

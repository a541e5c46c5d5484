import { randomUUID } from "node:crypto";
import { adminAuth, docExists } from "./admin.js";
import { apiBase, authHost } from "./emulators.js";

/** A user signed up through the Auth emulator, with a real ID token. */
export interface TestUser {
  uid: string;
  email: string;
  password: string;
  displayName: string;
  token: string;
}

const identityToolkit = `http://${authHost}/identitytoolkit.googleapis.com/v1`;

async function identityToolkitCall(method: string, body: Record<string, unknown>) {
  const response = await fetch(`${identityToolkit}/accounts:${method}?key=demo-key`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...body, returnSecureToken: true }),
  });
  const account = (await response.json()) as { localId: string; idToken: string; displayName?: string };
  if (!response.ok) throw new Error(`${method} failed: ${JSON.stringify(account)}`);
  return account;
}

/** The `auth_time` and `iat` claims (seconds) of an ID token, read without verifying it. */
export function tokenTimes(token: string): { authTime: number; issuedAt: number } {
  const payload = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8")) as {
    auth_time: number;
    iat: number;
  };
  return { authTime: payload.auth_time, issuedAt: payload.iat };
}

/**
 * A sign-up's ID token that a revocation check accepts. The one workaround for a known fault of
 * the Auth emulator (firebase-tools 14, `accounts:signUp`; recorded by
 * `test/emulators/auth-sign-up-clock.test.ts`): it takes the token's `auth_time` from a clock
 * reading made before the one it stores as the user's `validSince`, so when a second starts
 * between the two, `auth_time < validSince` and `verifyIdToken(token, true)` (the API's
 * `CHECK_REVOKED_TOKENS`) refuses the token as revoked. Production Auth doesn't. Such a token
 * was issued in a later second than its `auth_time`; it is replaced by a sign-in's, whose
 * `auth_time` is read after `validSince` was set.
 */
async function acceptedSignUpToken(email: string, password: string, token: string): Promise<string> {
  const { authTime, issuedAt } = tokenTimes(token);
  if (authTime === issuedAt) return token;
  return (await identityToolkitCall("signInWithPassword", { email, password })).idToken;
}

/** Signs an existing user in with e-mail and password through the Auth emulator. */
export async function signIn(email: string, password: string): Promise<TestUser> {
  const account = await identityToolkitCall("signInWithPassword", { email, password });
  return { uid: account.localId, email, password, displayName: account.displayName ?? "", token: account.idToken };
}

/** How long a sign-up waits for the Auth trigger's profile (ms). */
export const PROFILE_WAIT_MS = 60_000;

/**
 * Signs up a new user with a unique e-mail through the Auth emulator's REST API and waits for
 * the Auth trigger to create `users/{uid}`.
 */
export async function signUp(name = "Tester"): Promise<TestUser> {
  const id = randomUUID().slice(0, 8);
  const email = `${name.toLowerCase()}-${id}@example.com`;
  const password = "test-password";
  const displayName = `${name} ${id}`;
  const account = await identityToolkitCall("signUp", { email, password, displayName });
  const token = await acceptedSignUpToken(email, password, account.idToken);
  // The first sign-up of a run starts the Auth trigger's worker: on a loaded machine (two shards
  // on two cores) that alone has taken over 20 s.
  await docExists(`users/${account.localId}`, PROFILE_WAIT_MS);
  return { uid: account.localId, email, password, displayName, token };
}

/**
 * Signs up a new user as {@link signUp} does but waits for no profile: inside
 * `withoutBackgroundTriggers`, a sign-up whose user-created trigger never runs.
 */
export async function signUpWithoutTrigger(name = "Ghost"): Promise<TestUser> {
  const id = randomUUID().slice(0, 8);
  const email = `${name.toLowerCase()}-${id}@example.com`;
  const displayName = `${name} ${id}`;
  const account = await identityToolkitCall("signUp", { email, password: "test-password", displayName });
  const token = await acceptedSignUpToken(email, "test-password", account.idToken);
  return { uid: account.localId, email, password: "test-password", displayName, token };
}

/** Signs up one new user per name, in parallel. */
export function signUpMany(...names: string[]): Promise<TestUser[]> {
  return Promise.all(names.map((name) => signUp(name)));
}

/** Marks the users' e-mail addresses verified in Auth, as clicking the verification link does. */
export async function verifyEmails(...users: TestUser[]): Promise<void> {
  await Promise.all(users.map((user) => adminAuth().updateUser(user.uid, { emailVerified: true })));
}

/**
 * Verifies `user`'s address in Auth, signs them in again (the new ID token says
 * `email_verified`) and calls `POST /v1/me/email`, so `?with=` finds them by their address.
 */
export async function registerVerifiedEmail(user: TestUser): Promise<TestUser> {
  await verifyEmails(user);
  const fresh = { ...(await signIn(user.email, user.password)), displayName: user.displayName };
  const response = await fetch(`${apiBase}/me/email`, { method: "POST", headers: { authorization: `Bearer ${fresh.token}` } });
  if (response.status !== 200) throw new Error(`POST /me/email: ${response.status} ${await response.text()}`);
  return fresh;
}

/**
 * Gives `user` the custom claim `moderator: true` and signs them in again, so their new ID
 * token carries it.
 */
export async function makeModerator(user: TestUser): Promise<TestUser> {
  await adminAuth().setCustomUserClaims(user.uid, { moderator: true });
  const fresh = await signIn(user.email, user.password);
  return { ...fresh, displayName: user.displayName };
}

/**
 * Gives `user` the custom claim `webhookAdmin: true` (manages webhooks), keeping their other
 * claims, and signs them in again so their new ID token carries it.
 */
export async function makeWebhookAdmin(user: TestUser): Promise<TestUser> {
  const { customClaims } = await adminAuth().getUser(user.uid);
  await adminAuth().setCustomUserClaims(user.uid, { ...customClaims, webhookAdmin: true });
  const fresh = await signIn(user.email, user.password);
  return { ...fresh, displayName: user.displayName };
}

/**
 * Gives `user` the custom claim `unlimited: true` (no rate limits, as for a bot or a load test),
 * keeping their other claims, and signs them in again so their new ID token carries it.
 */
export async function makeUnlimited(user: TestUser): Promise<TestUser> {
  const { customClaims } = await adminAuth().getUser(user.uid);
  await adminAuth().setCustomUserClaims(user.uid, { ...customClaims, unlimited: true });
  const fresh = await signIn(user.email, user.password);
  return { ...fresh, displayName: user.displayName };
}

/** Signs up one new user per name, each with the `unlimited` claim ({@link makeUnlimited}). */
export async function signUpUnlimited(...names: string[]): Promise<TestUser[]> {
  return Promise.all((await signUpMany(...names)).map((user) => makeUnlimited(user)));
}

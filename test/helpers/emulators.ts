/** Where the emulators are; `firebase emulators:exec` sets these variables. */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with \`npm test\` (inside firebase emulators:exec).`);
  return value;
}

export const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
export const authHost = required("FIREBASE_AUTH_EMULATOR_HOST");
export const firestoreHost = required("FIRESTORE_EMULATOR_HOST");
export const storageHost = required("FIREBASE_STORAGE_EMULATOR_HOST");
/** The default bucket the Functions emulator gives the Admin SDK. */
export const bucketName = `${projectId}.appspot.com`;
/** The loopback address the emulators (firebase.json) and the servers tests start listen on. */
export const loopback = "127.0.0.1";
/**
 * Which shard of the emulator tier runs this file (`scripts/test-emulators.mjs`): shard k's
 * emulators listen at firebase.json's ports + 50·k. Shard 0 (the default) is firebase.json itself.
 */
export const shard = Number(process.env.PARLEY_SHARD ?? 0);
const shifted = (port: number) => port + shard * 50;
/** The Functions emulator (firebase.json): callables and the `api` function. */
export const functionsHost = `${loopback}:${shifted(5001)}`;
export const functionsOrigin = `http://${functionsHost}`;
/** The Hosting emulator: the web app, with `/v1` rewritten to the API (also the rooms' APP_URL). */
export const hostingOrigin = `http://${loopback}:${shifted(5000)}`;
/** The emulator hub (its admin API switches triggers and exports data); `emulators:exec` names it. */
export const hubOrigin = `http://${process.env.FIREBASE_EMULATOR_HUB ?? `${loopback}:${shifted(4400)}`}`;
export const apiBase = `${functionsOrigin}/${projectId}/us-central1/api/v1`;

/** The hostname and port of a `host:port` such as {@link firestoreHost}, as the SDKs' `connect*Emulator` take them. */
export function hostAndPort(host: string): [string, number] {
  const [hostname, port] = host.split(":");
  return [hostname, Number(port)];
}

/**
 * The `emulators` block of a firebase.json for a second emulator suite that a test starts beside
 * the one every test uses: each emulator at its shard's port + 10,000 + `shift` on the loopback (a
 * test that starts one gives its own `shift`, so no two such suites share a port), no UI.
 */
export function secondSuiteEmulators(shift: number) {
  const at = (port: number) => ({ host: loopback, port: shifted(port) + 10_000 + shift });
  return {
    auth: at(9099),
    firestore: { ...at(8080), websocketPort: at(9150).port },
    functions: at(5001),
    storage: at(9199),
    hub: at(4400),
    logging: at(4500),
    ui: { enabled: false },
    // As in firebase.json: rules tests on the second suite use project ids of their own.
    singleProjectMode: false,
  };
}

/**
 * A port for a server a test starts itself (a served function, Prism): `base` + 200 per shard +
 * the process id mod 50, so two shards, or a rerun while an old server lingers, don't meet.
 * Bases in use: 4010 (Prism), 8340, 8390, 8440 (served functions; one file at a time per shard).
 */
export function testPort(base: number): number {
  return base + shard * 200 + (process.pid % 50);
}

/** The origin of a server a test starts itself on `port` of the loopback (e.g. a served function). */
export function localOrigin(port: number): string {
  return `http://${loopback}:${port}`;
}

/** Switches the Functions emulator's Firestore triggers off or on (the emulator hub's admin API). */
export async function backgroundTriggers(state: "enable" | "disable"): Promise<void> {
  const response = await fetch(`${hubOrigin}/functions/${state}BackgroundTriggers`, { method: "PUT" });
  if (!response.ok) throw new Error(`${state} triggers: ${response.status}`);
}

/**
 * Runs `run` with the Functions emulator's background triggers off (Firestore and Auth triggers
 * alike, for the whole suite), and switches them on again however it ends.
 */
export async function withoutBackgroundTriggers<T>(run: () => Promise<T>): Promise<T> {
  await backgroundTriggers("disable");
  try {
    return await run();
  } finally {
    await backgroundTriggers("enable");
  }
}

import { randomUUID } from "node:crypto";
import { deleteApp as deleteAdminApp, initializeApp as initializeAdminApp } from "firebase-admin/app";
import { getFirestore as getAdminFirestore } from "firebase-admin/firestore";
import { deleteApp, initializeApp, type FirebaseApp } from "firebase/app";
import {
  collection,
  connectFirestoreEmulator,
  doc,
  documentId,
  getFirestore,
  onSnapshot,
  query,
  where,
  type Firestore,
} from "firebase/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firestoreHost } from "../helpers/emulators.js";

// The Firestore emulator's listen stream (Cloud SDK cloud-firestore-emulator 1.19.9) with the
// plain SDKs: no Parley code, its own demo- project with open rules on the suite's emulator.
// It records the known problem behind the one workaround in test/helpers/listen.ts
// (`watch`, `next`): the emulator can send a consistent read time (a global NO_CHANGE with read_time T,
// "every change up to T is sent") before it sends an earlier commit's change on the same stream.
// The web SDK then marks a listened-to doc that doesn't exist as missing at T and drops the
// creation, whose update time is before T, as outdated. bench/listen-stream/ shows it on the
// wire, and two more faults of the emulator's listen stream.
const projectId = "demo-listen-stream";
const [host, port] = firestoreHost.split(":");
const admin = initializeAdminApp({ projectId }, "listen-stream");
const apps: FirebaseApp[] = [];

function webFirestore(): Firestore {
  const app = initializeApp({ projectId, apiKey: "demo-key" }, `listen-stream-${randomUUID()}`);
  apps.push(app);
  const db = getFirestore(app);
  connectFirestoreEmulator(db, host, Number(port));
  return db;
}

beforeAll(async () => {
  const rules =
    "rules_version = '2'; service cloud.firestore { match /databases/{db}/documents { match /{doc=**} { allow read: if true; } } }";
  const answer = await fetch(`http://${firestoreHost}/emulator/v1/projects/${projectId}:securityRules`, {
    method: "PUT",
    body: JSON.stringify({ rules: { files: [{ content: rules }] } }),
  });
  expect(answer.status).toBe(200);
});
afterAll(async () => {
  await Promise.all(apps.map((app) => deleteApp(app)));
  await deleteAdminApp(admin);
});

type Target = "doc" | "query";

/**
 * One web-SDK client listens to `count` docs that don't exist yet (one listener each, on the
 * doc or on a `documentId() ==` query), and once every listener has had its first snapshot the
 * Admin SDK creates them all in concurrent commits. Returns the ids no listener showed within
 * `waitMs`, and the path of their collection.
 */
async function createWhileListening(target: Target, count: number, waitMs = 5_000) {
  const db = webFirestore();
  const path = `created/${randomUUID()}/docs`;
  const ids = Array.from({ length: count }, (_, i) => `d${i}`);
  const seen = new Set<string>();
  const stops: (() => void)[] = [];
  await Promise.all(
    ids.map(
      (id) =>
        new Promise<void>((first, fail) => {
          // The first snapshot from the emulator (not from the cache) says the target is current.
          const shown = (shows: boolean, fromCache: boolean) => {
            if (shows) seen.add(id);
            if (!fromCache) first();
          };
          const stop =
            target === "doc"
              ? onSnapshot(doc(db, path, id), (snap) => shown(snap.exists(), snap.metadata.fromCache), fail)
              : onSnapshot(
                  query(collection(db, path), where(documentId(), "==", id)),
                  (snap) => shown(!snap.empty, snap.metadata.fromCache),
                  fail,
                );
          stops.push(stop);
        }),
    ),
  );
  await Promise.all(ids.map((id) => getAdminFirestore(admin).doc(`${path}/${id}`).create({ id })));
  const started = Date.now();
  while (seen.size < count && Date.now() - started < waitMs) await new Promise((resolve) => setTimeout(resolve, 50));
  stops.forEach((stop) => stop());
  return { missed: ids.filter((id) => !seen.has(id)), path };
}

/** Whether a new client's listener on `path` shows the doc within 5 s. */
function freshListenerSees(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 5_000);
    const stop = onSnapshot(doc(webFirestore(), path), (snap) => {
      if (!snap.exists()) return;
      clearTimeout(timer);
      stop();
      resolve(true);
    });
  });
}

describe("the Firestore emulator's listen stream, without Parley", () => {
  it("when docs a client listens to are created in concurrent commits, then doc listeners miss creations that are stored and that a new listener sees (known emulator fault)", async () => {
    let missed: string[] = [];
    let path = "";
    // Ten concurrent creations lose about nine on this emulator; three rounds make a clean
    // run by chance unlikely. A clean run means the fault is gone: drop the workaround in listen.ts.
    for (let round = 0; round < 3 && missed.length === 0; round++) ({ missed, path } = await createWhileListening("doc", 10));
    console.info(`listen-stream: ${missed.length} of 10 doc listeners never showed their doc's creation`);

    expect(missed.length).toBeGreaterThan(0);
    const stored = await Promise.all(missed.map((id) => getAdminFirestore(admin).doc(`${path}/${id}`).get()));
    expect(stored.every((snap) => snap.exists)).toBe(true);
    expect(await Promise.all(missed.map((id) => freshListenerSees(`${path}/${id}`)))).toEqual(missed.map(() => true));
  });

  it("when the same creations are listened to through queries, then every listener shows its doc", async () => {
    const { missed } = await createWhileListening("query", 10, 20_000);

    expect(missed).toEqual([]);
  });
});

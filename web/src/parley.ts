import { createParleyClient, type CollectionConfig, type ParleyClient } from "@parley/client";
import { initializeApp, type FirebaseOptions } from "firebase/app";
import { connectAuthEmulator } from "firebase/auth";
import { connectFirestoreEmulator } from "firebase/firestore";
import { connectFunctionsEmulator, getFunctions } from "firebase/functions";

/** The server's `functions/parley.config.json`, when there is one: bundled, so the app reads the collections the functions write. */
const serverConfigs: Record<string, { collections?: CollectionConfig }> = import.meta.glob("../../functions/parley.config.json", {
  eager: true,
  import: "default",
});
const collections = Object.values(serverConfigs)[0]?.collections;

/**
 * The app's Parley client. On 127.0.0.1 / localhost it talks to the emulator suite (project
 * demo-parley); deployed on Firebase Hosting it reads the project's config from Hosting's
 * reserved URL. The REST API is same-origin at /v1 (a Hosting rewrite to the `api` function).
 */
async function connect(): Promise<ParleyClient> {
  const local = ["127.0.0.1", "localhost"].includes(location.hostname);
  const config: FirebaseOptions = local
    ? { projectId: "demo-parley", apiKey: "demo-key", authDomain: "demo-parley.firebaseapp.com" }
    : ((await (await fetch("/__/firebase/init.json")).json()) as FirebaseOptions);
  const app = initializeApp(config);
  // Offline: Firestore's persistent cache, and the outbox keeps unsent messages in localStorage.
  const client = createParleyClient(app, { apiBase: `${location.origin}/v1`, offline: true, collections });
  if (local) {
    connectAuthEmulator(client.auth, `http://${location.hostname}:9099`, { disableWarnings: true });
    connectFirestoreEmulator(client.db, location.hostname, 8080);
    connectFunctionsEmulator(getFunctions(app, "us-central1"), location.hostname, 5001);
  }
  return client;
}

export const parley = await connect();
export type Parley = ParleyClient;

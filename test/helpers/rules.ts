import { readFileSync } from "node:fs";
import { initializeTestEnvironment, type RulesTestEnvironment } from "@firebase/rules-unit-testing";
import { firestoreHost } from "./emulators.js";

/**
 * A rules-unit-testing environment on the running Firestore emulator with `rules` (default: the
 * project's `firestore.rules`). Give each test file its own `demo-` project id, so
 * `clearFirestore()` never touches the API tests' data.
 */
export function rulesTestEnvironment(
  projectId: string,
  rules = readFileSync("firestore.rules", "utf8"),
): Promise<RulesTestEnvironment> {
  const [host, port] = firestoreHost.split(":");
  return initializeTestEnvironment({ projectId, firestore: { rules, host, port: Number(port) } });
}

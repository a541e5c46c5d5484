import { readFileSync } from "node:fs";
import { assertFails, assertSucceeds, type RulesTestEnvironment } from "@firebase/rules-unit-testing";
import { afterAll, beforeAll, describe, it } from "vitest";
import { mergeRules } from "../../scripts/install/merge-rules.mjs";
import { rulesTestEnvironment } from "../helpers/rules.js";

// An app's rules with Parley's merged in (`npx parley rules merge`), compiled and run by the
// Firestore emulator: the app's own helper shares a name with one of Parley's, and both blocks
// keep allowing and denying what they did alone.

const appRules = `rules_version = '2';
service cloud.firestore {
  match /databases/{db}/documents {
    function signedIn() { return request.auth != null && request.auth.token.email_verified == true; }
    match /orders/{orderId} {
      allow read, write: if signedIn() && request.auth.uid == resource.data.owner;
      allow create: if signedIn() && request.auth.uid == request.resource.data.owner;
    }
  }
}
`;

let env: RulesTestEnvironment;
beforeAll(async () => {
  env = await rulesTestEnvironment("demo-parley-merged-rules", mergeRules(appRules, readFileSync("firestore.rules", "utf8")));
  await env.withSecurityRulesDisabled(async (context) => {
    await context.firestore().doc("orders/o1").set({ owner: "ann" });
    await context
      .firestore()
      .doc("chats/ann_ben")
      .set({ type: "direct", members: ["ann", "ben"] });
  });
});
afterAll(async () => env?.cleanup());

describe("an app's rules with Parley's merged in", () => {
  it("when the app's own rules are asked, then they allow and deny as before, with their own signedIn()", async () => {
    const ann = env.authenticatedContext("ann", { email_verified: true }).firestore();
    const unverifiedAnn = env.authenticatedContext("ann", { email_verified: false }).firestore();
    const ben = env.authenticatedContext("ben", { email_verified: true }).firestore();

    await assertSucceeds(ann.doc("orders/o1").get());
    await assertSucceeds(ann.doc("orders/o2").set({ owner: "ann" }));
    await assertFails(unverifiedAnn.doc("orders/o1").get());
    await assertFails(ben.doc("orders/o1").get());
    await assertFails(ben.doc("orders/o3").set({ owner: "ann" }));
  });

  it("when Parley's paths are asked, then Parley's rules decide: members read their chat, nobody writes it", async () => {
    const ann = env.authenticatedContext("ann").firestore();
    const eve = env.authenticatedContext("eve").firestore();

    await assertSucceeds(ann.doc("chats/ann_ben").get());
    await assertFails(eve.doc("chats/ann_ben").get());
    await assertFails(ann.doc("chats/ann_ben").update({ members: ["ann"] }));
    await assertFails(env.unauthenticatedContext().firestore().doc("orders/o1").get());
  });
});

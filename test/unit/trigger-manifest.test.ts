import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// What `firebase deploy` reads: each built export's `__endpoint`. `npm test` builds before this tier.
const require = createRequire(import.meta.url);

interface Endpoint {
  eventTrigger?: { retry?: boolean; eventType: string };
  scheduleTrigger?: { schedule: string };
}

function endpointOf(name: string): Endpoint {
  process.env.GCLOUD_PROJECT ??= "demo-parley";
  const built = require("../../functions/lib/index.js") as Record<string, { __endpoint: Endpoint }>;
  return built[name].__endpoint;
}

describe("deployed triggers (functions/lib/index.js)", () => {
  it.each([
    "onMessageCreated",
    "onReplyCreated",
    "onChatEnded",
    "onUserCreated",
    "onPersonalExportWritten",
    "onUserDeleted",
    "onAccountDeletion",
    "onReactionCreated",
    "onReportCreated",
  ])("when %s is deployed, then its manifest asks for delivery again after a failure", (name) => {
    expect(endpointOf(name).eventTrigger?.retry).toBe(true);
  });

  it("when the functions are listed, then every event trigger retries and a sweep re-drives stuck fan-outs", () => {
    const built = require("../../functions/lib/index.js") as Record<string, { __endpoint?: Endpoint }>;
    const triggers = Object.keys(built).filter((name) => built[name].__endpoint?.eventTrigger);
    expect(triggers.sort()).toEqual([
      "onAccountDeletion",
      "onChatEnded",
      "onMessageCreated",
      "onPersonalExportWritten",
      "onReactionCreated",
      "onReplyCreated",
      "onReportCreated",
      "onUserCreated",
      "onUserDeleted",
    ]);
    expect(endpointOf("fanOutSweep").scheduleTrigger?.schedule).toBe("every 5 minutes");
    expect(endpointOf("webhookRetryJob").scheduleTrigger?.schedule).toBe("every 1 minutes");
  });
});

#!/usr/bin/env node
// A stand-in for the Cloud Storage emulator's rules runtime (a jar firebase-tools downloads, which
// cannot be had on a closed network). It speaks the runtime's newline-delimited JSON protocol on
// stdin/stdout (firebase-tools lib/emulator/storage/rules/runtime.js) and denies every client
// request. That is only the truth for rules that deny all client access, so it exits the moment
// it is given any other rules. Admin SDK requests never reach a rules runtime.
import { createInterface } from "node:readline";
import { checkDeniesAllClientAccess } from "./rules-check.mjs";

const reply = (id, result) => process.stdout.write(`${JSON.stringify({ id, status: "ok", errors: [], warnings: [], result })}\n`);

function loadRuleset(request) {
  for (const file of request.context?.source?.files ?? []) {
    const verdict = checkDeniesAllClientAccess(String(file.content ?? ""));
    if (!verdict.deniesAll) {
      process.stderr.write(
        `[parley] The Storage rules runtime stand-in denies every client request, but ${file.name} ` +
          `allows client access (${verdict.reason}). Its verdicts would be wrong, so it stops. ` +
          "Install the real runtime (firebase setup:emulators:storage) to run other rules.\n",
      );
      process.exit(1);
    }
  }
  reply(request.id, { rulesVersion: 2 });
}

if (process.argv[2] !== "serve") {
  process.stderr.write("usage: runtime.mjs serve\n");
  process.exit(2);
}
reply(-1, {});
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line.trim() === "") return;
  const request = JSON.parse(line);
  if (request.action === "load_ruleset") loadRuleset(request);
  else if (request.action === "verify") reply(request.id, { permit: false });
  else
    process.stdout.write(
      `${JSON.stringify({ id: request.id, status: "error", message: `unknown action ${request.action}`, errors: [], warnings: [] })}\n`,
    );
});
lines.on("close", () => process.exit(0));

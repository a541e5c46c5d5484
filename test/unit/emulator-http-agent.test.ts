import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const fixture = "test/fixtures/keep-alive-race.cjs";

/** The second request's outcome after an idle keep-alive socket met a busy event loop. */
async function secondRequest(nodeArgs: string[]): Promise<string> {
  const socket = join(mkdtempSync(join(tmpdir(), "keep-alive-")), "server.sock");
  const { stdout } = await run(process.execPath, [...nodeArgs, fixture, socket]);
  return stdout.trim();
}

describe("the firebase-tools process's HTTP agent (scripts/emulator-http-agent.cjs)", () => {
  it("when a busy process reuses a keep-alive socket its server closed, then Node's default agent fails the request, and the preloaded one does not", async () => {
    const [plain, preloaded] = await Promise.all([
      secondRequest([]),
      secondRequest(["--require", "./scripts/emulator-http-agent.cjs"]),
    ]);
    // The emulator answers such a request 500 "Request to function failed: Error: write EPIPE".
    expect(plain).toMatch(/^E[A-Z]+$/);
    expect(preloaded).toBe("200");
  }, 30_000);
});

import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import type { OutboxStorage } from "../../client/src/index.js";
import { adminDb } from "../helpers/admin.js";
import { functionsOrigin, localOrigin, loopback, projectId } from "../helpers/emulators.js";
import { newClient, openAcceptedChat } from "../helpers/parley-client.js";
import { eventually } from "../helpers/wait.js";

/** The uid in a Firebase ID token's payload (the proxy only reads it; the API verifies it). */
function uidOf(authorization: string | undefined): string | undefined {
  const payload = authorization?.replace(/^Bearer /, "").split(".")[1];
  return payload ? (JSON.parse(Buffer.from(payload, "base64url").toString()) as { user_id?: string }).user_id : undefined;
}

/**
 * A loopback proxy in front of the Functions emulator that records who each send is made as,
 * and answers sends with 503 while `down` (a transient failure: the outbox keeps retrying).
 */
async function recordingProxy() {
  const state = { down: false, sendsAs: [] as (string | undefined)[] };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const isSend = req.method === "POST" && /\/chats\/[^/]+\/messages$/.test(req.url ?? "");
    if (isSend) state.sendsAs.push(uidOf(req.headers.authorization));
    if (isSend && state.down) {
      req.resume();
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "unavailable", message: "down (test)" } }));
      return;
    }
    const upstream = request(`${functionsOrigin}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, loopback, resolve));
  const { port } = server.address() as AddressInfo;
  return { server, state, apiBase: `${localOrigin(port)}/${projectId}/us-central1/api/v1` };
}

const proxies: Awaited<ReturnType<typeof recordingProxy>>[] = [];
afterAll(() => proxies.forEach(({ server }) => server.close()));

function memoryStorage(): OutboxStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

describe("@parley/client: signing out", () => {
  it("when Alice signs out with a message queued and Bob signs in on the same device, then it is never sent, as Bob or at all, and it is gone from storage", async () => {
    const proxy = await recordingProxy();
    proxies.push(proxy);
    const storage = memoryStorage();
    const bob = await newClient("Bob");
    const alice = await newClient("Alice", { apiBase: proxy.apiBase, storage });
    const { chat } = await openAcceptedChat(alice, bob);

    proxy.state.down = true;
    const queued = alice.client.send(chat.id, { text: "sent by Alice, or by no one" });
    await eventually(() => Promise.resolve(expect(proxy.state.sendsAs).toContain(alice.uid)));
    expect(storage.data.get(`parley-outbox-${alice.uid}`)).toContain(queued.clientMessageId);

    await alice.client.signOut();
    await alice.client.signIn(bob.email, bob.password);
    proxy.state.down = false;
    // The outbox's first retry would come 2 s after the failure; give it twice that.
    await new Promise((resolve) => setTimeout(resolve, 4_000));

    expect(proxy.state.sendsAs).not.toContain(bob.uid);
    expect(storage.data.has(`parley-outbox-${alice.uid}`)).toBe(false);
    expect((await adminDb().doc(`chats/${chat.id}`).get()).get("messageCount")).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb, objectNames } from "../helpers/admin.js";
import { createChat } from "../helpers/api.js";
import { testPort } from "../helpers/emulators.js";
import { serveApi, type ServedFunction } from "../helpers/framework.js";
import { signUpMany, type TestUser } from "../helpers/users.js";

// The limits on the production runtime: `api` served by the Functions Framework, as Cloud Run
// runs it, with functions/.env's limits (10 sends/s per chat, bursts of 20) and small quotas.
// test/limits/limits.test.ts checks the same counts on the emulator, across REST and callables.
let served: ServedFunction;
beforeAll(async () => {
  served = await serveApi(testPort(8390), { CREATE_RATE_LIMIT: "3", UPLOAD_BYTES_PER_DAY: "2000" });
}, 120_000);
afterAll(() => served?.stop());

async function call(user: TestUser, method: string, path: string, body?: unknown) {
  const response = await fetch(`${served.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${user.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: (await response.json()) as Record<string, unknown>,
  };
}

async function uploadBytes(user: TestUser, chatId: string, size: number) {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(size)], { type: "application/octet-stream" }), "data.bin");
  const response = await fetch(`${served.base}/chats/${chatId}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${user.token}` },
    body: form,
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe("rate limits on the production runtime", () => {
  it("when one user sends 60 messages at once, then a burst of 20 (plus what refills) is accepted and the rest get 429 with Retry-After, writing nothing", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => call(alice, "POST", `/chats/${chatId}/messages`, { text: `flood ${i}` })),
    );
    const fromBob = await call(bob, "POST", `/chats/${chatId}/messages`, { text: "me too" });

    const accepted = results.filter((result) => result.status === 201).length;
    const refused = results.filter((result) => result.status === 429);
    expect(accepted).toBeGreaterThanOrEqual(20);
    expect(accepted).toBeLessThan(40);
    expect(accepted + refused.length).toBe(60);
    expect(refused[0]).toMatchObject({
      retryAfter: "1",
      body: { error: { code: "resource-exhausted", message: "You are sending too fast in this chat; slow down." } },
    });
    expect(fromBob.status).toBe(201);
    const chat = (await adminDb().doc(`chats/${chatId}`).get()).data();
    expect(chat?.messageCount).toBe(accepted + 1);

    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await call(alice, "POST", `/chats/${chatId}/messages`, { text: "later" })).status).toBe(201);
  });

  it("when a user creates more chats and rooms in an hour than CREATE_RATE_LIMIT, then 429 with the wait to the hour's end, and nothing is made", async () => {
    const [alice, bob, carol, dave] = await signUpMany("Alice", "Bob", "Carol", "Dave");

    const first = await call(alice, "POST", "/chats", { memberUid: bob.uid });
    const reopened = await call(alice, "POST", "/chats", { memberUid: bob.uid });
    const rooms = [await call(alice, "POST", "/rooms", { title: "One" }), await call(alice, "POST", "/rooms", { title: "Two" })];
    const overRoom = await call(alice, "POST", "/rooms", { title: "Three" });
    const overChat = await call(alice, "POST", "/chats", { memberUid: carol.uid });
    const someoneElse = await call(dave, "POST", "/rooms", { title: "Dave's" });

    expect([first.status, reopened.status, ...rooms.map((room) => room.status)]).toEqual([201, 200, 201, 201]);
    expect(overRoom).toMatchObject({
      status: 429,
      body: {
        error: { code: "resource-exhausted", message: "You have created too many chats and rooms this hour; try again later." },
      },
    });
    expect(Number(overRoom.retryAfter)).toBeGreaterThan(0);
    expect(Number(overRoom.retryAfter)).toBeLessThanOrEqual(3600);
    expect(overChat.status).toBe(429);
    expect(someoneElse.status).toBe(201);
    expect(
      (
        await adminDb()
          .doc(`chats/${[alice.uid, carol.uid].sort().join("_")}`)
          .get()
      ).exists,
    ).toBe(false);
    expect((await adminDb().doc(`rate-limits/${alice.uid}`).get()).get("creations.used")).toBe(3);
  });

  it("when a user's files pass UPLOAD_BYTES_PER_DAY, then the upload is refused with 429 and its bytes are not kept", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const first = await uploadBytes(alice, chatId, 1500);
    const second = await uploadBytes(alice, chatId, 1500);
    const forward = await call(alice, "POST", `/chats/${chatId}/messages/1/forward`, { toChatId: chatId });

    expect(first.status).toBe(201);
    expect(second).toMatchObject({
      status: 429,
      body: { error: { message: "You have stored too many file bytes today; try again later." } },
    });
    expect(forward.status).toBe(429);
    expect((await adminDb().doc(`chats/${chatId}`).get()).get("messageCount")).toBe(1);
    expect(await objectNames(`chats/${chatId}/`)).toHaveLength(1);
    expect((await adminDb().doc(`rate-limits/${alice.uid}`).get()).get("uploadBytes.used")).toBe(1500);
  });
});

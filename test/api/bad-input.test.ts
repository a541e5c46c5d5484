import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operations } from "../../functions/src/contract.js";
import type { OperationSpec } from "../../functions/src/shared/operation.js";
import { adminDb } from "../helpers/admin.js";
import { api, apiRaw, createChat, type ApiResponse } from "../helpers/api.js";
import { functionsOrigin, projectId, testPort } from "../helpers/emulators.js";
import { serveApi, type ServedFunction } from "../helpers/framework.js";
import { ODD_SEGMENTS } from "../helpers/odd-ids.js";
import { rawHttp } from "../helpers/raw-http.js";
import { expiredToken, forgedToken, otherProjectToken } from "../helpers/tokens.js";
import { signUpMany, type TestUser } from "../helpers/users.js";

let alice: TestUser;
let bob: TestUser;
let eve: TestUser;
let chatId: string;

/** Everything a bad request could have touched: the chat tree and every test user's docs. */
async function storedState(): Promise<unknown> {
  const db = adminDb();
  const chat = db.doc(`chats/${chatId}`);
  const docs: Record<string, unknown> = { [chat.path]: (await chat.get()).data() };
  for (const collection of await chat.listCollections()) {
    for (const doc of (await collection.get()).docs) docs[doc.ref.path] = doc.data();
  }
  for (const user of [alice, bob, eve]) {
    for (const path of [`users-external-event/${user.uid}`, `users/${user.uid}`]) {
      docs[path] = (await db.doc(path).get()).data() ?? null;
    }
    const chats = await db.collection("chats").where("members", "array-contains", user.uid).get();
    docs[`chats of ${user.uid}`] = chats.docs.map((doc) => doc.id).sort();
  }
  return docs;
}

/** Runs `request` and checks that it wrote nothing. */
async function rejected(request: () => Promise<ApiResponse>): Promise<ApiResponse> {
  const before = await storedState();
  const response = await request();
  expect(await storedState()).toEqual(before);
  return response;
}

beforeAll(async () => {
  [alice, bob, eve] = await signUpMany("Alice", "Bob", "Eve");
  chatId = await createChat(alice, bob);
  // One real message, so "nothing written" also covers counts and unread maps in use.
  await api(alice, "POST", `/chats/${chatId}/messages`, { body: { text: "existing" } });
});

const sendPath = () => `/chats/${chatId}/messages`;

describe("bad input to POST /v1/chats/{chatId}/messages", () => {
  const cases: [string, () => unknown, number, string, string][] = [
    [
      "text of the wrong type",
      () => ({ text: 42 }),
      400,
      "invalid-argument",
      "text: Invalid input: expected string, received number",
    ],
    ["missing text", () => ({}), 400, "invalid-argument", "text: is required"],
    ["blank text", () => ({ text: "   \n" }), 400, "invalid-argument", "text: must not be empty"],
    [
      "text over 10,000 characters",
      () => ({ text: "a".repeat(10_001) }),
      400,
      "invalid-argument",
      "text: must be at most 10000 characters",
    ],
    ["an unknown field", () => ({ text: "hi", color: "red" }), 400, "invalid-argument", 'body: Unrecognized key: "color"'],
    [
      "a clientMessageId of the wrong type",
      () => ({ text: "hi", clientMessageId: 7 }),
      400,
      "invalid-argument",
      "clientMessageId: Invalid input: expected string, received number",
    ],
    [
      "a clientMessageId over 128 characters",
      () => ({ text: "hi", clientMessageId: "c".repeat(129) }),
      400,
      "invalid-argument",
      "clientMessageId: must be at most 128 characters",
    ],
    ["an array body", () => [{ text: "hi" }], 400, "invalid-argument", "body: Invalid input: expected object, received array"],
  ];
  it.each(cases)("when the body has %s, then %i %s and nothing is written", async (_name, body, status, code, message) => {
    const response = await rejected(() => api(alice, "POST", sendPath(), { body: body() }));
    expect(response).toMatchObject({ status, body: { error: { code, message } } });
  });

  it("when the text is exactly 10,000 characters, then it is accepted", async () => {
    const response = await api(alice, "POST", sendPath(), { body: { text: "a".repeat(10_000) } });
    expect(response.status).toBe(201);
  });

  it("when the JSON is malformed, then 400 and nothing is written", async () => {
    // The Cloud Functions runtime parses JSON before Parley's code runs, so this answer comes from
    // the runtime (Functions Framework / emulator), not in Parley's error shape.
    const response = await rejected(() => api(alice, "POST", sendPath(), { raw: '{"text": "hi"' }));
    expect(response.status).toBe(400);
  });

  it("when the body is over MAX_JSON_BODY_BYTES, then 413 payload-too-large and nothing is written", async () => {
    const response = await rejected(() => api(alice, "POST", sendPath(), { body: { text: "a".repeat(70_000) } }));
    expect(response).toMatchObject({
      status: 413,
      body: { error: { code: "payload-too-large", message: "The request body is over 65536 bytes." } },
    });
  });

  it("when the chat does not exist, then 404 not-found and no chat appears", async () => {
    const response = await rejected(() => api(alice, "POST", "/chats/no-such-chat/messages", { body: { text: "hi" } }));
    expect(response).toMatchObject({
      status: 404,
      body: { error: { code: "not-found", message: "No such chat, or you are not a member of it." } },
    });
    expect((await adminDb().doc("chats/no-such-chat").get()).exists).toBe(false);
    expect((await adminDb().collection("chats/no-such-chat/messages").get()).size).toBe(0);
  });

  it("when a non-member sends, then 404 as for no chat, and nothing is written", async () => {
    const response = await rejected(() => api(eve, "POST", sendPath(), { body: { text: "let me in" } }));
    expect(response).toMatchObject({
      status: 404,
      body: { error: { code: "not-found", message: "No such chat, or you are not a member of it." } },
    });
  });
});

describe("bad credentials", () => {
  const bearer = "Send a Firebase ID token as `Authorization: Bearer <token>`.";
  const cases: [string, () => string | null, Record<string, string>, string][] = [
    ["no token", () => null, {}, bearer],
    ["a header without the Bearer scheme", () => null, { authorization: "Token abc" }, bearer],
    ["a token that is not a JWT", () => "not-a-token", {}, "The ID token is not valid."],
    ["a forged RS256 token", () => forgedToken(alice.uid), {}, "The ID token is not valid."],
    ["a token for another project", () => otherProjectToken(alice.uid), {}, "The ID token is not valid."],
    ["an expired token", () => expiredToken(alice.uid), {}, "The ID token has expired; get a fresh one."],
  ];
  it.each(cases)(
    "when the caller sends %s, then 401 unauthenticated and nothing is written",
    async (_name, token, headers, message) => {
      for (const [method, path, body] of [
        ["POST", sendPath(), { text: "hi" }],
        ["GET", "/chats", undefined],
        ["POST", "/chats", { memberUid: eve.uid }],
        ["POST", `/chats/${chatId}/read`, {}],
      ] as const) {
        const response = await rejected(() => api(token(), method, path, { body, headers }));
        expect(response).toMatchObject({ status: 401, body: { error: { code: "unauthenticated", message } } });
      }
    },
  );
});

describe("bad input to the other routes", () => {
  const cases: [string, string, string, unknown, number, string][] = [
    ["createChat without memberUid", "POST", "/chats", {}, 400, "memberUid: is required"],
    [
      "createChat with a numeric memberUid",
      "POST",
      "/chats",
      { memberUid: 5 },
      400,
      "memberUid: Invalid input: expected string, received number",
    ],
    ["a limit of 0", "GET", "/chats/{chatId}/messages?limit=0", undefined, 400, "limit: must be at least 1"],
    ["a limit of 101", "GET", "/chats/{chatId}/messages?limit=101", undefined, 400, "limit: must be at most 100"],
    [
      "a non-numeric before",
      "GET",
      "/chats/{chatId}/messages?before=abc",
      undefined,
      400,
      "before: Invalid input: expected number, received NaN",
    ],
    [
      "both before and after",
      "GET",
      "/chats/{chatId}/messages?before=5&after=1",
      undefined,
      400,
      "query: use either before or after, not both",
    ],
    ["an unknown query parameter", "GET", "/chats/{chatId}/messages?page=2", undefined, 400, 'query: Unrecognized key: "page"'],
    ["a message number of 0", "GET", "/chats/{chatId}/messages/0", undefined, 400, "number: must be at least 1"],
    ["a fractional message number", "GET", "/chats/{chatId}/messages/1.5", undefined, 400, "number: must be an integer"],
    [
      "a string upTo",
      "POST",
      "/chats/{chatId}/read",
      { upTo: "all" },
      400,
      "upTo: Invalid input: expected number, received string",
    ],
    ["a negative upTo", "POST", "/chats/{chatId}/read", { upTo: -1 }, 400, "upTo: must be at least 0"],
    ["a delivered upTo of 0", "POST", "/chats/{chatId}/delivered", { upTo: 0 }, 400, "upTo: must be at least 1"],
    ["a chat list limit of 500", "GET", "/chats?limit=500", undefined, 400, "limit: must be at most 100"],
    ["a user list cursor with a slash", "GET", "/users?cursor=a%2Fb", undefined, 400, "cursor: is not a valid id"],
    // Found by the fuzzer: a uid with a slash reached Firestore as a path and answered 500.
    ["createChat with a memberUid holding a slash", "POST", "/chats", { memberUid: "a/b" }, 400, "memberUid: is not a valid uid"],
    ["a room member uid with a slash", "DELETE", "/rooms/{chatId}/members/a%2Fb", undefined, 400, "uid: is not a valid uid"],
  ];
  it.each(cases)(
    "when a request has %s, then 400 invalid-argument and nothing is written",
    async (_name, method, path, body, status, message) => {
      const response = await rejected(() => api(bob, method, path.replace("{chatId}", chatId), { body }));
      expect(response).toMatchObject({ status, body: { error: { code: "invalid-argument", message } } });
    },
  );

  it("when the route does not exist, then 404 not-found in the error shape", async () => {
    expect(await api(bob, "GET", "/nothing-here")).toMatchObject({
      status: 404,
      body: { error: { code: "not-found", message: "No route for GET /v1/nothing-here." } },
    });
  });
});

describe("odd ids", () => {
  const tooLong = "chatId: must be at most 1024 bytes (UTF-8)";
  const notUnicode = "must be valid Unicode (it holds a lone surrogate)";
  const euro1536 = encodeURIComponent("€".repeat(512));
  const cases: [string, string, () => string, unknown, number, string, string][] = [
    // Found: 512 characters passed the old 512-character bound, but are 1,536 bytes, over
    // Firestore's 1,500, and the room's transaction answered 500.
    ["a 1,536-byte room id", "POST", () => `/rooms/${euro1536}/leave`, undefined, 400, "invalid-argument", tooLong],
    [
      "a 1,536-byte room id",
      "DELETE",
      () => `/rooms/${euro1536}/members/${bob.uid}`,
      undefined,
      400,
      "invalid-argument",
      tooLong,
    ],
    ["a 1,536-byte chat id", "GET", () => `/chats/${euro1536}`, undefined, 400, "invalid-argument", tooLong],
    [
      "a 2,048-byte chat id",
      "POST",
      () => `/chats/${"a".repeat(2048)}/messages`,
      { text: "hi" },
      400,
      "invalid-argument",
      tooLong,
    ],
    // A chat id that fits but names no chat is the non-member's 404, as every unknown chat.
    [
      "a 1,024-byte chat id",
      "POST",
      () => `/chats/${"a".repeat(1024)}/messages/1/report`,
      { reason: "x" },
      404,
      "not-found",
      "No such chat, or you are not a member of it.",
    ],
    [
      "a 1,024-byte room id",
      "POST",
      () => `/rooms/${encodeURIComponent("😀".repeat(256))}/leave`,
      undefined,
      404,
      "not-found",
      "No such chat, or you are not a member of it.",
    ],
    [
      "a 1,501-byte report id",
      "POST",
      () => `/reports/${"r".repeat(1501)}/resolve`,
      {},
      400,
      "invalid-argument",
      "reportId: must be at most 1500 bytes (UTF-8)",
    ],
    ["a reserved chat id", "POST", () => "/rooms/__x__/leave", undefined, 400, "invalid-argument", "chatId: is not a valid id"],
    [
      "a chat id with an encoded slash",
      "POST",
      () => "/rooms/a%2Fb/leave",
      undefined,
      400,
      "invalid-argument",
      "chatId: is not a valid id",
    ],
    [
      "a forward to a 1,536-byte chat id",
      "POST",
      () => `/chats/${chatId}/messages/1/forward`,
      { toChatId: "€".repeat(512) },
      400,
      "invalid-argument",
      "toChatId: must be at most 1024 bytes (UTF-8)",
    ],
    [
      "a block-list cursor over 128 characters",
      "GET",
      () => `/blocks?cursor=${"u".repeat(129)}`,
      undefined,
      400,
      "invalid-argument",
      "cursor: must be at most 128 characters",
    ],
    [
      "a text with a lone surrogate",
      "POST",
      () => `/chats/${chatId}/messages`,
      { text: "a\ud800b" },
      400,
      "invalid-argument",
      `text: ${notUnicode}`,
    ],
    [
      "a memberUid with a lone surrogate",
      "POST",
      () => "/chats",
      { memberUid: "\udc00" },
      400,
      "invalid-argument",
      `memberUid: ${notUnicode}`,
    ],
    [
      "a room title with a lone surrogate",
      "POST",
      () => "/rooms",
      { title: "\ud83d" },
      400,
      "invalid-argument",
      `title: ${notUnicode}`,
    ],
  ];
  const named = cases.map(([name, method, path, body, status, code, message]) => ({
    name,
    method,
    path,
    body,
    status,
    code,
    message,
  }));
  it.each(named)(
    "when a request has $name ($method), then $status $code and nothing is written",
    async ({ method, path, body, status, code, message }) => {
      const response = await rejected(() => apiRaw(alice, method, path(), { body }));
      expect(response).toMatchObject({ status, body: { error: { code, message } } });
    },
  );

  it("when a path's escapes are not UTF-8 (%FF, %C3%28, %ED%A0%80), then the runtime answers 400 before Parley runs", async () => {
    for (const escape of ["%FF", "%C3%28", "%ED%A0%80"]) {
      const response = await rejected(() => apiRaw(alice, "POST", `/rooms/x${escape}y/leave`));
      // The Functions emulator's router fails to decode the path and answers its own HTML 400;
      // the Functions Framework does the same (below), and Parley's router answers in its error shape
      // should such a path reach it (test/unit/path-decoding.test.ts).
      expect(response.status, escape).toBe(400);
    }
  });

  it("when a callable gets a 1,536-byte chat id or a lone surrogate, then invalid-argument, not internal", async () => {
    for (const [name, data, message] of [
      ["leaveRoom", { chatId: "€".repeat(512) }, tooLong],
      ["getChat", { chatId: "\ud800" }, `chatId: ${notUnicode}`],
      ["sendMessage", { chatId, text: "a\udc00" }, `text: ${notUnicode}`],
      ["listUsers", { q: "\ud800" }, `q: ${notUnicode}`],
    ] as const) {
      const before = await storedState();
      const response = await fetch(`${functionsOrigin}/${projectId}/us-central1/${name}`, {
        method: "POST",
        headers: { authorization: `Bearer ${alice.token}`, "content-type": "application/json" },
        body: JSON.stringify({ data }),
      });
      expect(await response.json(), name).toEqual({
        error: { status: "INVALID_ARGUMENT", message, details: { code: "invalid-argument" } },
      });
      expect(await storedState()).toEqual(before);
    }
  });
});

describe("odd ids on every route, served as Cloud Run serves the api (Functions Framework)", () => {
  let served: ServedFunction;
  beforeAll(async () => {
    served = await serveApi(testPort(8340));
  }, 120_000);
  afterAll(() => served?.stop());

  const withParams = (Object.values(operations) as (OperationSpec & { name: string })[]).filter((op) => op.path.includes(":"));
  const fixture = (name: string) =>
    ({ chatId, number: "1", uid: bob.uid, emoji: encodeURIComponent("👍"), reportId: "r", deviceId: "0".repeat(64) })[name] ??
    "x";

  it("when any path parameter of any operation is odd, then 4xx: Parley's error shape, or the runtime's 400 for escapes that are not UTF-8", async () => {
    const before = await storedState();
    const failures: string[] = [];
    for (const op of withParams) {
      for (const param of [...op.path.matchAll(/:(\w+)/g)].map((match) => match[1])) {
        for (const odd of ODD_SEGMENTS) {
          const path = op.path.replace(/:(\w+)/g, (_m, name: string) => (name === param ? odd.segment : fixture(name)));
          const sent = await rawHttp(op.method.toUpperCase(), `${served.base}${path}`, {
            authorization: `Bearer ${alice.token}`,
          });
          const parleyShape = sent.contentType?.includes("application/json") && /"error":\{"code"/.test(sent.text);
          const runtime400 = odd.value === null && sent.status === 400;
          if (sent.status < 400 || sent.status >= 500 || !(parleyShape || runtime400)) {
            failures.push(
              `${sent.status} ${op.method.toUpperCase()} ${op.path} ${param}=${odd.label}: ${sent.text.slice(0, 120)}`,
            );
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await storedState()).toEqual(before);
  }, 300_000);
});

import fc from "fast-check";
import type { Query } from "firebase-admin/firestore";
import { beforeAll, describe, expect, it } from "vitest";
import { operations as declared } from "../../functions/src/contract.js";
import { fieldsOf, type Operation } from "../../functions/src/shared/operation.js";
import { adminDb, objectNames } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { apiBase, functionsOrigin, projectId } from "../helpers/emulators.js";
import { BYTES_NOT_CHARACTERS, oddSegment, oddString, type OddSegment } from "../helpers/odd-ids.js";
import { rawHttp } from "../helpers/raw-http.js";
import { signUpUnlimited, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

// fast-check sends generated bodies, headers, path parameters and multipart parts to every REST
// operation and callable. Whatever a client sends, the API must not answer 5xx, must answer a
// refusal in its error shape, and a refused request must write nothing. Odd ids (test/helpers/
// odd-ids.ts: 0 to 2,048 bytes in 1- to 4-byte characters, `/`, `.`, `..`, `__x__`, escapes
// that are not UTF-8, lone surrogates) go into one path parameter, the cursor and body fields.

// Deleting the caller's own account takes no input to fuzz, and would end the fuzzing user (and
// start an erasure writing beside every later request): test/users/delete-account.test.ts has it.
const operations = (Object.values(declared) as Operation[]).filter((op) => op.name !== "deleteMe");

let alice: TestUser;
let bob: TestUser;
let direct: string;
let room: string;

beforeAll(async () => {
  // The fuzzer explores handlers, not the rate limits: its users have the `unlimited` claim.
  [alice, bob] = await signUpUnlimited("Alice", "Bob");
  direct = await createChat(alice, bob);
  await send(alice, direct, "fuzz me");
  room = (await api<{ chat: { id: string } }>(alice, "POST", "/rooms", { body: { title: "Fuzz" } })).body.chat.id;
});

/**
 * Waits for the export trigger of an accepted end of a fixture chat (an earlier run) to finish:
 * it writes `export` on the chat, the mails and `exportedAt` after that request has been judged, and those
 * writes are not the next request's.
 */
async function settleExports() {
  const db = adminDb();
  for (const chatId of [direct, room]) {
    await eventually(async () => {
      const chat = (await db.doc(`chats/${chatId}`).get()).data();
      // A chat nobody wrote in gets no `export`; the completion record says the run is over.
      const exported = (await db.doc(`ended-chats/${chatId}`).get()).get("exportedAt") !== undefined;
      expect(chat?.status !== "ended" || exported).toBe(true);
    }, 60_000);
  }
}

/** What a request could change: the fixture chats, their subcollections, Storage, top-level counts. */
async function snapshot() {
  const db = adminDb();
  const count = async (query: Query) => (await query.count().get()).data().count;
  const docs = await db.getAll(
    ...[`chats/${direct}`, `chats/${room}`, `users/${alice.uid}`, `users-external-event/${bob.uid}`].map((p) => db.doc(p)),
  );
  return {
    docs: docs.map((d) => (d.exists ? d.data() : null)),
    counts: await Promise.all(
      [
        ...[
          `chats/${direct}/messages`,
          `chats/${room}/messages`,
          `chats/${direct}/hidden`,
          `chats/${direct}/client-messages`,
          `users/${alice.uid}/devices`,
          "chats",
          "invites",
          "device-tokens",
          "users",
        ].map((path) => db.collection(path)),
        // Other test files' chats end too, and their export triggers may still be mailing.
        db.collection("mail").where("to", "in", [alice.email, bob.email]),
      ].map(count),
    ),
    objects: [...(await objectNames(`chats/${direct}/`)), ...(await objectNames(`chats/${room}/`))],
  };
}

/**
 * A snapshot that two reads 200 ms apart agree on: the Storage emulator's listing can lag a
 * moment behind an upload the previous (accepted) request finished.
 */
async function settledSnapshot() {
  let previous = await snapshot();
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const next = await snapshot();
    if (JSON.stringify(next) === JSON.stringify(previous)) return next;
    previous = next;
  }
  return previous;
}

const weird = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("", ".", "..", "%2F", "__x__", "a/b", "0", "-1", "1e9", "9".repeat(30), "ünï", "\u0000", " "),
);
const jsonValue = fc.jsonValue({ maxDepth: 3 });

/** The names of `path`'s `:param`s. */
const paramsOf = (path: string) => [...path.matchAll(/:(\w+)/g)].map((match) => match[1]);

/** Fills `:param`s with fixture values or junk, and `odd.param` with an odd segment as it is. */
function pathFor(path: string, values: Record<string, unknown>, odd: { param: string; segment: OddSegment } | null): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => {
    if (odd?.param === name) return odd.segment.segment;
    const value = values[name];
    return encodeURIComponent(typeof value === "string" || typeof value === "number" ? String(value) : "x");
  });
}

interface Sent {
  status: number;
  contentType: string | null;
  text: string;
}

async function request(method: string, url: string, headers: Record<string, string>, body?: string | FormData): Promise<Sent> {
  const response = await fetch(url, { method, headers, body: method === "GET" || method === "HEAD" ? undefined : body });
  return { status: response.status, contentType: response.headers.get("content-type"), text: await response.text() };
}

/**
 * Asserts the outcome: no 5xx; a refusal in the error shape that wrote nothing. `runtime400`: the
 * runtime may answer its own 400 first (bodies that aren't JSON, paths whose escapes aren't UTF-8).
 */
async function judge(sent: Sent, before: Awaited<ReturnType<typeof snapshot>>, runtime400: boolean) {
  expect(sent.status, sent.text.slice(0, 300)).toBeLessThan(500);
  if (sent.status < 400) return;
  if (!(runtime400 && sent.status === 400 && !sent.contentType?.includes("json"))) {
    expect(sent.contentType).toMatch(/application\/json/);
    const body = JSON.parse(sent.text) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code).toBe("string");
    expect(typeof body.error?.message).toBe("string");
  }
  expect(await snapshot()).toEqual(before);
}

describe("fuzzing the REST API", () => {
  for (const op of operations) {
    const params = paramsOf(op.path);
    const odd =
      params.length === 0
        ? fc.constant(null)
        : fc.option(fc.record({ param: fc.constantFrom(...params), segment: oddSegment }), { freq: 4 });
    it(`${op.method.toUpperCase()} /v1${op.path}: no 5xx, the error shape, nothing written on refusal`, async () => {
      const generated = fc.record({
        chatId: fc.oneof(fc.constantFrom(direct, room), weird),
        number: fc.oneof(fc.constantFrom("1", "2"), weird),
        uid: fc.oneof(fc.constant(bob.uid), weird),
        token: weird,
        odd,
        body: fc.oneof(
          jsonValue.map((v) => JSON.stringify(v)),
          weird,
          fc
            .dictionary(
              fc.constantFrom(
                "text",
                "memberUid",
                "uid",
                "upTo",
                "toChatId",
                "title",
                "inviteCode",
                "token",
                "platform",
                "until",
                "replyTo",
                "clientMessageId",
                "q",
                "mentions",
              ),
              fc.oneof(jsonValue, oddString, fc.array(oddString, { maxLength: 3 })),
            )
            .map((v) => JSON.stringify(v)),
        ),
        query: fc.dictionary(fc.constantFrom("limit", "cursor", "before", "after", "with", "q", "x"), weird),
        cursor: fc.option(oddString, { freq: 3 }),
        contentType: fc.constantFrom(
          "application/json",
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data",
          "application/json; charset=utf-8",
        ),
        auth: fc.constantFrom("alice", "bob", "none", "garbage"),
      });
      type Generated = typeof generated extends fc.Arbitrary<infer T> ? T : never;
      await fc.assert(
        fc.asyncProperty(generated, async (input) => {
          await settleExports();
          const before = await snapshot();
          const query = new URLSearchParams({ ...input.query, ...(input.cursor !== null && { cursor: input.cursor }) });
          const url = `${apiBase}${pathFor(op.path, { ...input }, input.odd)}?${query}`;
          const token =
            input.auth === "alice"
              ? alice.token
              : input.auth === "bob"
                ? bob.token
                : input.auth === "garbage"
                  ? "not.a.token"
                  : undefined;
          const headers: Record<string, string> = {
            "content-type": input.contentType,
            ...(token && { authorization: `Bearer ${token}` }),
          };
          // The Cloud Functions runtime parses JSON bodies before Parley runs and answers its own
          // 400 to malformed JSON and to JSON that is not an object or array (README, "API"); its
          // router answers its own 400 to a path whose escapes are not UTF-8.
          let badJson = false;
          try {
            const parsed: unknown = JSON.parse(input.body);
            badJson = typeof parsed !== "object" || parsed === null;
          } catch {
            badJson = true;
          }
          const notJson = badJson || !input.contentType.startsWith("application/json");
          const undecodable = input.odd?.segment.value === null;
          // Sent as is: fetch would resolve `.`/`..` segments and re-encode the path.
          const method = op.method.toUpperCase();
          const sent = await rawHttp(method, url, headers, method === "GET" ? undefined : input.body);
          await judge(sent, before, notJson || undecodable);
        }),
        // Besides the random runs: the id that once slipped through, in every path parameter.
        {
          numRuns: 8,
          examples: params.map((param): [Generated] => [
            {
              chatId: op.path.startsWith("/rooms") ? room : direct,
              number: "1",
              uid: bob.uid,
              token: "",
              odd: {
                param,
                segment: { label: "1,536 bytes", segment: encodeURIComponent(BYTES_NOT_CHARACTERS), value: BYTES_NOT_CHARACTERS },
              },
              body: "{}",
              query: {},
              cursor: null,
              contentType: "application/json" as const,
              auth: "alice" as const,
            },
          ]),
        },
      );
    }, 120_000);
  }

  it("POST multipart messages with generated parts: no 5xx, nothing written on refusal", async () => {
    const part = fc.record({
      name: fc.oneof(fc.constantFrom("file", "text", "clientMessageId", "replyTo"), fc.string({ maxLength: 10 })),
      asFile: fc.boolean(),
      filename: weird,
      value: fc.oneof(
        fc.string({ maxLength: 50 }),
        fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString("latin1")),
      ),
      type: fc.constantFrom("image/png", "text/plain", "application/octet-stream", "text/html", "x/y"),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(part, { maxLength: 4 }), async (parts) => {
        await settleExports();
        const before = await settledSnapshot();
        const form = new FormData();
        for (const p of parts) {
          if (p.asFile) form.append(p.name, new Blob([p.value], { type: p.type }), p.filename);
          else form.append(p.name, p.value);
        }
        const sent = await request(
          "POST",
          `${apiBase}/chats/${direct}/messages`,
          { authorization: `Bearer ${alice.token}` },
          form,
        );
        await judge(sent, before, false);
      }),
      { numRuns: 25, endOnFailure: true },
    );
  }, 120_000);
});

/** The fields that name a doc. */
const ID_FIELDS = ["chatId", "toChatId", "uid", "memberUid", "reportId", "deviceId", "cursor", "number", "emoji"];

/** Fixture values for those of `fields` that have one (the chat, message 1, Bob). */
function fixtures(fields: string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {
    chatId: direct,
    toChatId: room,
    number: 1,
    uid: bob.uid,
    memberUid: bob.uid,
    emoji: "👍",
  };
  return Object.fromEntries(fields.filter((field) => field in values).map((field) => [field, values[field]]));
}

/** Values for a callable's field: the fixtures where they make sense, then junk and odd ids. */
function fieldValue(field: string): fc.Arbitrary<unknown> {
  const fixture: Record<string, fc.Arbitrary<unknown>> = {
    chatId: fc.constantFrom(direct, room),
    toChatId: fc.constantFrom(direct, room),
    number: fc.constantFrom(1, 2),
    uid: fc.constant(bob.uid),
    memberUid: fc.constant(bob.uid),
    emoji: fc.constant("👍"),
    text: fc.constant("fuzz"),
    mentions: fc.array(oddString, { maxLength: 3 }),
  };
  return fc.oneof(fixture[field] ?? jsonValue, oddString, jsonValue);
}

describe("fuzzing the callables", () => {
  // Downloads have no callable.
  const callables = [...new Set([...operations.filter((op) => !op.download).map((op) => op.name), "getChat"])];
  for (const name of callables) {
    const op = operations.find((candidate) => candidate.name === name);
    const fields = op ? [op.params, op.query, op.body].flatMap((part) => fieldsOf(part)) : [];
    it(`${name}: no internal error for generated data`, async () => {
      // The operation's own fields (so odd ids reach its handler), or anything at all.
      const ownFields = fc.record(Object.fromEntries(fields.map((field) => [field, fieldValue(field)])), { requiredKeys: [] });
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            { weight: 1, arbitrary: jsonValue },
            {
              weight: 1,
              arbitrary: fc.record({
                chatId: fc.oneof(fc.constant(direct), weird),
                number: fc.oneof(fc.integer(), weird),
                text: weird,
                toChatId: weird,
                inviteCode: weird,
              }),
            },
            { weight: 4, arbitrary: ownFields },
          ),
          async (data) => {
            await settleExports();
            const before = await snapshot();
            const sent = await request(
              "POST",
              `${functionsOrigin}/${projectId}/us-central1/${name}`,
              { "content-type": "application/json", authorization: `Bearer ${alice.token}` },
              JSON.stringify({ data }),
            );
            expect(sent.status, sent.text.slice(0, 300)).toBeLessThan(500);
            const body = JSON.parse(sent.text) as { result?: unknown; error?: { status?: string; details?: { code?: string } } };
            if (body.error) {
              expect(body.error.status).not.toBe("INTERNAL");
              expect(typeof body.error.details?.code).toBe("string");
              expect(await snapshot()).toEqual(before);
            }
          },
        ),
        // Besides the random runs: each id field with the id that once slipped through, and a lone surrogate.
        {
          numRuns: 6,
          examples: fields
            .filter((field) => ID_FIELDS.includes(field))
            .flatMap((field) =>
              [BYTES_NOT_CHARACTERS, "\ud800"].map((odd): [unknown] => [{ ...fixtures(fields), [field]: odd }]),
            ),
        },
      );
    }, 120_000);
  }
});

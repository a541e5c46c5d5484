import fc from "fast-check";
import type { Query } from "firebase-admin/firestore";
import { beforeAll, describe, expect, it } from "vitest";
import { operations as declared } from "../../functions/src/contract.js";
import type { Operation } from "../../functions/src/shared/operation.js";

const operations = Object.values(declared) as Operation[];
import { adminDb, objectNames } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { apiBase, functionsOrigin, projectId } from "../helpers/emulators.js";
import { signUpMany, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

// fast-check sends generated bodies, headers, path parameters and multipart parts to every REST
// operation and callable. Whatever a client sends, the API must not answer 5xx, must answer a
// refusal in its error shape, and a refused request must write nothing.

let alice: TestUser;
let bob: TestUser;
let direct: string;
let room: string;

beforeAll(async () => {
  [alice, bob] = await signUpMany("Alice", "Bob");
  direct = await createChat(alice, bob);
  await send(alice, direct, "fuzz me");
  room = (await api<{ chat: { id: string } }>(alice, "POST", "/rooms", { body: { title: "Fuzz" } })).body.chat.id;
});

/**
 * Waits for the export trigger of an accepted end of a fixture chat (an earlier run) to finish:
 * it writes `export` on the chat and the mails after that request has been judged, and those
 * writes are not the next request's.
 */
async function settleExports() {
  const db = adminDb();
  for (const chatId of [direct, room]) {
    await eventually(async () => {
      const chat = (await db.doc(`chats/${chatId}`).get()).data();
      expect(chat?.status !== "completed" || chat.export !== undefined).toBe(true);
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

/** Fills `:param`s with fixture values or junk. */
function pathFor(path: string, values: Record<string, unknown>): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => {
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

/** Asserts the outcome: no 5xx; a refusal in the error shape (or the runtime's 400 for bad JSON) that wrote nothing. */
async function judge(sent: Sent, before: Awaited<ReturnType<typeof snapshot>>, badJson: boolean) {
  expect(sent.status, sent.text.slice(0, 300)).toBeLessThan(500);
  if (sent.status < 400) return;
  if (!(badJson && sent.status === 400 && !sent.contentType?.includes("json"))) {
    expect(sent.contentType).toMatch(/application\/json/);
    const body = JSON.parse(sent.text) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code).toBe("string");
    expect(typeof body.error?.message).toBe("string");
  }
  expect(await snapshot()).toEqual(before);
}

describe("fuzzing the REST API", () => {
  for (const op of operations) {
    it(`${op.method.toUpperCase()} /v1${op.path}: no 5xx, the error shape, nothing written on refusal`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            chatId: fc.oneof(fc.constantFrom(direct, room), weird),
            number: fc.oneof(fc.constantFrom("1", "2"), weird),
            uid: fc.oneof(fc.constant(bob.uid), weird),
            token: weird,
            body: fc.oneof(
              jsonValue.map((v) => JSON.stringify(v)),
              weird,
              fc
                .dictionary(
                  fc.constantFrom(
                    "text",
                    "memberUid",
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
                  ),
                  jsonValue,
                )
                .map((v) => JSON.stringify(v)),
            ),
            query: fc.dictionary(fc.constantFrom("limit", "cursor", "before", "after", "with", "q", "x"), weird),
            contentType: fc.constantFrom(
              "application/json",
              "text/plain",
              "application/x-www-form-urlencoded",
              "multipart/form-data",
              "application/json; charset=utf-8",
            ),
            auth: fc.constantFrom("alice", "bob", "none", "garbage"),
          }),
          async (input) => {
            await settleExports();
            const before = await snapshot();
            const url = `${apiBase}${pathFor(op.path, { ...input })}?${new URLSearchParams(input.query)}`;
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
            // 400 to malformed JSON and to JSON that is not an object or array (README, "API").
            let badJson = false;
            try {
              const parsed: unknown = JSON.parse(input.body);
              badJson = typeof parsed !== "object" || parsed === null;
            } catch {
              badJson = true;
            }
            const notJson = badJson || !input.contentType.startsWith("application/json");
            await judge(await request(op.method.toUpperCase(), url, headers, input.body), before, notJson);
          },
        ),
        { numRuns: 8 },
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

describe("fuzzing the callables", () => {
  const callables = [...new Set([...operations.map((op) => op.name), "getChat"])].filter(
    (name) => !["downloadExport", "downloadFile", "downloadThumbnail"].includes(name),
  );
  for (const name of callables) {
    it(`${name}: no internal error for generated data`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            jsonValue,
            fc.record({
              chatId: fc.oneof(fc.constant(direct), weird),
              number: fc.oneof(fc.integer(), weird),
              text: weird,
              toChatId: weird,
              inviteCode: weird,
            }),
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
        { numRuns: 6 },
      );
    }, 120_000);
  }
});

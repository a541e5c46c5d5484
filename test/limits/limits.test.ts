import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_ACTION_RATES, type LimitedAction } from "../../functions/src/shared/action-limits.js";
import { heartbeat, PresenceWrites } from "../../functions/src/presence/heartbeat.js";
import { setTyping } from "../../functions/src/presence/typing.js";
import { TokenBuckets } from "../../functions/src/shared/token-bucket.js";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send, type ApiResponse } from "../helpers/api.js";
import { callFailure, clientFor, type Client } from "../helpers/client.js";
import { signUpMany, signUpUnlimited, type TestUser } from "../helpers/users.js";

// Limits that hold across instances: every count lives in Firestore, so REST and callables,
// and every instance, share it. The emulator keeps the default limits (SEND_RATE_LIMIT 10/s,
// SEND_RATE_BURST 20; shared/action-limits.ts for the rest).
const SEND = { perSecond: 10, burst: 20 };
/** Calls in flight at once in a burst: enough to outrun the bucket's refill, few enough to warm. */
const LANES = 6;
const clients: Client[] = [];
afterAll(async () => Promise.all(clients.map((client) => client.close())));

async function callerOf(user: TestUser): Promise<Client> {
  const client = await clientFor(user);
  clients.push(client);
  return client;
}

/** What a burst of calls came to: accepted, refused as too fast, and how long it took (ms). */
interface Burst {
  accepted: number;
  refused: number;
  other: string[];
  elapsedMs: number;
}

/**
 * Runs `calls` (each: true accepted, false refused with a wait, else a description), at most
 * `lanes` at a time, and counts. The Functions emulator starts a worker process per request in
 * flight (1.2-1.7 s each, ../shared/notes/emulators.md), so a few lanes of warm workers make a
 * burst; 30 cold ones at once took past the callable SDK's 70 s deadline on a CI machine.
 */
async function burst(calls: (() => Promise<boolean | string>)[], lanes: number): Promise<Burst> {
  const started = Date.now();
  const outcomes: (boolean | string)[] = [];
  const queue = [...calls];
  const lane = async () => {
    for (let call = queue.shift(); call; call = queue.shift()) outcomes.push(await call());
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return {
    accepted: outcomes.filter((outcome) => outcome === true).length,
    refused: outcomes.filter((outcome) => outcome === false).length,
    other: outcomes.filter((outcome): outcome is string => typeof outcome === "string"),
    elapsedMs: Date.now() - started,
  };
}

/** Starts `lanes` workers of `api` and of `sendMessage` with refused sends, which use no tokens. */
async function warmSendWorkers(user: TestUser, viaCallable: Client, lanes: number): Promise<void> {
  const refusals = await Promise.all(
    Array.from({ length: lanes }, async () => [
      (await api(user, "POST", "/chats/no-such-chat/messages", { body: {} })).status,
      (await callFailure(viaCallable.call("sendMessage", {}))).code,
    ]),
  );
  expect(new Set(refusals.flat())).toEqual(new Set([400, "functions/invalid-argument"]));
}

/** A REST answer: `true` for `ok`, `false` for 429 resource-exhausted with Retry-After. */
function restOutcome(response: ApiResponse, ok: number): boolean | string {
  if (response.status === ok) return true;
  const error = (response.body as { error?: { code?: string } }).error;
  if (response.status === 429 && error?.code === "resource-exhausted" && Number(response.retryAfter) >= 1) return false;
  return `${response.status} ${JSON.stringify(response.body)}`;
}

/** A callable's outcome: `true` when it answered, `false` for resource-exhausted with the wait. */
async function callableOutcome(call: Promise<unknown>): Promise<boolean | string> {
  try {
    await call;
    return true;
  } catch (error) {
    const { code, details } = error as { code?: string; details?: { retryAfterSeconds?: number } };
    if (code === "functions/resource-exhausted" && (details?.retryAfterSeconds ?? 0) >= 1) return false;
    return String(error);
  }
}

/** The most a token bucket lets through in `elapsedMs`: its burst, what refilled, one for rounding. */
const mostAllowed = (rate: { perSecond: number; burst: number }, elapsedMs: number) =>
  rate.burst + Math.floor((rate.perSecond * elapsedMs) / 1000) + 1;

describe("limits across instances: sends", () => {
  it("when a user sends 60 messages at once into a 1:1 chat through REST and callables, then one count refuses what is over the bucket, and the numbers stay gapless", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const chatId = await createChat(alice, bob);
    const otherChat = await createChat(alice, carol);
    const viaCallable = await callerOf(alice);
    await warmSendWorkers(alice, viaCallable, LANES);

    const result = await burst(
      Array.from({ length: 60 }, (_, i) =>
        i % 2 === 0
          ? async () => restOutcome(await api(alice, "POST", `/chats/${chatId}/messages`, { body: { text: `m${i}` } }), 201)
          : () => callableOutcome(viaCallable.call("sendMessage", { chatId, text: `m${i}` })),
      ),
      LANES,
    );

    expect(result.other).toEqual([]);
    expect(result.accepted).toBeGreaterThanOrEqual(SEND.burst);
    expect(result.accepted).toBeLessThanOrEqual(mostAllowed(SEND, result.elapsedMs));
    expect(result.accepted + result.refused).toBe(60);
    const numbers = (await adminDb().collection(`chats/${chatId}/messages`).get()).docs.map((doc) => doc.data().number);
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: result.accepted }, (_, i) => i + 1));
    // The bucket is the chat's: the same user's other chat is untouched.
    expect((await send(alice, otherChat, "elsewhere")).number).toBe(1);
  }, 180_000);

  it("when a room member sends 40 messages at once, then their member doc's bucket refuses what is over it", async () => {
    const [host] = await signUpMany("Host");
    const room = await api<{ chat: { id: string } }>(host, "POST", "/rooms", { body: { title: "Fast talkers" } });
    const chatId = room.body.chat.id;

    const result = await burst(
      Array.from(
        { length: 40 },
        (_, i) => async () => restOutcome(await api(host, "POST", `/chats/${chatId}/messages`, { body: { text: `r${i}` } }), 201),
      ),
      LANES,
    );

    expect(result.other).toEqual([]);
    expect(result.accepted).toBeGreaterThanOrEqual(SEND.burst);
    expect(result.accepted).toBeLessThanOrEqual(mostAllowed(SEND, result.elapsedMs));
    const member = (await adminDb().doc(`chats/${chatId}/members/${host.uid}`).get()).data();
    expect(member?.sendRate).toMatchObject({ tokens: expect.any(Number), at: expect.any(Number) });
  });

  it("when a user with the unlimited claim sends 60 messages at once, then all are accepted", async () => {
    const [bot, bob] = await signUpUnlimited("Bot", "Bob");
    const chatId = await createChat(bot, bob);

    const result = await burst(
      Array.from(
        { length: 60 },
        (_, i) => async () => restOutcome(await api(bot, "POST", `/chats/${chatId}/messages`, { body: { text: `b${i}` } }), 201),
      ),
      LANES,
    );

    expect(result).toMatchObject({ accepted: 60, refused: 0, other: [] });
  });
});

describe("limits across instances: other writes", () => {
  it("when a user changes room memberships through REST and callables, then the 11th change in a row is refused by either", async () => {
    const [host, joiner] = await signUpMany("Host", "Joiner");
    const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", {
      body: { title: "Revolving door" },
    });
    const viaCallable = await callerOf(joiner);
    const { inviteCode } = room.body;
    const chatId = room.body.chat.id;
    const { burst: changes } = DEFAULT_ACTION_RATES.membership;

    const result = await burst(
      Array.from({ length: changes }, (_, i) =>
        i % 2 === 0
          ? async () => restOutcome(await api(joiner, "POST", "/rooms/join", { body: { inviteCode } }), 200)
          : () => callableOutcome(viaCallable.call("leaveRoom", { chatId })),
      ),
      1,
    );
    const overByRest = await api(joiner, "POST", "/rooms/join", { body: { inviteCode } });
    const overByCallable = await callFailure(viaCallable.call("joinRoom", { inviteCode }));

    expect(result).toMatchObject({ accepted: changes, refused: 0, other: [] });
    expect(restOutcome(overByRest, 200)).toBe(false);
    expect(overByCallable).toMatchObject({
      code: "functions/resource-exhausted",
      details: { retryAfterSeconds: expect.any(Number) },
    });
    // Refused changes change nothing: the joiner left last, and is still out.
    expect((await adminDb().doc(`chats/${chatId}/members/${joiner.uid}`).get()).exists).toBe(false);
  });

  it("when a user reports six messages, then the sixth report is refused", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    for (let i = 1; i <= 6; i++) await send(alice, chatId, `rude ${i}`);
    const viaCallable = await callerOf(bob);

    const result = await burst(
      Array.from({ length: 6 }, (_, i) =>
        i % 2 === 0
          ? async () =>
              restOutcome(await api(bob, "POST", `/chats/${chatId}/messages/${i + 1}/report`, { body: { reason: "rude" } }), 201)
          : () => callableOutcome(viaCallable.call("reportMessage", { chatId, number: i + 1, reason: "rude" })),
      ),
      1,
    );

    expect(result).toMatchObject({ accepted: DEFAULT_ACTION_RATES.reports.burst, refused: 1, other: [] });
    expect((await adminDb().collection("reports").where("chatId", "==", chatId).get()).size).toBe(5);
  });

  const classes: {
    action: LimitedAction;
    call: (user: TestUser, chatId: string, i: number) => Promise<ApiResponse>;
    ok: number;
  }[] = [
    {
      action: "reactions",
      call: (user, chatId, i) =>
        api(user, i % 2 ? "DELETE" : "PUT", `/chats/${chatId}/messages/1/reactions/${encodeURIComponent("👍")}`),
      ok: 200,
    },
    {
      action: "edits",
      // Two messages take turns, so no message nears MAX_MESSAGE_EDITS (20) however much the
      // bucket refills while the burst runs.
      call: (user, chatId, i) => api(user, "PATCH", `/chats/${chatId}/messages/${(i % 2) + 1}`, { body: { text: `v${i}` } }),
      ok: 200,
    },
    { action: "searches", call: (user, chatId, i) => api(user, "GET", `/chats/${chatId}/messages?q=word${i}`), ok: 200 },
    {
      action: "settings",
      call: (user, chatId, i) => api(user, "POST", `/chats/${chatId}/${i % 2 ? "unmute" : "mute"}`),
      ok: 200,
    },
  ];
  it.each(classes)(
    "when a user makes 15 more $action than the burst in a row, then what is over the bucket is refused",
    async ({ action, call, ok }) => {
      const [alice, bob] = await signUpMany("Alice", "Bob");
      const chatId = await createChat(alice, bob);
      await send(alice, chatId, "word");
      await send(alice, chatId, "second word");
      const rate = DEFAULT_ACTION_RATES[action];

      const result = await burst(
        Array.from({ length: rate.burst + 15 }, (_, i) => async () => restOutcome(await call(alice, chatId, i), ok)),
        1,
      );

      expect(result.other).toEqual([]);
      expect(result.accepted).toBeGreaterThanOrEqual(rate.burst);
      expect(result.accepted).toBeLessThanOrEqual(mostAllowed(rate, result.elapsedMs));
    },
  );
});

describe("limits across instances: typing and heartbeats", () => {
  it("when two instances take a user's heartbeats within 30 s, then only the first writes presence", async () => {
    const [alice] = await signUpMany("Alice");
    const now = new Date();

    const first = await heartbeat(adminDb(), { now, uid: alice.uid, online: true, writes: new PresenceWrites() });
    const second = await heartbeat(adminDb(), {
      now: new Date(now.getTime() + 1_000),
      uid: alice.uid,
      online: true,
      writes: new PresenceWrites(),
    });
    const stateChange = await heartbeat(adminDb(), {
      now: new Date(now.getTime() + 2_000),
      uid: alice.uid,
      online: false,
      writes: new PresenceWrites(),
    });

    expect([first.written, second.written, stateChange.written]).toEqual([true, false, true]);
    expect((await adminDb().doc(`presence/${alice.uid}`).get()).data()).toMatchObject({ online: false });
  });

  it("when a non-member says they are typing twice in a row, then both calls are refused", async () => {
    const [alice, bob, eve] = await signUpMany("Alice", "Bob", "Eve");
    const chatId = await createChat(alice, bob);
    const instance = new TokenBuckets(1 / 3, 1);

    const first = setTyping(adminDb(), { now: new Date(), uid: eve.uid, chatId, typing: true, local: instance });
    await expect(first).rejects.toMatchObject({ code: "not-found" });
    const second = setTyping(adminDb(), { now: new Date(), uid: eve.uid, chatId, typing: true, local: instance });
    await expect(second).rejects.toMatchObject({ code: "not-found" });
    expect((await api(eve, "POST", `/chats/${chatId}/typing`, { body: {} })).status).toBe(404);
  });
});

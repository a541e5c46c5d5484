import { afterAll, describe, expect, it } from "vitest";
import { tokenHash } from "../../functions/src/devices/token-hash.js";
import { fanOutMessage } from "../../functions/src/push/fan-out.js";
import { isTransient } from "../../functions/src/shared/failures.js";
import { adminDb } from "../helpers/admin.js";
import { fakeFcm, seedDevice, type FcmBehaviour } from "../helpers/fake-fcm.js";
import { deliverUntilDone, faultPlan } from "../helpers/faults.js";
import { dropRoom, seedRoom, sendWithoutTriggers } from "../helpers/rooms.js";

// Fault test 3 (README, "When a function fails"): FCM fails transiently (unavailable, internal,
// timeouts) on 30% of sends, and refuses some tokens for good. The room's fan-out is delivered
// again after every failure, as the runtime does for a trigger with retries on.

const seeded: { chatId: string; members: string[] }[] = [];
afterAll(async () => {
  for (const room of seeded) await dropRoom(room);
});

const TRANSIENT = ["messaging/server-unavailable", "messaging/internal-error"];
const DEAD = ["messaging/registration-token-not-registered", "messaging/invalid-argument"];

/** A room of 600 with two devices per member, the `dead-` ones refused for good, and its message. */
async function roomWithDevices(tag: string) {
  const room = await seedRoom(600);
  seeded.push(room);
  const { chatId, members } = room;
  const tokens = members.slice(1, 121).flatMap((uid, i) => [`${tag}-a-${uid}`, `${i % 10 === 0 ? "dead" : tag}-b-${uid}`]);
  await Promise.all(tokens.map((token) => seedDevice(token.slice(token.lastIndexOf("-") + 1), token)));
  const message = await sendWithoutTriggers(chatId, members[0], "push me");
  return { chatId, message, tokens };
}

/**
 * FCM as this test has it: dead tokens refused for good, 30% of the others refused transiently,
 * some calls failing. Faults are keyed by a token's place in `tokens` and an event id without the
 * room's random id, so every run of the test meets the same ones.
 */
function flakyFcm(
  seed: string,
  room: { chatId: string; tokens: string[] },
  call: (eventKey: string) => ReturnType<NonNullable<FcmBehaviour["call"]>>,
) {
  const flaky = faultPlan(0.3, seed);
  return fakeFcm({
    answer: (token) => {
      const place = room.tokens.indexOf(token);
      if (token.startsWith("dead-")) return DEAD[place % 2];
      return flaky(`token-${place}`) ? TRANSIENT[place % 2] : "ok";
    },
    call: (eventId) => call(eventId.replace(room.chatId, "room")),
  });
}

describe("fault: FCM fails transiently on 30% of sends", () => {
  it("when sends and whole calls fail transiently, then each live device gets exactly one push, and only dead tokens are removed", async () => {
    const room = await roomWithDevices("live");
    const { chatId, message, tokens } = room;
    // Every page's first call times out, and 20% of the later ones.
    const timeouts = faultPlan(0.2, "timeouts");
    const seen = new Set<string>();
    const fcm = flakyFcm("per-message", room, (event) =>
      (!seen.has(event) && seen.add(event)) || timeouts(event) ? "timeout" : "ok",
    );

    const deliveries = await deliverUntilDone(
      () => fanOutMessage(adminDb(), new Date(), fcm.transport, { chatId, message }),
      isTransient,
    );

    const live = tokens.filter((token) => !token.startsWith("dead-"));
    const dead = tokens.filter((token) => token.startsWith("dead-"));
    console.info(`fault test 3: ${JSON.stringify({ deliveries, ...fcm.calls, live: live.length, dead: dead.length })}`);
    expect(fcm.calls.refused).toBeGreaterThan(dead.length);
    expect(fcm.calls.timedOut).toBeGreaterThan(0);
    expect(live.filter((token) => fcm.accepted.get(token) !== 1)).toEqual([]);
    const deviceIds = async (list: string[]) =>
      (await adminDb().getAll(...list.map((token) => adminDb().doc(`device-tokens/${tokenHash(token)}`)))).filter(
        (snap) => snap.exists,
      ).length;
    expect(await deviceIds(live)).toBe(live.length);
    expect(await deviceIds(dead)).toBe(0);
  }, 180_000);

  it("when FCM's answer is lost after it accepted a call, then the retried call pushes again only to that call's devices", async () => {
    const room = await roomWithDevices("lost");
    const { chatId, message, tokens } = room;
    // Every page's first call loses FCM's answer, and 30% of the later ones.
    const lost = faultPlan(0.3, "lost-answers");
    const seen = new Set<string>();
    const lostCalls: number[] = [];
    const fcm = flakyFcm("lost-per-message", room, (event) =>
      (!seen.has(event) && seen.add(event)) || lost(event) ? "lost-answer" : "ok",
    );
    const counting = fcm.transport;
    fcm.transport = async (messages, context) => {
      const before = fcm.calls.accepted;
      try {
        return await counting(messages, context);
      } catch (error) {
        lostCalls.push(fcm.calls.accepted - before);
        throw error;
      }
    };

    await deliverUntilDone(() => fanOutMessage(adminDb(), new Date(), fcm.transport, { chatId, message }), isTransient);

    const live = tokens.filter((token) => !token.startsWith("dead-"));
    const twice = live.filter((token) => (fcm.accepted.get(token) ?? 0) > 1);
    const acceptedInLostCalls = lostCalls.reduce((sum, n) => sum + n, 0);
    console.info(
      `fault test 3 (lost answers): ${JSON.stringify({ lostCalls: lostCalls.length, acceptedInLostCalls, pushedTwiceOrMore: twice.length, live: live.length })}`,
    );
    expect(lostCalls.length).toBeGreaterThan(0);
    expect(live.filter((token) => (fcm.accepted.get(token) ?? 0) < 1)).toEqual([]);
    const extra = live.reduce((sum, token) => sum + (fcm.accepted.get(token) ?? 0) - 1, 0);
    expect(extra).toBe(acceptedInLostCalls);
  }, 180_000);
});

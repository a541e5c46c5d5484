import { afterAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api } from "../helpers/api.js";
import { backgroundTriggers, testPort } from "../helpers/emulators.js";
import { serveApi, type ServedFunction } from "../helpers/framework.js";
import { signUpMany, type TestUser } from "../helpers/users.js";

// Fault test 1 (README, "When a function fails"): `api` served as Cloud Run serves it (the
// Functions Framework: one process, concurrent requests) is killed with SIGKILL at random
// moments while five clients send into one room, each retrying a send that failed or got no
// answer, with the same clientMessageId, until it is acknowledged. Nothing may be lost or stored
// twice, and the message numbers stay gapless.

const CLIENTS = 5;
const MESSAGES_PER_CLIENT = 200;
const KILLS = 6;
const port = testPort(8440);

let served: ServedFunction | undefined;
/** Set when the test ends, however it ends: the killer stops restarting the api. */
let ended = false;
afterAll(async () => {
  ended = true;
  await served?.kill();
  await backgroundTriggers("enable");
});

/** The counts this test reports (README, "Fault tests"). */
const counts = { kills: 0, failedAttempts: 0, retriedAcks: 0, acks: 0 };

/** One acknowledged send: the client's id and the message number the API answered. */
interface Ack {
  clientMessageId: string;
  number: number;
}

/** Sends `text` until the API acknowledges it (201, or 200 for a retry it recognised). */
async function sendUntilAcked(user: TestUser, chatId: string, clientMessageId: string): Promise<Ack> {
  for (;;) {
    const base = `http://127.0.0.1:${port}/v1`;
    try {
      const response = await fetch(`${base}/chats/${chatId}/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
        body: JSON.stringify({ text: `message ${clientMessageId}`, clientMessageId }),
        signal: AbortSignal.timeout(10_000),
      });
      if (response.status === 200 || response.status === 201) {
        if (response.status === 200) counts.retriedAcks++;
        counts.acks++;
        const body = (await response.json()) as { message: { number: number } };
        return { clientMessageId, number: body.message.number };
      }
      // 5xx: the process died while answering; 409 `aborted`: the send lost its race too often.
      if (response.status !== 409) expect(response.status).toBeGreaterThanOrEqual(500);
    } catch (error) {
      // The process died mid-request, or is not up yet: no answer.
      if (!(error instanceof Error) || (error.name !== "TypeError" && error.name !== "TimeoutError")) throw error;
    }
    counts.failedAttempts++;
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
  }
}

/** Kills the served api `KILLS` times, 0.5-2.5 s apart, restarting it each time. */
async function killRepeatedly(done: () => boolean): Promise<void> {
  while (counts.kills < KILLS && !done() && !ended) {
    await new Promise((resolve) => setTimeout(resolve, 500 + Math.random() * 2_000));
    if (done() || ended) return;
    await served?.kill();
    counts.kills++;
    served = await serveApi(port, { SEND_RATE_LIMIT: "0" });
  }
}

describe("fault: the api process is killed while clients send", () => {
  it("when api is SIGKILLed at random moments during 1,000 retried sends, then every acknowledged message is stored once, every message is stored, and numbers are gapless", async () => {
    const [host, ...senders] = await signUpMany("Host", "Ann", "Ben", "Cat", "Dan", "Eve");
    const created = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Kill" } });
    const roomId = created.body.chat.id;
    for (const sender of senders) await api(sender, "POST", "/rooms/join", { body: { inviteCode: created.body.inviteCode } });
    // The request path is under test; 1,000 fan-outs would only load the emulator.
    await backgroundTriggers("disable");
    served = await serveApi(port, { SEND_RATE_LIMIT: "0" });

    let finished = 0;
    const sending = senders.slice(0, CLIENTS).map(async (sender, client) => {
      const acks: Ack[] = [];
      for (let i = 0; i < MESSAGES_PER_CLIENT; i++) acks.push(await sendUntilAcked(sender, roomId, `c${client}-${i}`));
      finished++;
      return acks;
    });
    const killing = killRepeatedly(() => finished === CLIENTS);
    // Progress, so that a slow run shows where it is.
    const progress = setInterval(() => console.info(`fault test 1, so far: ${JSON.stringify(counts)}`), 15_000);
    // A restart that fails fails the test at once, rather than leaving the clients no server.
    const [acks] = await Promise.all([Promise.all(sending).then((each) => each.flat()), killing]).finally(() =>
      clearInterval(progress),
    );

    const stored = (await adminDb().collection(`chats/${roomId}/messages`).orderBy("number").get()).docs.map((doc) => doc.data());
    const room = (await adminDb().doc(`chats/${roomId}`).get()).data();
    const sent = stored.filter((message) => message.type === "text");
    const ids = sent.map((message) => message.clientMessageId as string);
    console.info(`fault test 1: ${JSON.stringify({ ...counts, acks: acks.length, stored: sent.length })}`);

    expect(counts.kills).toBeGreaterThanOrEqual(5);
    expect(acks).toHaveLength(CLIENTS * MESSAGES_PER_CLIENT);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(acks.map((ack) => ack.clientMessageId).sort());
    const numberOf = new Map(sent.map((message) => [message.clientMessageId as string, message.number as number]));
    expect(acks.filter((ack) => numberOf.get(ack.clientMessageId) !== ack.number)).toEqual([]);
    expect(stored.map((message) => message.number)).toEqual(stored.map((_, i) => i + 1));
    expect(room?.messageCount).toBe(stored.length);
  }, 600_000);
});

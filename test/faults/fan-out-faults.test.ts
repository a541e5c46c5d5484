import { afterAll, describe, expect, it } from "vitest";
import { fanOutMessage, sweepFanOuts } from "../../functions/src/push/fan-out.js";
import { isTransient } from "../../functions/src/shared/failures.js";
import type { FanOutDoc } from "../../functions/src/shared/model.js";
import { adminDb } from "../helpers/admin.js";
import { fakeFcm, seedDevice } from "../helpers/fake-fcm.js";
import { deliverUntilDone, faultPlan, faultyFirestore, type CommitFault } from "../helpers/faults.js";
import { dropRoom, seedRoom, sendWithoutTriggers } from "../helpers/rooms.js";

// Fault test 2 (README, "When a function fails"): a room's fan-out whose writes fail at random,
// before or after they land (a Firestore deadline, a lost answer, an instance that died), and
// whose FCM calls fail at random, with the event delivered again after every failure as the
// runtime does for a trigger with retries on. The handler runs in this process, on the emulator,
// through a Firestore that injects the failures.

const MEMBERS = 2_000;
const FAULT_RATE = 0.3;
const seeded: { chatId: string; members: string[] }[] = [];
afterAll(async () => {
  for (const room of seeded) await dropRoom(room);
});

describe("fault: a room's fan-out fails at random and is delivered again", () => {
  it("when 30% of its commits and FCM calls fail, then every member is told and badged exactly once, pushed at most once, and the markers show the attempts", async () => {
    const room = await seedRoom(MEMBERS);
    seeded.push(room);
    const { chatId, members } = room;
    // 650 counted members: 3 ranges of about 670, two pages each.
    await adminDb().doc(`chats/${chatId}`).update({ memberCount: 650 });
    const withDevices = members.filter((_, i) => i % 25 === 1);
    for (const uid of withDevices) await seedDevice(uid, `token-${uid}`);
    const message = await sendWithoutTriggers(chatId, members[0], "to all");

    const fails = faultPlan(FAULT_RATE, "fan-out");
    const late = faultPlan(0.5, "fan-out-late");
    // Faults are keyed without the room's random id, so every run of the test meets the same ones.
    const stable = (key: string) => key.replace(chatId, "room");
    const faulty = faultyFirestore(adminDb(), (path): CommitFault => {
      const key = stable(path);
      return fails(key) ? (late(key) ? "after" : "before") : null;
    });
    const callFails = faultPlan(FAULT_RATE, "fcm-call");
    const fcm = fakeFcm({ answer: () => "ok", call: (eventId) => (callFails(stable(eventId)) ? "timeout" : "ok") });
    const deliveries = await deliverUntilDone(
      () => fanOutMessage(faulty.db, new Date(), fcm.transport, { chatId, message }),
      isTransient,
    );

    const others = members.slice(1);
    const toldTimes = new Map<string, number>();
    for (const paths of faulty.log.landed) {
      for (const path of paths)
        if (path.startsWith("users-external-event/"))
          toldTimes.set(path.split("/")[1], (toldTimes.get(path.split("/")[1]) ?? 0) + 1);
    }
    const markers = (await adminDb().collection("fan-outs").where("chatId", "==", chatId).get()).docs.map(
      (doc) => doc.data() as FanOutDoc,
    );
    const report = {
      deliveries,
      commitsFailedBefore: faulty.log.failedBefore,
      commitsFailedAfter: faulty.log.failedAfter,
      fcmCallsFailed: fcm.calls.timedOut,
      attempts: markers.map((marker) => marker.attempts),
    };
    console.info(`fault test 2: ${JSON.stringify(report)}`);

    expect(others.filter((uid) => toldTimes.get(uid) !== 1)).toEqual([]);
    // The sender is not told; their badge only reads up to their own message.
    const sender = (await adminDb().doc(`users-external-event/${members[0]}`).get()).data();
    expect([sender?.lastEvent ?? null, sender?.unreadTotal ?? 0]).toEqual([null, 0]);
    const events = await adminDb().getAll(...others.map((uid) => adminDb().doc(`users-external-event/${uid}`)));
    expect(
      events.filter((snap) => snap.get("lastEvent.number") !== message.number || snap.get("lastEvent.chatId") !== chatId),
    ).toEqual([]);
    // The message is on each member's app badge once, however often its pages were tried.
    expect(events.filter((snap) => snap.get("unreadTotal") !== 1).map((snap) => snap.id)).toEqual([]);
    expect(markers.map((marker) => [marker.range, marker.state]).sort()).toEqual([
      [0, "done"],
      [1, "done"],
      [2, "done"],
    ]);
    expect(markers.reduce((sum, marker) => sum + marker.events, 0)).toBe(MEMBERS - 1);
    expect(Math.max(...report.attempts)).toBeGreaterThan(1);
    expect(faulty.log.failedBefore + faulty.log.failedAfter).toBeGreaterThan(0);
    expect(fcm.calls.timedOut).toBeGreaterThan(0);
    expect(withDevices.filter((uid) => uid !== members[0] && fcm.accepted.get(`token-${uid}`) !== 1)).toEqual([]);
  }, 180_000);
});

describe("fault: a fan-out whose runs died is re-driven by the sweep", () => {
  it("when a range failed and another was left pending by a run that died, then the sweep finishes both once their lease is over", async () => {
    const room = await seedRoom(700);
    seeded.push(room);
    const { chatId, members } = room;
    const message = await sendWithoutTriggers(chatId, members[0], "swept");
    // Every page commit fails: both ranges end `failed`, to be retried after a minute.
    const down = faultyFirestore(adminDb(), (key): CommitFault =>
      key.startsWith("fan-outs/") && !key.endsWith("-0") ? "before" : null,
    );
    const fcm = fakeFcm({ answer: () => "ok" });
    const first = fanOutMessage(down.db, new Date(), fcm.transport, { chatId, message });
    await expect(first).rejects.toThrow("2 of 3 fan-out ranges failed");
    const failed = (await adminDb().doc(`fan-outs/${chatId}-${message.number}-1`).get()).data() as FanOutDoc;
    // Range 2 as a run that died leaves it: pending, its lease over.
    const lapsed = new Date(Date.now() - 60_000);
    await adminDb().doc(`fan-outs/${chatId}-${message.number}-2`).update({ state: "pending", leaseUntil: lapsed });
    const marker = async (range: number) =>
      (await adminDb().doc(`fan-outs/${chatId}-${message.number}-${range}`).get()).data() as FanOutDoc;

    // The sweep's query is the whole collection's: other tests' due ranges may be in it too.
    const early = await sweepFanOuts(adminDb(), new Date(), fcm.transport, {
      deadline: new Date(Date.now() + 60_000),
      limit: 50,
    });
    const afterEarly = [await marker(1), await marker(2)];
    const later = new Date(Date.now() + 2 * 60_000);
    const swept = await sweepFanOuts(adminDb(), later, fcm.transport, { deadline: new Date(Date.now() + 60_000), limit: 50 });

    expect(failed).toMatchObject({ state: "failed", attempts: 1, error: { code: "14" } });
    expect(failed.leaseUntil).toBeDefined();
    expect(early.done).toBeGreaterThanOrEqual(1);
    expect(afterEarly.map((doc) => doc.state)).toEqual(["failed", "done"]);
    expect(swept.done).toBeGreaterThanOrEqual(1);
    const markers = (await adminDb().collection("fan-outs").where("chatId", "==", chatId).get()).docs.map(
      (doc) => doc.data() as FanOutDoc,
    );
    expect(markers.map((doc) => [doc.range, doc.state, doc.attempts]).sort()).toEqual([
      [0, "done", 1],
      [1, "done", 2],
      [2, "done", 2],
    ]);
    const events = await adminDb().getAll(...members.slice(1).map((uid) => adminDb().doc(`users-external-event/${uid}`)));
    expect(
      events.filter((snap) => snap.get("lastEvent.number") !== message.number || snap.get("lastEvent.chatId") !== chatId),
    ).toEqual([]);
    // The message is on each member's app badge once, however often its pages were tried.
    expect(events.filter((snap) => snap.get("unreadTotal") !== 1).map((snap) => snap.id)).toEqual([]);
  }, 120_000);
});

describe("fault: one event delivered twice at once", () => {
  it("when two runs of one fan-out start together in a room made before rosters, then each member is told exactly once and the loser takes over nothing twice", async () => {
    const room = await seedRoom(900, [], { rosters: false });
    seeded.push(room);
    const { chatId, members } = room;
    const message = await sendWithoutTriggers(chatId, members[0], "twice at once");
    const counted = faultyFirestore(adminDb(), () => null);
    const fcm = fakeFcm({ answer: () => "ok" });

    const runs = await Promise.allSettled([
      fanOutMessage(counted.db, new Date(), fcm.transport, { chatId, message }),
      fanOutMessage(counted.db, new Date(), fcm.transport, { chatId, message }),
    ]);
    // A run that lost a race may have to be delivered again; the runtime would.
    if (runs.some((run) => run.status === "rejected")) {
      await deliverUntilDone(() => fanOutMessage(counted.db, new Date(), fcm.transport, { chatId, message }), isTransient);
    }
    expect(runs.filter((run) => run.status === "rejected" && !isTransient(run.reason))).toEqual([]);

    const toldTimes = new Map<string, number>();
    for (const paths of counted.log.landed) {
      for (const path of paths) if (path.startsWith("users-external-event/")) toldTimes.set(path, (toldTimes.get(path) ?? 0) + 1);
    }
    expect(members.slice(1).filter((uid) => toldTimes.get(`users-external-event/${uid}`) !== 1)).toEqual([]);
    const markers = (await adminDb().collection("fan-outs").where("chatId", "==", chatId).get()).docs.map(
      (doc) => doc.data() as FanOutDoc,
    );
    expect(markers.map((marker) => marker.state)).toEqual(["done", "done", "done"]);
    expect(markers.reduce((sum, marker) => sum + marker.events, 0)).toBe(899);
  }, 120_000);
});

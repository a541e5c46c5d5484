import type { BatchResponse, TokenMessage } from "firebase-admin/messaging";
import { describe, expect, it } from "vitest";
import { tokenHash } from "../../functions/src/devices/token-hash.js";
import { postSystemMessage } from "../../functions/src/timeline/system-message.js";
import { deliverPush } from "../../functions/src/push/deliver-push.js";
import { fanOutMessage } from "../../functions/src/push/fan-out.js";
import { outboxTransport, type PushTransport } from "../../functions/src/push/transport.js";
import { BadgeEdit, isRoomId } from "../../functions/src/timeline/badge.js";
import type { MessageDoc } from "../../functions/src/shared/model.js";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { seedDevice } from "../helpers/fake-fcm.js";
import { dropRoom, seedRoom, sendWithoutTriggers } from "../helpers/rooms.js";
import { png, upload } from "../helpers/files.js";
import { signUpMany, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

const register = (user: TestUser, token: string, platform = "android") =>
  api(user, "POST", "/devices", { body: { token, platform } });

/** The outbox entries of message `number` once its push trigger has run. */
async function pushesFor(chatId: string, number: number) {
  await eventually(async () => {
    const handled = await adminDb().collection("push-events").where("chatId", "==", chatId).where("number", "==", number).get();
    if (!handled.docs.some((doc) => doc.get("finishedAt")))
      throw new Error(`the push trigger has not finished message ${number}`);
  });
  const outbox = await adminDb().collection("push-outbox").where("chatId", "==", chatId).where("number", "==", number).get();
  return outbox.docs.map((doc) => doc.data() as { uid: string; message: TokenMessage & Record<string, unknown> });
}

const messageDoc = async (chatId: string, number: number) =>
  (
    await adminDb()
      .doc(`chats/${chatId}/messages/${String(number).padStart(10, "0")}`)
      .get()
  ).data() as MessageDoc;

describe("push trigger (outbox under the emulator)", () => {
  it("when a message is sent, then each device of the recipient gets exactly the FCM message, and the sender's devices none", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await register(bob, `bob-phone-${bob.uid}`, "ios");
    await register(bob, `bob-tablet-${bob.uid}`, "android");
    await register(alice, `alice-phone-${alice.uid}`);

    await send(alice, chatId, "Are you coming tonight?");
    const pushes = await pushesFor(chatId, 1);

    expect(pushes.map((push) => push.uid)).toEqual([bob.uid, bob.uid]);
    expect(pushes.map((push) => push.message.token).sort()).toEqual([`bob-phone-${bob.uid}`, `bob-tablet-${bob.uid}`]);
    expect(pushes[0].message).toEqual({
      token: pushes[0].message.token,
      notification: { title: alice.displayName, body: "Are you coming tonight?" },
      data: { chatId, number: "1", type: "text", unreadTotal: "1" },
      android: { priority: "high", notification: { tag: chatId, notificationCount: 1 } },
      apns: { payload: { aps: { threadId: chatId, badge: 1, sound: "default" } } },
    });
  });

  it("when a photo or a file is sent, then the notification says Photo or File", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await register(alice, `alice-${alice.uid}`);

    await upload(bob, chatId, { bytes: await png(400, 300), filename: "a.png", text: "look at this" });
    await upload(bob, chatId, { bytes: Buffer.from("report"), filename: "report.txt" });

    expect((await pushesFor(chatId, 1))[0].message).toMatchObject({ notification: { body: "Photo" }, data: { type: "image" } });
    expect((await pushesFor(chatId, 2))[0].message).toMatchObject({ notification: { body: "File" }, data: { type: "file" } });
  });

  it("when the recipient muted the chat, then nothing is pushed until they unmute", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await register(bob, `bob-${bob.uid}`);
    await api(bob, "POST", `/chats/${chatId}/mute`, { body: {} });

    await send(alice, chatId, "muted one");
    expect(await pushesFor(chatId, 1)).toEqual([]);

    await api(bob, "POST", `/chats/${chatId}/unmute`);
    await send(alice, chatId, "heard one");
    expect((await pushesFor(chatId, 2)).map((push) => push.uid)).toEqual([bob.uid]);
  });

  it("when a mute has expired, then pushes flow again", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await register(bob, `bob-${bob.uid}`);
    await adminDb()
      .doc(`user-settings/${bob.uid}`)
      .set({ direct: { [chatId]: { mutedUntil: new Date(Date.now() - 1000) } } }, { merge: true });

    await send(alice, chatId, "after the mute");

    expect((await pushesFor(chatId, 1)).map((push) => push.uid)).toEqual([bob.uid]);
  });

  it("when the same event is delivered twice, then the second delivery sends nothing", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await register(bob, `bob-${bob.uid}`);
    await send(alice, chatId, "once only");
    const message = await messageDoc(chatId, 1);
    const eventId = `redelivered-${chatId}`;
    const transport = outboxTransport(adminDb(), new Date());

    const first = await deliverPush(adminDb(), new Date(), transport, { id: eventId, chatId, message });
    const second = await deliverPush(adminDb(), new Date(), transport, { id: eventId, chatId, message });

    expect(first).toEqual({ duplicate: false, sent: 1, failed: 0, removedDevices: 0 });
    expect(second).toEqual({ duplicate: true, sent: 0, failed: 0, removedDevices: 0 });
    const entries = await adminDb().collection("push-outbox").where("eventId", "==", eventId).get();
    expect(entries.size).toBe(1);
  });

  it("when FCM reports tokens dead or busy, then dead devices are removed, busy ones retried by the redelivery, and none pushed twice", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const tokens = {
      good: `good-${bob.uid}`,
      unregistered: `stale-${bob.uid}`,
      invalid: `garbled-${bob.uid}`,
      rejected: `rejected-${bob.uid}`,
      busy: `busy-${bob.uid}`,
    };
    for (const token of Object.values(tokens)) await register(bob, token);
    await send(alice, chatId, "ping");
    // Answers in the shape and with the codes of the real Messaging.sendEach; `busy` is
    // unavailable on the first delivery only.
    const fcmCodes: Record<string, string> = {
      [tokens.unregistered]: "messaging/registration-token-not-registered",
      [tokens.invalid]: "messaging/invalid-argument",
      [tokens.rejected]: "messaging/mismatched-credential",
      [tokens.busy]: "messaging/server-unavailable",
    };
    const accepted: string[] = [];
    const fakeFcm = (messages: TokenMessage[]): Promise<BatchResponse> => {
      const responses = messages.map((message) => {
        const code = fcmCodes[message.token];
        if (!code) {
          accepted.push(message.token);
          return { success: true, messageId: `projects/demo/messages/${message.token}` };
        }
        return { success: false, error: { code, message: code, toJSON: () => ({ code, message: code }) } };
      });
      const failureCount = responses.filter((response) => !response.success).length;
      return Promise.resolve({ responses, successCount: responses.length - failureCount, failureCount });
    };

    const event = { id: `dead-tokens-${chatId}`, chatId, message: await messageDoc(chatId, 1) };
    await expect(deliverPush(adminDb(), new Date(), fakeFcm, event)).rejects.toThrow("1 pushes failed transiently");
    const claim = (await adminDb().doc(`push-events/${event.id}`).get()).data();
    delete fcmCodes[tokens.busy];
    const redelivered = await deliverPush(adminDb(), new Date(), fakeFcm, event);

    expect(claim).toMatchObject({ state: "failed", attempts: 1, sent: 1, failed: 3, removedDevices: 2 });
    expect(redelivered).toEqual({ duplicate: false, sent: 1, failed: 0, removedDevices: 0 });
    expect(accepted.sort()).toEqual([tokens.busy, tokens.good].sort());
    expect((await adminDb().doc(`push-events/${event.id}`).get()).data()).toMatchObject({ state: "done", attempts: 2, sent: 2 });
    const left = (await adminDb().collection(`users/${bob.uid}/devices`).get()).docs.map((doc) => doc.get("token")).sort();
    expect(left).toEqual([tokens.busy, tokens.good, tokens.rejected].sort());
    expect(
      (
        await adminDb()
          .doc(`device-tokens/${tokenHash(tokens.unregistered)}`)
          .get()
      ).exists,
    ).toBe(false);
    expect(
      (
        await adminDb()
          .doc(`device-tokens/${tokenHash(tokens.good)}`)
          .get()
      ).exists,
    ).toBe(true);
  });

  it("when the transport fails as a whole, then the event is not marked handled and a redelivery sends", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await register(bob, `bob-${bob.uid}`);
    await send(alice, chatId, "try again");
    const message = await messageDoc(chatId, 1);
    const eventId = `flaky-${chatId}`;
    const down = (): Promise<BatchResponse> => Promise.reject(new Error("FCM unreachable"));

    await expect(deliverPush(adminDb(), new Date(), down, { id: eventId, chatId, message })).rejects.toThrow("FCM unreachable");
    const outbox = outboxTransport(adminDb(), new Date());
    const retried = await deliverPush(adminDb(), new Date(), outbox, { id: eventId, chatId, message });

    expect(retried).toMatchObject({ duplicate: false, sent: 1 });
  });

  it("when a system message is posted, then no push is sent", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await register(bob, `bob-${bob.uid}`);

    await postSystemMessage(adminDb(), {
      now: new Date(),
      chatId,
      event: { type: "member-left", uid: alice.uid },
      text: "Alice left",
    });

    expect(await pushesFor(chatId, 1)).toEqual([]);
  });
});

/** The app badge a push carries, in each of its three places. */
const badgeOf = ({ message }: { message: TokenMessage }) => ({
  aps: message.apns?.payload?.aps.badge,
  android: message.android?.notification?.notificationCount,
  data: message.data?.unreadTotal,
});
const badge = (total: number) => ({ aps: total, android: total, data: String(total) });
const unreadTotal = async (uid: string) =>
  (await adminDb().doc(`users-external-event/${uid}`).get()).get("unreadTotal") as number;

/** A room made by `host` that `others` joined; its id. */
async function roomOf(host: TestUser, ...others: TestUser[]): Promise<string> {
  const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Badges" } });
  for (const user of others) await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
  return room.body.chat.id;
}

describe("pushes carry the app badge", () => {
  it("when a 1:1 chat's recipient has unread messages, then each push carries their unread total, down again after they read", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await register(bob, `bob-phone-${bob.uid}`, "ios");

    await send(alice, chatId, "one");
    const first = await pushesFor(chatId, 1);
    await send(alice, chatId, "two");
    const second = await pushesFor(chatId, 2);
    await api(bob, "POST", `/chats/${chatId}/read`, { body: { upTo: 2 } });
    await send(alice, chatId, "three");
    const third = await pushesFor(chatId, 3);

    expect(first.map(badgeOf)).toEqual([badge(1)]);
    expect(second.map(badgeOf)).toEqual([badge(2)]);
    expect(third.map(badgeOf)).toEqual([badge(1)]);
    expect(await unreadTotal(bob.uid)).toBe(1);
  });

  it("when a room message fans out, then each member's push carries their own total", async () => {
    const [alice, bob, carol, dave] = await signUpMany("Alice", "Bob", "Carol", "Dave");
    const roomId = await roomOf(alice, bob, carol);
    const direct = await createChat(dave, carol);
    await send(dave, direct, "unread elsewhere");
    await register(alice, `alice-${alice.uid}`, "ios");
    await register(carol, `carol-${carol.uid}`, "android");

    const message = await send(bob, roomId, "Who books the train?");
    const pushes = await pushesFor(roomId, message.number);

    const byUid = Object.fromEntries(pushes.map((push) => [push.uid, badgeOf(push)]));
    expect(byUid).toEqual({ [alice.uid]: badge(1), [carol.uid]: badge(2) });
    expect([await unreadTotal(alice.uid), await unreadTotal(carol.uid)]).toEqual([1, 2]);
  });

  it("when a room's page was told by a run whose push failed, then the redelivery's push reads each member's total", async () => {
    const room = await seedRoom(3);
    const [host, quiet, busy] = room.members;
    try {
      for (const uid of [quiet, busy]) await seedDevice(uid, `token-${uid}`);
      // `busy` has one unread message elsewhere.
      const elsewhere = new BadgeEdit(undefined, isRoomId);
      elsewhere.count("elsewhere", { number: 1, at: Date.now() });
      await adminDb()
        .doc(`users-external-event/${busy}`)
        .set({ notifyNewMessage: true, lastEvent: null, ...elsewhere.fields() });
      const message = await sendWithoutTriggers(room.chatId, host, "told now, pushed later");
      // FCM times out on the first call: the page is told, its push left to the redelivery.
      const sent: { uid: string; message: TokenMessage }[] = [];
      let calls = 0;
      const transport: PushTransport = (messages, { recipients }) => {
        if (calls++ === 0)
          return Promise.reject(Object.assign(new Error("FCM did not answer in time"), { name: "TimeoutError" }));
        sent.push(...messages.map((pushed, i) => ({ uid: recipients[i], message: pushed })));
        const responses = messages.map((_, i) => ({ success: true, messageId: `m${i}` }));
        return Promise.resolve({ responses, successCount: messages.length, failureCount: 0 });
      };

      await expect(fanOutMessage(adminDb(), new Date(), transport, { chatId: room.chatId, message })).rejects.toThrow();
      await fanOutMessage(adminDb(), new Date(), transport, { chatId: room.chatId, message });

      const byUid = Object.fromEntries(sent.map((push) => [push.uid, badgeOf(push)]));
      expect(byUid).toEqual({ [quiet]: badge(1), [busy]: badge(2) });
    } finally {
      await dropRoom(room);
    }
  });

  it("when a thread reply is pushed, then it carries the participant's total with the reply counted", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await register(alice, `alice-${alice.uid}`, "ios");
    const parent = await send(alice, chatId, "lunch?");

    await api(bob, "POST", `/chats/${chatId}/messages`, { body: { threadOf: parent.number, text: "yes" } });
    const pushes = await eventually(async () => {
      const outbox = await adminDb()
        .collection("push-outbox")
        .where("chatId", "==", chatId)
        .where("message.data.threadOf", "==", String(parent.number))
        .get();
      if (outbox.empty) throw new Error("no thread push yet");
      return outbox.docs.map((doc) => doc.data() as { uid: string; message: TokenMessage });
    });

    expect(pushes.map((push) => push.uid)).toEqual([alice.uid]);
    expect(pushes.map(badgeOf)).toEqual([badge(1)]);
    expect(await unreadTotal(alice.uid)).toBe(1);
  });
});

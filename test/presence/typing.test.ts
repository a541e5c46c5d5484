import { describe, expect, it } from "vitest";
import { setTyping } from "../../functions/src/presence/typing.js";
import { TokenBuckets } from "../../functions/src/shared/token-bucket.js";
import { adminDb } from "../helpers/admin.js";
import { api, createChat } from "../helpers/api.js";
import { callFailure, clientFor } from "../helpers/client.js";
import { signUpMany } from "../helpers/users.js";

const typing = (chatId: string) => `/chats/${chatId}/typing`;
/** A fresh instance's memory: no call seen yet. */
const newInstance = () => new TokenBuckets(1 / 3, 1);

describe("typing indicators", () => {
  it("when a member types, then their indicator shows for 5 s; a repeat within 3 s writes nothing; a stop clears it", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const ref = adminDb().doc(`chats/${chatId}/typing/${alice.uid}`);

    const before = Date.now();
    const first = await api(alice, "POST", typing(chatId), { body: {} });
    const written = await ref.get();
    const repeat = await api(alice, "POST", typing(chatId), { body: { typing: true } });
    const stopTooSoon = await api(alice, "POST", typing(chatId), { body: { typing: false } });

    expect(first).toMatchObject({ status: 200, body: { chatId, typing: true, written: true } });
    const until = (written.get("until") as { toMillis(): number }).toMillis();
    expect(until - before).toBeGreaterThanOrEqual(5000);
    expect(until - Date.now()).toBeLessThanOrEqual(5000);
    expect(repeat.body).toEqual({ chatId, typing: true, written: false });
    expect(stopTooSoon.body).toEqual({ chatId, typing: false, written: false });
    expect((await ref.get()).updateTime?.isEqual(written.updateTime!)).toBe(true);

    // The domain function at a time 3 s later, as the next window's call.
    const later = new Date(Date.now() + 3100);
    const stopped = await setTyping(adminDb(), { now: later, uid: alice.uid, chatId, typing: false, local: newInstance() });
    expect(stopped).toEqual({ chatId, typing: false, written: true });
    expect((await ref.get()).get("until").toMillis()).toBe(later.getTime());
  });

  it("when one user's calls arrive at once on 20 instances, then exactly one writes; on one instance, the repeats read nothing", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const now = new Date();

    const results = await Promise.all(
      Array.from({ length: 20 }, () => setTyping(adminDb(), { now, uid: alice.uid, chatId, typing: true, local: newInstance() })),
    );
    expect(results.filter((result) => result.written)).toHaveLength(1);

    const oneInstance = newInstance();
    const sameInstance = await Promise.all(
      Array.from({ length: 20 }, () =>
        setTyping(adminDb(), { now: new Date(now.getTime() + 3500), uid: bob.uid, chatId, typing: true, local: oneInstance }),
      ),
    );
    expect(sameInstance.filter((result) => result.written)).toHaveLength(1);
    const docs = await adminDb().collection(`chats/${chatId}/typing`).get();
    expect(docs.docs.map((doc) => doc.id).sort()).toEqual([alice.uid, bob.uid].sort());
  });

  it("when the chat ended, then typing is refused (409), and the callable answers as REST", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const chatId = await createChat(alice, bob);
    const ended = await createChat(alice, carol);
    await api(alice, "POST", `/chats/${ended}/end`);
    const asBob = await clientFor(bob);
    const asCarol = await clientFor(carol);
    try {
      expect(await asBob.call("setTyping", { chatId })).toEqual({ chatId, typing: true, written: true });
      expect((await api(alice, "POST", typing(ended), { body: {} })).status).toBe(409);
      expect(await callFailure(asCarol.call("setTyping", { chatId: ended }))).toMatchObject({
        code: "functions/failed-precondition",
      });
    } finally {
      await Promise.all([asBob.close(), asCarol.close()]);
    }
  });
});

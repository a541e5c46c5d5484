import { FieldValue } from "firebase-admin/firestore";
import { describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { callFailure, clientFor } from "../helpers/client.js";
import { signUpMany } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

const cantMessage = { status: 403, body: { error: { code: "permission-denied", message: "You can't message this user." } } };
const unblockFirst = {
  status: 403,
  body: { error: { code: "permission-denied", message: "You blocked this user; unblock them to message them." } },
};

describe("blocks", () => {
  it("when a user blocks another, then the blocked user can't open a 1:1 chat with them, nor can the blocker, and no chat is made", async () => {
    const [bob, mallory] = await signUpMany("Bob", "Mallory");

    const blocked = await api<{ block: { uid: string; displayName: string } }>(bob, "POST", "/blocks", {
      body: { uid: mallory.uid },
    });
    const again = await api(bob, "POST", "/blocks", { body: { uid: mallory.uid } });
    const byMallory = await api(mallory, "POST", "/chats", { body: { memberUid: bob.uid } });
    const byBob = await api(bob, "POST", "/chats", { body: { memberUid: mallory.uid } });
    const listed = await api<{ blocks: { uid: string }[] }>(bob, "GET", "/blocks");

    expect(blocked).toMatchObject({ status: 201, body: { block: { uid: mallory.uid, displayName: mallory.displayName } } });
    expect(again.status).toBe(200);
    expect(byMallory).toMatchObject(cantMessage);
    expect(byBob).toMatchObject(unblockFirst);
    expect(
      (
        await adminDb()
          .doc(`chats/${[bob.uid, mallory.uid].sort().join("_")}`)
          .get()
      ).exists,
    ).toBe(false);
    expect(listed.body.blocks.map((block) => block.uid)).toEqual([mallory.uid]);
    expect((await api<{ blocks: unknown[] }>(mallory, "GET", "/blocks")).body.blocks).toEqual([]);
  });

  it("when a user blocks someone they chat with, then neither can send into the chat, the blocked one can't open it, and an unblock lets both send again", async () => {
    const [bob, mallory] = await signUpMany("Bob", "Mallory");
    const chatId = await createChat(mallory, bob);
    await send(mallory, chatId, "hi");
    await api(bob, "POST", "/blocks", { body: { uid: mallory.uid } });

    const fromMallory = await api(mallory, "POST", `/chats/${chatId}/messages`, { body: { text: "hello??" } });
    const fromBob = await api(bob, "POST", `/chats/${chatId}/messages`, { body: { text: "bye" } });
    const malloryOpens = await api(mallory, "POST", "/chats", { body: { memberUid: bob.uid } });
    const bobOpens = await api(bob, "POST", "/chats", { body: { memberUid: mallory.uid } });

    expect(fromMallory).toMatchObject(cantMessage);
    // A send reads only the chat doc, which doesn't say who blocked whom: both get the same answer.
    expect(fromBob).toMatchObject(cantMessage);
    expect(malloryOpens).toMatchObject(cantMessage);
    expect(bobOpens.status).toBe(200);
    const blocked = (await adminDb().doc(`chats/${chatId}`).get()).data();
    expect(blocked).toMatchObject({ messageCount: 1, blocked: true });
    expect(blocked).not.toHaveProperty("blockedBy");

    const unblocked = await api(bob, "DELETE", `/blocks/${mallory.uid}`);
    const again = await api(bob, "DELETE", `/blocks/${mallory.uid}`);
    expect(unblocked).toMatchObject({ status: 200, body: { uid: mallory.uid, blocked: false } });
    expect(again.status).toBe(404);
    expect((await api(mallory, "POST", `/chats/${chatId}/messages`, { body: { text: "sorry" } })).status).toBe(201);
    expect((await adminDb().doc(`chats/${chatId}`).get()).get("blocked")).toBeUndefined();
  });

  it("when both members block each other and one unblocks, then the chat stays blocked until the other unblocks too", async () => {
    const [bob, mallory] = await signUpMany("Bob", "Mallory");
    const chatId = await createChat(mallory, bob);
    await send(mallory, chatId, "hi");
    await api(bob, "POST", "/blocks", { body: { uid: mallory.uid } });
    await api(mallory, "POST", "/blocks", { body: { uid: bob.uid } });

    await api(bob, "DELETE", `/blocks/${mallory.uid}`);
    const stillBlocked = await api(bob, "POST", `/chats/${chatId}/messages`, { body: { text: "hello?" } });
    const bobOpens = await api(bob, "POST", "/chats", { body: { memberUid: mallory.uid } });
    await api(mallory, "DELETE", `/blocks/${bob.uid}`);
    const open = await api(bob, "POST", `/chats/${chatId}/messages`, { body: { text: "hello!" } });

    expect(stillBlocked).toMatchObject(cantMessage);
    expect(bobOpens).toMatchObject(cantMessage);
    expect(open.status).toBe(201);
  });

  it("when a chat was blocked by a version that kept the blockers on the chat doc, then it stays blocked, and an unblock clears it", async () => {
    const [bob, mallory] = await signUpMany("Bob", "Mallory");
    const chatId = await createChat(mallory, bob);
    await send(mallory, chatId, "hi");
    await api(bob, "POST", "/blocks", { body: { uid: mallory.uid } });
    await adminDb()
      .doc(`chats/${chatId}`)
      .update({ blocked: FieldValue.delete(), blockedBy: [bob.uid] });

    const refused = await api(mallory, "POST", `/chats/${chatId}/messages`, { body: { text: "hello?" } });
    const end = await api(mallory, "POST", `/chats/${chatId}/end`);
    await api(bob, "DELETE", `/blocks/${mallory.uid}`);
    const chat = (await adminDb().doc(`chats/${chatId}`).get()).data();

    expect(refused).toMatchObject(cantMessage);
    expect(end).toMatchObject(cantMessage);
    expect(chat).not.toHaveProperty("blockedBy");
    expect(chat).not.toHaveProperty("blocked");
  });

  it("when a user blocks someone they chat with, then the blocked one can't end the chat or unpin, and the blocker still deletes their own messages and may end it", async () => {
    const [bob, mallory] = await signUpMany("Bob", "Mallory");
    const chatId = await createChat(mallory, bob);
    const fromBob = await send(bob, chatId, "my address is …");
    await send(mallory, chatId, "thanks");
    expect((await api(bob, "POST", `/chats/${chatId}/pins`, { body: { number: 2 } })).status).toBe(200);
    await api(bob, "POST", "/blocks", { body: { uid: mallory.uid } });

    const unpin = await api(mallory, "DELETE", `/chats/${chatId}/pins/2`);
    const end = await api(mallory, "POST", `/chats/${chatId}/end`);
    const deleted = await api(bob, "DELETE", `/chats/${chatId}/messages/${fromBob.number}`);

    expect(unpin).toMatchObject(cantMessage);
    expect(end).toMatchObject(cantMessage);
    expect(deleted).toMatchObject({ status: 200, body: { message: { deleted: true } } });
    expect((await adminDb().doc(`chats/${chatId}`).get()).data()).toMatchObject({ pinned: [2], status: "active" });
    expect((await api(bob, "POST", `/chats/${chatId}/end`)).status).toBe(200);
  });

  it("when a blocked user sends in a room, then the blocker gets no push from them but others do", async () => {
    const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
    const room = await api<{ chat: { id: string }; inviteCode: string }>(alice, "POST", "/rooms", {
      body: { title: "Town hall" },
    });
    for (const user of [bob, mallory]) await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
    for (const user of [alice, bob])
      await api(user, "POST", "/devices", { body: { token: `block-${user.uid}`, platform: "ios" } });
    await api(bob, "POST", "/blocks", { body: { uid: mallory.uid } });

    const message = await send(mallory, room.body.chat.id, "can you hear me?");

    const pushedTo = await eventually(async () => {
      // A room of 3 fans out in one range; it is done once its pushes are sent.
      const marker = await adminDb().doc(`fan-outs/${room.body.chat.id}-${message.number}-0`).get();
      if (marker.get("state") !== "done") throw new Error("push not finished yet");
      const outbox = await adminDb().collection("push-outbox").where("chatId", "==", room.body.chat.id).get();
      return outbox.docs.filter((doc) => doc.get("number") === message.number).map((doc) => doc.get("uid"));
    });
    expect(pushedTo).toEqual([alice.uid]);
  });

  it("when the input is wrong, then 400 or 404 and nothing is stored; the callables answer the same", async () => {
    const [bob, carol] = await signUpMany("Bob", "Carol");
    const asBob = await clientFor(bob);
    try {
      expect(await api(bob, "POST", "/blocks", { body: { uid: bob.uid } })).toMatchObject({
        status: 400,
        body: { error: { message: "uid: you cannot block yourself" } },
      });
      expect((await api(bob, "POST", "/blocks", { body: { uid: "no-such-user" } })).status).toBe(404);
      expect((await api(bob, "DELETE", `/blocks/${carol.uid}`)).status).toBe(404);
      expect((await adminDb().collection("blocks").where("blocker", "==", bob.uid).get()).size).toBe(0);

      const made = await asBob.call<{ block: { uid: string }; created: boolean }>("blockUser", { uid: carol.uid });
      const listed = await asBob.call<{ blocks: { uid: string }[] }>("listBlocks", {});
      const lifted = await asBob.call("unblockUser", { uid: carol.uid });
      expect(made).toMatchObject({ created: true, block: { uid: carol.uid } });
      expect(listed.blocks.map((block) => block.uid)).toEqual([carol.uid]);
      expect(lifted).toEqual({ uid: carol.uid, blocked: false });
      expect(await callFailure(asBob.call("unblockUser", { uid: carol.uid }))).toMatchObject({ code: "functions/not-found" });
    } finally {
      await asBob.close();
    }
  });
});

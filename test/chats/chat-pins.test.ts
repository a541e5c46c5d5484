import { describe, expect, it } from "vitest";
import type { ChatView } from "../../client/src/index.js";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { callFailure, clientFor } from "../helpers/client.js";
import { next } from "../helpers/listen.js";
import { newClient, openAcceptedChat } from "../helpers/parley-client.js";
import { signUpMany, signUpUnlimited, type TestUser } from "../helpers/users.js";

interface ChatPage {
  chats: ChatView[];
  nextCursor: string | null;
}

const createRoom = async (host: TestUser, title = "Pins") =>
  (await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title } })).body;
const join = (user: TestUser, inviteCode: string) => api(user, "POST", "/rooms/join", { body: { inviteCode } });
const place = (user: TestUser, chatId: string, action: "pin" | "unpin" | "archive" | "unarchive") =>
  api<{ chat: ChatView }>(user, "POST", `/chats/${chatId}/${action}`);
const listIds = async (user: TestUser, query = "") =>
  (await api<ChatPage>(user, "GET", `/chats${query}`)).body.chats.map((chat) => chat.id);

describe("pinned chats", () => {
  it("when a member pins a 1:1 chat and a room, then both come first in GET /v1/chats, and pinning twice changes nothing", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const older = await createChat(alice, bob);
    const newer = await createChat(alice, carol);
    const room = await createRoom(carol);
    await join(alice, room.inviteCode);
    await send(bob, older, "oldest");
    await send(carol, newer, "newer");
    await send(carol, room.chat.id, "newest");
    expect(await listIds(alice)).toEqual([room.chat.id, newer, older]);

    const pinned = await place(alice, older, "pin");
    const again = await place(alice, older, "pin");
    const pinnedRoom = await place(alice, room.chat.id, "pin");

    expect(pinned.status).toBe(200);
    expect(pinned.body.chat).toMatchObject({ id: older, archived: false, pinned: [] });
    expect(pinned.body.chat.pinnedAt).toEqual(expect.any(String));
    expect(again.body.chat.pinnedAt).toBe(pinned.body.chat.pinnedAt);
    expect(pinnedRoom.body.chat.pinnedAt).toEqual(expect.any(String));
    expect(await listIds(alice)).toEqual([room.chat.id, older, newer]);
    expect(await listIds(bob)).toEqual([older]);
    const settings = (await adminDb().doc(`user-settings/${alice.uid}`).get()).data();
    expect(settings?.direct?.[older]?.pinnedAt?.toDate().toISOString()).toBe(pinned.body.chat.pinnedAt);
    const member = (await adminDb().doc(`chats/${room.chat.id}/members/${alice.uid}`).get()).data();
    expect(member?.pinnedAt?.toDate().toISOString()).toBe(pinnedRoom.body.chat.pinnedAt);
    // Bob's view of the chat Alice pinned: her pin is hers alone.
    expect((await api<{ chat: ChatView }>(bob, "GET", `/chats/${older}`)).body.chat.pinnedAt).toBeNull();

    const client = await clientFor(alice);
    const unpinned = await client.call<{ chat: ChatView }>("unpinChat", { chatId: room.chat.id });
    await client.close();
    expect(unpinned.chat.pinnedAt).toBeNull();
    expect(await listIds(alice)).toEqual([older, room.chat.id, newer]);
  });

  it("when a user has 5 pinned chats, then a 6th pin fails with 409 failed-precondition and nothing is written", async () => {
    const [[alice], [bob]] = await Promise.all([signUpUnlimited("Alice"), signUpMany("Bob")]);
    const direct = await createChat(alice, bob);
    const rooms = [];
    for (let i = 0; i < 5; i++) rooms.push((await createRoom(alice, `Room ${i}`)).chat.id);
    await place(alice, direct, "pin");
    for (const roomId of rooms.slice(0, 4)) expect((await place(alice, roomId, "pin")).status).toBe(200);

    const sixth = await place(alice, rooms[4], "pin");
    const client = await clientFor(alice);
    const viaCallable = await callFailure(client.call("pinChat", { chatId: rooms[4] }));

    expect(sixth.status).toBe(409);
    expect(sixth.body).toMatchObject({ error: { code: "failed-precondition", message: expect.stringContaining("at most 5") } });
    expect(viaCallable.code).toBe("functions/failed-precondition");
    const member = (await adminDb().doc(`chats/${rooms[4]}/members/${alice.uid}`).get()).data();
    expect(member?.pinnedAt).toBeUndefined();
    // Pinning a pinned chat is not a 6th pin; unpinning one makes room.
    expect((await place(alice, rooms[0], "pin")).status).toBe(200);
    await client.call("unpinChat", { chatId: direct });
    expect((await client.call<{ chat: ChatView }>("pinChat", { chatId: rooms[4] })).chat.pinnedAt).toEqual(expect.any(String));
    await client.close();
  });
});

describe("archived chats", () => {
  it("when a member archives a 1:1 chat and a room, then they leave the list, filter=archived lists them, and unarchive brings them back", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const direct = await createChat(alice, bob);
    const kept = await createChat(alice, carol);
    const room = await createRoom(carol);
    await join(alice, room.inviteCode);
    await place(alice, direct, "pin");

    const archived = await place(alice, direct, "archive");
    const client = await clientFor(alice);
    const archivedRoom = await client.call<{ chat: ChatView }>("archiveChat", { chatId: room.chat.id });

    // Archiving unpins.
    expect(archived.body.chat).toMatchObject({ id: direct, archived: true, pinnedAt: null });
    expect(archivedRoom.chat).toMatchObject({ id: room.chat.id, archived: true });
    expect(await listIds(alice)).toEqual([kept]);
    expect((await listIds(alice, "?filter=archived")).sort()).toEqual([direct, room.chat.id].sort());
    expect(await listIds(bob)).toEqual([direct]);
    expect((await place(alice, direct, "archive")).body.chat.archived).toBe(true);

    await client.call("unarchiveChat", { chatId: direct });
    const unarchivedRoom = await place(alice, room.chat.id, "unarchive");
    await client.close();

    expect(unarchivedRoom.body.chat.archived).toBe(false);
    expect((await listIds(alice)).sort()).toEqual([direct, kept, room.chat.id].sort());
    expect(await listIds(alice, "?filter=archived")).toEqual([]);
    const settings = (await adminDb().doc(`user-settings/${alice.uid}`).get()).data();
    expect(settings?.direct?.[direct]?.archivedAt).toBeUndefined();
  });

  it("when a message arrives in archived chats the member has not muted, then they come back to the list", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const direct = await createChat(alice, bob);
    const room = await createRoom(carol);
    await join(alice, room.inviteCode);
    await place(alice, direct, "archive");
    await place(alice, room.chat.id, "archive");
    expect(await listIds(alice)).toEqual([]);

    await send(bob, direct, "are you there?");
    await send(carol, room.chat.id, "hello room");

    expect((await listIds(alice)).sort()).toEqual([direct, room.chat.id].sort());
    expect(await listIds(alice, "?filter=archived")).toEqual([]);
    // Archived again, it stays so until the next message.
    expect((await place(alice, direct, "archive")).body.chat.archived).toBe(true);
    expect(await listIds(alice)).toEqual([room.chat.id]);
  });

  it("when a message arrives in archived chats the member muted, then they stay archived, and unmuting leaves them so", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const direct = await createChat(alice, bob);
    const room = await createRoom(carol);
    await join(alice, room.inviteCode);
    for (const chatId of [direct, room.chat.id]) {
      await api(alice, "POST", `/chats/${chatId}/mute`, { body: {} });
      await place(alice, chatId, "archive");
    }

    await send(bob, direct, "muted news");
    await send(carol, room.chat.id, "muted room news");

    expect(await listIds(alice)).toEqual([]);
    expect((await listIds(alice, "?filter=archived")).sort()).toEqual([direct, room.chat.id].sort());
    await api(alice, "POST", `/chats/${direct}/unmute`);
    await api(alice, "POST", `/chats/${room.chat.id}/unmute`);
    expect(await listIds(alice)).toEqual([]);
    await send(bob, direct, "unmuted news");
    expect(await listIds(alice)).toEqual([direct]);
  });
});

describe("pin and archive: who and what", () => {
  it("when a non-member pins or archives, then 404 as for no chat; a bad chat id is 400; nothing is written", async () => {
    const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
    const direct = await createChat(alice, bob);
    const room = await createRoom(alice);
    const client = await clientFor(mallory);

    for (const action of ["pin", "unpin", "archive", "unarchive"] as const) {
      for (const chatId of [direct, room.chat.id]) {
        const outsider = await place(mallory, chatId, action);
        expect({ action, status: outsider.status, code: outsider.body }).toMatchObject({
          action,
          status: 404,
          code: { error: { code: "not-found" } },
        });
      }
      const bad = await api<{ error: { code: string } }>(alice, "POST", `/chats/${"x".repeat(1025)}/${action}`);
      expect({ action, status: bad.status, code: bad.body.error.code }).toEqual({
        action,
        status: 400,
        code: "invalid-argument",
      });
      const viaCallable = await callFailure(client.call(`${action}Chat`, { chatId: room.chat.id }));
      expect(viaCallable.code).toBe("functions/not-found");
    }
    await client.close();
    expect((await adminDb().doc(`user-settings/${mallory.uid}`).get()).exists).toBe(false);
  });
});

describe("@parley/client: pinned and archived chats", () => {
  it("when a user pins and archives through the client, then watchChats puts pinned first and leaves archived out, and { archived: true } watches those", async () => {
    const ann = await newClient("Ann");
    const ben = await newClient("Ben");
    const cat = await newClient("Cat");
    const { chat: withBen } = await openAcceptedChat(ann, ben);
    const { chat: withCat } = await openAcceptedChat(ann, cat);
    const room = await cat.client.rest.createRoom({ title: "Walks" });
    await ann.client.rest.joinRoom({ inviteCode: room.inviteCode });
    await ben.client.rest.sendMessage({ chatId: withBen.id, text: "first" });
    await cat.client.rest.sendMessage({ chatId: withCat.id, text: "second" });
    await cat.client.rest.sendMessage({ chatId: room.chat.id, text: "third" });
    const ids = (chats: ChatView[]) => chats.map((chat) => chat.id);
    const listed = next(ann.client.watchChats, (chats) =>
      ids(chats).join() === [withBen.id, room.chat.id].join() ? chats : undefined,
    );
    const archived = next(
      (onChange: (chats: ChatView[]) => void, onError: (error: Error) => void) =>
        ann.client.watchChats(onChange, { archived: true, onError }),
      (chats: ChatView[]) => (ids(chats).join() === withCat.id ? chats : undefined),
    );
    await Promise.all([listed.ready, archived.ready]);

    expect((await ann.client.rest.pinChat({ chatId: withBen.id })).chat.pinnedAt).toEqual(expect.any(String));
    expect((await ann.client.callables.archiveChat({ chatId: withCat.id })).chat.archived).toBe(true);

    expect((await listed)[0]).toMatchObject({ id: withBen.id, archived: false });
    expect((await archived)[0]).toMatchObject({ id: withCat.id, archived: true, pinnedAt: null });
    const page = await ann.client.rest.listChats({ filter: "archived" });
    expect(ids(page.chats)).toEqual([withCat.id]);
    await ann.client.callables.unpinChat({ chatId: withBen.id });
    expect((await ann.client.rest.unarchiveChat({ chatId: withCat.id })).chat.archived).toBe(false);
    const back = next(ann.client.watchChats, (chats) => (chats.length === 3 ? chats : undefined));
    expect(ids(await back)).toEqual([room.chat.id, withCat.id, withBen.id]);
  });
});

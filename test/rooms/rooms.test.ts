import { doc, getDoc, onSnapshot, type DocumentSnapshot } from "firebase/firestore";
import { afterAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api, send } from "../helpers/api.js";
import { clientFor, type Client } from "../helpers/client.js";
import { watch } from "../helpers/listen.js";
import { signUpMany, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";
import { hostingOrigin } from "../helpers/emulators.js";

const clients: Client[] = [];
afterAll(async () => Promise.all(clients.map((client) => client.close())));

interface RoomAnswer {
  chat: {
    id: string;
    type: string;
    title: string;
    host: string;
    members: string[];
    memberCount: number;
    unreadCount: number;
    inviteCode: string;
    status: string;
  };
  inviteCode: string;
  joinUri: string;
}

async function createRoom(host: TestUser, title = "Book club") {
  const response = await api<RoomAnswer>(host, "POST", "/rooms", { body: { title } });
  if (response.status !== 201) throw new Error(`createRoom: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
const join = (user: TestUser, inviteCode: string) =>
  api<{ chat: RoomAnswer["chat"]; joined: boolean; error?: { code: string; message: string } }>(user, "POST", "/rooms/join", {
    body: { inviteCode },
  });
const roomDoc = async (chatId: string) => (await adminDb().doc(`chats/${chatId}`).get()).data() ?? {};
/** `chats/{roomId}/members`, as uid -> member doc. */
const memberDocs = async (chatId: string) =>
  Object.fromEntries((await adminDb().collection(`chats/${chatId}/members`).get()).docs.map((snap) => [snap.id, snap.data()]));
/** Each user's unread count of the room, as the API answers it to them. */
const unreadCounts = async (chatId: string, ...users: TestUser[]) =>
  Promise.all(
    users.map(
      async (user) => (await api<{ chat: { unreadCount: number } }>(user, "GET", `/chats/${chatId}`)).body.chat.unreadCount,
    ),
  );
const systemTexts = async (chatId: string) =>
  (await adminDb().collection(`chats/${chatId}/messages`).orderBy("number").get()).docs
    .filter((snap) => snap.get("type") === "system")
    .map((snap) => [snap.get("number"), snap.get("event.type"), snap.get("event.uid")]);

describe("rooms", () => {
  it("when a host creates a room, then they are its only member and get an unguessable invite code and a join link", async () => {
    const [alice] = await signUpMany("Alice");

    const room = await createRoom(alice, "  Book club  ");

    expect(room.chat).toMatchObject({
      type: "room",
      title: "Book club",
      host: alice.uid,
      members: [],
      memberCount: 1,
      status: "active",
    });
    expect(Object.keys(await roomDoc(room.chat.id)).sort()).not.toContain("members");
    expect(await memberDocs(room.chat.id)).toMatchObject({ [alice.uid]: { uid: alice.uid, role: "host", lastRead: 0 } });
    expect(room.inviteCode).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(room.chat.inviteCode).toBe(room.inviteCode);
    expect(room.joinUri).toBe(`${hostingOrigin}/join/${room.inviteCode}`);
    expect((await adminDb().doc(`invites/${room.inviteCode}`).get()).data()).toMatchObject({ chatId: room.chat.id });
    const bad = await api(alice, "POST", "/rooms", { body: { title: " " } });
    expect(bad).toMatchObject({ status: 400, body: { error: { message: "title: must not be empty" } } });
  });

  it("when users join with the code, then they become members with a system message each; joining again changes nothing", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const room = await createRoom(alice);

    const bobJoins = await join(bob, room.inviteCode);
    const carolJoins = await join(carol, room.inviteCode);
    const again = await join(bob, room.inviteCode);
    const unknown = await join(bob, "A".repeat(22));

    expect(bobJoins.body).toMatchObject({ joined: true, chat: { memberCount: 2, unreadCount: 0 } });
    expect(carolJoins.body.chat.memberCount).toBe(3);
    expect(again).toMatchObject({ status: 200, body: { joined: false } });
    expect(unknown).toMatchObject({
      status: 404,
      body: { error: { code: "not-found", message: "This invite code is unknown or no longer valid." } },
    });
    expect(await systemTexts(room.chat.id)).toEqual([
      [1, "member-joined", bob.uid],
      [2, "member-joined", carol.uid],
    ]);
    expect(await roomDoc(room.chat.id)).toMatchObject({ messageCount: 2, memberCount: 3 });
    expect(await memberDocs(room.chat.id)).toMatchObject({
      [alice.uid]: { role: "host", lastRead: 0 },
      [bob.uid]: { role: "member", lastRead: 1 },
      [carol.uid]: { role: "member", lastRead: 2 },
    });
    expect(await unreadCounts(room.chat.id, alice, bob, carol)).toEqual([2, 1, 0]);
  });

  it("when members send in a room, then every other member gets the unread count, and the fan-out their external event and push", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const room = await createRoom(alice, "Trip planning");
    await join(bob, room.inviteCode);
    await join(carol, room.inviteCode);
    await api(carol, "POST", "/devices", { body: { token: `carol-${carol.uid}`, platform: "ios" } });

    const message = await send(bob, room.chat.id, "Who books the train?");

    expect(message.number).toBe(3);
    // Bob's own send moved his read position: nothing of his is unread.
    expect(await unreadCounts(room.chat.id, alice, bob, carol)).toEqual([3, 0, 1]);
    for (const uid of [alice.uid, carol.uid]) {
      await eventually(async () => {
        expect((await adminDb().doc(`users-external-event/${uid}`).get()).data()).toMatchObject({
          notifyNewMessage: true,
          lastEvent: { chatId: room.chat.id, number: 3 },
        });
      });
    }
    expect((await adminDb().doc(`users-external-event/${bob.uid}`).get()).get("lastEvent.number")).not.toBe(3);
    const push = await eventually(async () => {
      const outbox = await adminDb().collection("push-outbox").where("chatId", "==", room.chat.id).where("number", "==", 3).get();
      if (outbox.empty) throw new Error("no push yet");
      return outbox.docs[0].get("message");
    });
    expect(push.notification).toEqual({ title: "Trip planning", body: `${bob.displayName}: Who books the train?` });
  });

  it("when the host rotates the invite, then the old code stops working and the new one joins; others may not rotate", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const room = await createRoom(alice);
    await join(bob, room.inviteCode);

    const rotated = await api<{ inviteCode: string; joinUri: string }>(alice, "POST", `/rooms/${room.chat.id}/invite/rotate`);
    const byMember = await api(bob, "POST", `/rooms/${room.chat.id}/invite/rotate`);

    expect(rotated.status).toBe(200);
    expect(rotated.body.inviteCode).not.toBe(room.inviteCode);
    expect(rotated.body.joinUri).toBe(`${hostingOrigin}/join/${rotated.body.inviteCode}`);
    expect(byMember).toMatchObject({ status: 403, body: { error: { message: "Only the room's host can do this." } } });
    expect((await join(carol, room.inviteCode)).status).toBe(404);
    expect((await join(carol, rotated.body.inviteCode)).body).toMatchObject({ joined: true });
    expect((await adminDb().doc(`invites/${room.inviteCode}`).get()).exists).toBe(false);
  });

  it("when the room is full, then a join gets 409 and nothing changes", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const room = await createRoom(alice);
    // MAX_ROOM_MEMBERS is 10,000; the room's count says it is full (see scale.test.ts for real members).
    await adminDb().doc(`chats/${room.chat.id}`).update({ memberCount: 10_000 });

    const response = await join(bob, room.inviteCode);

    expect(response).toMatchObject({
      status: 409,
      body: { error: { code: "failed-precondition", message: "This room is full (10000 members)." } },
    });
    expect((await roomDoc(room.chat.id)).memberCount).toBe(10_000);
    expect(Object.keys(await memberDocs(room.chat.id))).toEqual([alice.uid]);
  });

  it("when users join at the same time, then all get in and the join messages are numbered without gaps", async () => {
    const [alice, ...joiners] = await signUpMany("Alice", "B", "C", "D", "E", "F");
    const room = await createRoom(alice);

    const answers = await Promise.all(joiners.map((user) => join(user, room.inviteCode)));

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    const stored = await roomDoc(room.chat.id);
    expect(Object.keys(await memberDocs(room.chat.id)).sort()).toEqual([alice.uid, ...joiners.map((user) => user.uid)].sort());
    expect(stored.memberCount).toBe(6);
    expect((await systemTexts(room.chat.id)).map(([number]) => number)).toEqual([1, 2, 3, 4, 5]);
    expect(stored.messageCount).toBe(5);
  });

  it("when a member leaves, then they are gone with a system message and lose read access; a leaving host hands over", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const room = await createRoom(alice);
    await join(bob, room.inviteCode);
    await join(carol, room.inviteCode);

    const carolLeaves = await api(carol, "POST", `/rooms/${room.chat.id}/leave`);
    const aliceLeaves = await api(alice, "POST", `/rooms/${room.chat.id}/leave`);
    const again = await api(alice, "POST", `/rooms/${room.chat.id}/leave`);

    expect(carolLeaves.body).toEqual({ chatId: room.chat.id, memberCount: 2, host: alice.uid, status: "active" });
    expect(aliceLeaves.body).toEqual({ chatId: room.chat.id, memberCount: 1, host: bob.uid, status: "active" });
    expect(again.status).toBe(404);
    expect((await api(carol, "GET", `/chats/${room.chat.id}`)).status).toBe(404);
    expect(await memberDocs(room.chat.id)).toEqual({ [bob.uid]: expect.objectContaining({ role: "host", lastRead: 1 }) });
    expect((await roomDoc(room.chat.id)).host).toBe(bob.uid);
    expect(await unreadCounts(room.chat.id, bob)).toEqual([3]);
    expect((await systemTexts(room.chat.id)).slice(2)).toEqual([
      [3, "member-left", carol.uid],
      [4, "member-left", alice.uid],
    ]);
  });

  it("when the last member leaves, then the room ends", async () => {
    const [alice] = await signUpMany("Alice");
    const room = await createRoom(alice);

    const left = await api(alice, "POST", `/rooms/${room.chat.id}/leave`);

    expect(left.body).toMatchObject({ memberCount: 0, host: null, status: "ended" });
    expect(await roomDoc(room.chat.id)).toMatchObject({ status: "ended" });
  });

  it("when the host removes a member, then their listener and reads are refused at once; only the host may remove", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const room = await createRoom(alice);
    await join(bob, room.inviteCode);
    await join(carol, room.inviteCode);
    const asBob = await clientFor(bob);
    clients.push(asBob);
    const chatRef = doc(asBob.db, "chats", room.chat.id);
    await getDoc(chatRef);
    const chatListener = watch((callback: (snap: DocumentSnapshot) => void, onError: (error: Error) => void) =>
      onSnapshot(chatRef, callback, onError),
    );
    const cutOff = chatListener.until(() => undefined).catch((error: { code: string }) => error.code);

    const byMember = await api(carol, "DELETE", `/rooms/${room.chat.id}/members/${bob.uid}`);
    const removed = await api(alice, "DELETE", `/rooms/${room.chat.id}/members/${bob.uid}`);

    expect(byMember.status).toBe(403);
    expect(removed.body).toMatchObject({ memberCount: 2 });
    expect(Object.keys(await memberDocs(room.chat.id)).sort()).toEqual([alice.uid, carol.uid].sort());
    expect(await cutOff).toBe("permission-denied");
    chatListener.stop();
    await expect(getDoc(chatRef)).rejects.toMatchObject({ code: "permission-denied" });
    expect((await api(bob, "POST", `/chats/${room.chat.id}/messages`, { body: { text: "still here?" } })).status).toBe(404);
    expect((await systemTexts(room.chat.id)).at(-1)).toEqual([3, "member-removed", bob.uid]);
    const notMember = await api(alice, "DELETE", `/rooms/${room.chat.id}/members/${bob.uid}`);
    const self = await api(alice, "DELETE", `/rooms/${room.chat.id}/members/${alice.uid}`);
    expect([notMember.status, self.status]).toEqual([404, 400]);
  });

  it("when the room has ended, then joining and sending get 409", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const room = await createRoom(alice);
    await join(bob, room.inviteCode);
    await api(alice, "POST", `/chats/${room.chat.id}/end`);

    const joining = await join(carol, room.inviteCode);
    const sending = await api(bob, "POST", `/chats/${room.chat.id}/messages`, { body: { text: "hello?" } });

    expect(joining).toMatchObject({ status: 409, body: { error: { message: "This chat has ended." } } });
    expect(sending).toMatchObject({ status: 409, body: { error: { code: "failed-precondition" } } });
  });
});

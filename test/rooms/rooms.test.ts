import { doc, getDoc, onSnapshot } from "firebase/firestore";
import { afterAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api, send } from "../helpers/api.js";
import { clientFor, type Client } from "../helpers/client.js";
import { signUpMany, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";
import { hostingOrigin } from "../helpers/emulators.js";

const clients: Client[] = [];
afterAll(async () => Promise.all(clients.map((client) => client.close())));

interface RoomAnswer {
  chat: { id: string; type: string; title: string; host: string; members: string[]; inviteCode: string; status: string };
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
      members: [alice.uid],
      status: "active",
    });
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

    expect(bobJoins.body).toMatchObject({ joined: true, chat: { members: [alice.uid, bob.uid] } });
    expect(carolJoins.body.chat.members).toEqual([alice.uid, bob.uid, carol.uid]);
    expect(again).toMatchObject({ status: 200, body: { joined: false } });
    expect(unknown).toMatchObject({
      status: 404,
      body: { error: { code: "not-found", message: "This invite code is unknown or no longer valid." } },
    });
    expect(await systemTexts(room.chat.id)).toEqual([
      [1, "member-joined", bob.uid],
      [2, "member-joined", carol.uid],
    ]);
    expect(await roomDoc(room.chat.id)).toMatchObject({
      messageCount: 2,
      unread: { [alice.uid]: 2, [bob.uid]: 1, [carol.uid]: 0 },
      lastRead: { [bob.uid]: 1, [carol.uid]: 2 },
    });
  });

  it("when members send in a room, then every other member gets the unread count, external event and push", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const room = await createRoom(alice, "Trip planning");
    await join(bob, room.inviteCode);
    await join(carol, room.inviteCode);
    await api(carol, "POST", "/devices", { body: { token: `carol-${carol.uid}`, platform: "ios" } });

    const message = await send(bob, room.chat.id, "Who books the train?");

    expect(message.number).toBe(3);
    expect((await roomDoc(room.chat.id)).unread).toEqual({ [alice.uid]: 3, [bob.uid]: 1, [carol.uid]: 1 });
    for (const uid of [alice.uid, carol.uid]) {
      expect((await adminDb().doc(`users-external-event/${uid}`).get()).data()).toMatchObject({
        notifyNewMessage: true,
        lastEvent: { chatId: room.chat.id, number: 3 },
      });
    }
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
    const others = Array.from({ length: 49 }, (_, i) => `placeholder-member-${i}`);
    await adminDb()
      .doc(`chats/${room.chat.id}`)
      .update({ members: [alice.uid, ...others] });

    const response = await join(bob, room.inviteCode);

    expect(response).toMatchObject({
      status: 409,
      body: { error: { code: "failed-precondition", message: "This room is full (50 members)." } },
    });
    expect((await roomDoc(room.chat.id)).members).toHaveLength(50);
  });

  it("when users join at the same time, then all get in and the join messages are numbered without gaps", async () => {
    const [alice, ...joiners] = await signUpMany("Alice", "B", "C", "D", "E", "F");
    const room = await createRoom(alice);

    const answers = await Promise.all(joiners.map((user) => join(user, room.inviteCode)));

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    const stored = await roomDoc(room.chat.id);
    expect([...stored.members].sort()).toEqual([alice.uid, ...joiners.map((user) => user.uid)].sort());
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

    expect(carolLeaves.body).toEqual({ chatId: room.chat.id, members: [alice.uid, bob.uid], host: alice.uid, status: "active" });
    expect(aliceLeaves.body).toEqual({ chatId: room.chat.id, members: [bob.uid], host: bob.uid, status: "active" });
    expect(again.status).toBe(403);
    expect((await api(carol, "GET", `/chats/${room.chat.id}`)).status).toBe(403);
    const stored = await roomDoc(room.chat.id);
    expect(stored.unread).toEqual({ [bob.uid]: 3 });
    expect((await systemTexts(room.chat.id)).slice(2)).toEqual([
      [3, "member-left", carol.uid],
      [4, "member-left", alice.uid],
    ]);
  });

  it("when the last member leaves, then the room ends", async () => {
    const [alice] = await signUpMany("Alice");
    const room = await createRoom(alice);

    const left = await api(alice, "POST", `/rooms/${room.chat.id}/leave`);

    expect(left.body).toMatchObject({ members: [], host: null, status: "completed" });
    expect(await roomDoc(room.chat.id)).toMatchObject({ status: "completed", active: false });
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
    const cutOff = new Promise<string>((resolve) => {
      onSnapshot(
        chatRef,
        () => undefined,
        (error) => resolve((error as { code: string }).code),
      );
    });

    const byMember = await api(carol, "DELETE", `/rooms/${room.chat.id}/members/${bob.uid}`);
    const removed = await api(alice, "DELETE", `/rooms/${room.chat.id}/members/${bob.uid}`);

    expect(byMember.status).toBe(403);
    expect(removed.body).toMatchObject({ members: [alice.uid, carol.uid] });
    expect(await cutOff).toBe("permission-denied");
    await expect(getDoc(chatRef)).rejects.toMatchObject({ code: "permission-denied" });
    expect((await api(bob, "POST", `/chats/${room.chat.id}/messages`, { body: { text: "still here?" } })).status).toBe(403);
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

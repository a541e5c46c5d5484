import type { Firestore, WriteBatch } from "firebase-admin/firestore";
import { describe, expect, it } from "vitest";
import type { MessagesState } from "../../client/src/index.js";
import type { MessageView } from "../../functions/src/messages/views.js";
import { sendMessage } from "../../functions/src/messages/send-message.js";
import { closePoll } from "../../functions/src/polls/close-poll.js";
import { unvotePoll, votePoll } from "../../functions/src/polls/vote-poll.js";
import type { PollDoc } from "../../functions/src/shared/model.js";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { clientFor } from "../helpers/client.js";
import { withBatches } from "../helpers/counting-firestore.js";
import { next } from "../helpers/listen.js";
import { newClient, openAcceptedChat } from "../helpers/parley-client.js";
import { dropRoom, seedRoom } from "../helpers/rooms.js";
import { signUpMany } from "../helpers/users.js";

type Message = { message: MessageView };
type Failure = { error: { code: string; message: string } };

const votes = (chatId: string, number: number, option: number) => `/chats/${chatId}/messages/${number}/votes/${option}`;
const dinner = { question: "  Dinner\u200B tonight? ", options: [" Pizza ", "Sushi", "Tacos"] };
const counts = (view: MessageView) => view.poll?.options.map((option) => option.votes);

describe("polls", () => {
  it("when a member sends a poll in a 1:1 chat and both vote, then counts, voters and each one's votes show; a second vote moves, a take-back counts down", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const sent = await api<Message>(alice, "POST", `/chats/${chatId}/messages`, { body: { poll: dinner } });
    expect(sent.status).toBe(201);
    expect(sent.body.message).toMatchObject({
      type: "poll",
      text: "Dinner tonight?",
      poll: {
        question: "Dinner tonight?",
        options: [
          { text: "Pizza", votes: 0 },
          { text: "Sushi", votes: 0 },
          { text: "Tacos", votes: 0 },
        ],
        multiple: false,
        anonymous: false,
        closed: false,
        voterCount: 0,
        myVotes: [],
        voters: [[], [], []],
      },
    });
    const chat = await api<{ chat: { lastMessage: { type: string; preview: string } } }>(alice, "GET", `/chats/${chatId}`);
    expect(chat.body.chat.lastMessage).toMatchObject({ type: "poll", preview: "Poll: Dinner tonight?" });

    const first = await api<Message>(bob, "PUT", votes(chatId, 1, 0));
    expect(first.status).toBe(200);
    expect(first.body.message.poll).toMatchObject({ myVotes: [0], voterCount: 1, voters: [[bob.uid], [], []] });
    const moved = await api<Message>(bob, "PUT", votes(chatId, 1, 1));
    expect(counts(moved.body.message)).toEqual([0, 1, 0]);
    expect(moved.body.message.poll).toMatchObject({ myVotes: [1], voterCount: 1, voters: [[], [bob.uid], []] });
    await api(alice, "PUT", votes(chatId, 1, 1));
    const again = await api<Message>(alice, "PUT", votes(chatId, 1, 1));
    expect(counts(again.body.message)).toEqual([0, 2, 0]);

    const asBob = await api<Message>(bob, "GET", `/chats/${chatId}/messages/1`);
    const asAlice = await api<{ messages: MessageView[] }>(alice, "GET", `/chats/${chatId}/messages`);
    expect(asBob.body.message.poll).toMatchObject({ myVotes: [1], voterCount: 2, voters: [[], [bob.uid, alice.uid], []] });
    expect(asAlice.body.messages[0].poll).toMatchObject({ myVotes: [1], voterCount: 2 });

    const taken = await api<Message>(bob, "DELETE", votes(chatId, 1, 1));
    const takenAgain = await api<Message>(bob, "DELETE", votes(chatId, 1, 1));
    expect(taken.body.message.poll).toMatchObject({ myVotes: [], voterCount: 1, voters: [[], [alice.uid], []] });
    expect(takenAgain.status).toBe(200);
    expect(counts(takenAgain.body.message)).toEqual([0, 1, 0]);
    const stored = await adminDb().collection(`chats/${chatId}/votes`).get();
    expect(stored.docs.map((doc) => [doc.id, doc.get("options")])).toEqual([[`${alice.uid}_0000000001`, [1]]]);
  });

  it("when a multiple-choice anonymous poll is sent and voted through callables, then a member holds several votes and no one sees who voted", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const asAlice = await clientFor(alice);
    const asBob = await clientFor(bob);
    try {
      const poll = { question: "Which days?", options: ["Mon", "Tue", "Wed"], multiple: true, anonymous: true };
      const sent = await asAlice.call<Message & { created: boolean }>("sendMessage", { chatId, poll });
      expect(sent).toMatchObject({ created: true, message: { type: "poll", poll: { multiple: true, anonymous: true } } });
      const { number } = sent.message;

      await asBob.call("votePoll", { chatId, number, option: 0 });
      const both = await asBob.call<Message>("votePoll", { chatId, number, option: 2 });
      await asAlice.call("votePoll", { chatId, number, option: 2 });
      const mine = await asBob.call<Message>("getMessage", { chatId, number });
      expect(both.message.poll).toMatchObject({ myVotes: [0, 2], voterCount: 1, voters: null });
      expect(counts(mine.message)).toEqual([1, 0, 2]);
      expect(mine.message.poll).toMatchObject({ myVotes: [0, 2], voterCount: 2, voters: null });
      const unvoted = await asBob.call<Message>("unvotePoll", { chatId, number, option: 0 });
      expect(unvoted.message.poll).toMatchObject({ myVotes: [2], voterCount: 2 });
      const doc = await adminDb().doc(`chats/${chatId}/messages/${sent.message.id}`).get();
      expect(doc.get("poll.voters")).toBeUndefined();
      expect(doc.get("poll.votes")).toEqual({ "0": 0, "1": 0, "2": 2 });
    } finally {
      await Promise.all([asAlice.close(), asBob.close()]);
    }
  });

  it("when the sender closes a poll, then others may not close it, and votes and take-backs are refused with 409", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await api(alice, "POST", `/chats/${chatId}/messages`, { body: { poll: dinner } });
    await api(bob, "PUT", votes(chatId, 1, 2));

    const notTheirs = await api<Failure>(bob, "POST", `/chats/${chatId}/messages/1/close`);
    expect(notTheirs.status).toBe(403);
    expect(notTheirs.body.error.code).toBe("permission-denied");
    const closed = await api<Message>(alice, "POST", `/chats/${chatId}/messages/1/close`);
    const closedAgain = await api<Message>(alice, "POST", `/chats/${chatId}/messages/1/close`);
    expect(closed.body.message.poll).toMatchObject({ closed: true, voterCount: 1 });
    expect(closedAgain.status).toBe(200);

    for (const method of ["PUT", "DELETE"]) {
      const refused = await api<Failure>(bob, method, votes(chatId, 1, 0));
      expect(refused.status, method).toBe(409);
      expect(refused.body.error.code).toBe("failed-precondition");
    }
    const stillBobs = await api<Failure>(bob, "DELETE", votes(chatId, 1, 2));
    expect(stillBobs.status).toBe(409);
    const seen = await api<Message>(bob, "GET", `/chats/${chatId}/messages/1`);
    expect(seen.body.message.poll).toMatchObject({ closed: true, myVotes: [2] });
    expect(counts(seen.body.message)).toEqual([0, 0, 1]);
    expect((await adminDb().doc(`chats/${chatId}/open-polls/0000000001`).get()).exists).toBe(false);
  });

  it("when a poll is malformed, an option is out of range, the message is no poll or the caller no member, then 4xx and nothing is written", async () => {
    const [alice, bob, eve] = await signUpMany("Alice", "Bob", "Eve");
    const chatId = await createChat(alice, bob);
    const bad = [
      { poll: { question: "One?", options: ["only"] } },
      { poll: { question: "Many?", options: Array.from({ length: 11 }, (_, i) => `o${i}`) } },
      { poll: { question: "Same?", options: ["a", " a "] } },
      { poll: { question: " \u200B ", options: ["a", "b"] } },
      { poll: { question: "Long?", options: ["a", "b".repeat(101)] } },
      { text: "and", poll: dinner },
      {},
    ];
    for (const body of bad) {
      const refused = await api<Failure>(alice, "POST", `/chats/${chatId}/messages`, { body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
    expect((await adminDb().collection(`chats/${chatId}/messages`).count().get()).data().count).toBe(0);

    await api(alice, "POST", `/chats/${chatId}/messages`, { body: { poll: dinner } });
    await send(alice, chatId, "plain text");
    const outOfRange = await api<Failure>(bob, "PUT", votes(chatId, 1, 3));
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.error.message).toContain("option");
    expect((await api(bob, "PUT", votes(chatId, 1, 10))).status).toBe(400);
    const notAPoll = await api<Failure>(bob, "PUT", votes(chatId, 2, 0));
    expect(notAPoll.status).toBe(400);
    expect((await api(bob, "POST", `/chats/${chatId}/messages/2/close`)).status).toBe(400);
    expect((await api(bob, "PUT", votes(chatId, 9, 0))).status).toBe(404);
    const stranger = await api<Failure>(eve, "PUT", votes(chatId, 1, 0));
    expect(stranger.status).toBe(404);
    expect((await api(eve, "POST", `/chats/${chatId}/messages/1/close`)).status).toBe(404);
    expect((await adminDb().collection(`chats/${chatId}/votes`).count().get()).data().count).toBe(0);
  });

  it("when a poll is sent in a room, then members vote, the host may not close another's poll, and deleting it ends the voting", async () => {
    const [host, bob, carol] = await signUpMany("Host", "Bob", "Carol");
    const room = await seedRoom(5, [host.uid, bob.uid, carol.uid]);
    try {
      const { chatId } = room;
      const sent = await api<Message>(bob, "POST", `/chats/${chatId}/messages`, { body: { poll: dinner } });
      expect(sent.status).toBe(201);
      await api(carol, "PUT", votes(chatId, 1, 0));
      await api(host, "PUT", votes(chatId, 1, 0));
      const voted = await api<Message>(bob, "PUT", votes(chatId, 1, 2));
      expect(counts(voted.body.message)).toEqual([2, 0, 1]);
      expect(voted.body.message.poll?.voters).toEqual([[carol.uid, host.uid], [], [bob.uid]]);

      const byHost = await api<Failure>(host, "POST", `/chats/${chatId}/messages/1/close`);
      expect(byHost.status).toBe(403);
      const deleted = await api<Message>(bob, "DELETE", `/chats/${chatId}/messages/1`);
      expect(deleted.body.message).toMatchObject({ deleted: true, poll: null });
      const late = await api<Failure>(carol, "PUT", votes(chatId, 1, 1));
      expect(late.status).toBe(409);
      expect((await adminDb().doc(`chats/${chatId}/open-polls/0000000001`).get()).exists).toBe(false);
    } finally {
      await dropRoom(room);
    }
  });

  it("when members vote, then the client's watchMessages shows the counts and the user's own votes live", async () => {
    const alice = await newClient("Alice");
    const bob = await newClient("Bob");
    const { chat } = await openAcceptedChat(alice, bob);
    await alice.client.rest.sendMessage({ chatId: chat.id, poll: { question: "Tea or coffee?", options: ["Tea", "Coffee"] } });

    const seenByAlice = next(
      (callback: (state: MessagesState) => void, onError: (error: Error) => void) =>
        alice.client.watchMessages(chat.id, callback, onError),
      ({ messages }) => {
        const poll = messages[0]?.poll;
        return poll?.options[1].votes === 2 && poll.myVotes.length === 1 ? poll : undefined;
      },
    );
    await seenByAlice.ready;
    await bob.client.rest.votePoll({ chatId: chat.id, number: 1, option: 1 });
    await alice.client.callables.votePoll({ chatId: chat.id, number: 1, option: 1 });
    expect(await seenByAlice).toMatchObject({ myVotes: [1], voterCount: 2, voters: [[], [bob.uid, alice.uid]] });

    const closed = next(
      (callback: (state: MessagesState) => void, onError: (error: Error) => void) =>
        bob.client.watchMessages(chat.id, callback, onError),
      ({ messages }) => (messages[0]?.poll?.closed ? messages[0].poll : undefined),
    );
    await closed.ready;
    await alice.client.callables.closePoll({ chatId: chat.id, number: 1 });
    expect(await closed).toMatchObject({ closed: true, myVotes: [1] });
  });
});

// The domain functions run in the test's process, as one instance serving concurrent requests.
describe("polls under concurrency", () => {
  it("when 100 room members vote at once, then move their votes at once, then half take them back twice at once, then every count is exact", async () => {
    const room = await seedRoom(100);
    try {
      const { chatId, members } = room;
      const poll = { question: "Where?", options: ["North", "South", "East"] };
      const { message } = await sendMessage(adminDb(), {
        now: new Date(),
        senderUid: members[0],
        chatId,
        draft: { type: "poll", text: "", poll },
      });
      const vote = (uid: string, option: number) =>
        votePoll(adminDb(), new Date(), { uid, chatId, number: message.number, option });
      const stored = async () => (await adminDb().doc(`chats/${chatId}/messages/${message.id}`).get()).get("poll") as PollDoc;
      const voteDocs = async () => (await adminDb().collection(`chats/${chatId}/votes`).count().get()).data().count;

      await Promise.all(members.map((uid, i) => vote(uid, i % 3)));
      expect((await stored()).votes).toEqual({ "0": 34, "1": 33, "2": 33 });
      expect((await stored()).voterCount).toBe(100);
      expect(await voteDocs()).toBe(100);
      const voters = (await stored()).voters ?? {};
      expect([0, 1, 2].map((option) => voters[String(option)]?.length)).toEqual([34, 33, 33]);

      // Each member votes for two options at once: single choice keeps exactly one of them.
      await Promise.all(members.flatMap((uid, i) => [vote(uid, (i + 1) % 3), vote(uid, (i + 2) % 3)]));
      const moved = await stored();
      expect(moved.voterCount).toBe(100);
      const total = Object.values(moved.votes).reduce((sum, n) => sum + n, 0);
      expect(total).toBe(100);
      const docs = await adminDb().collection(`chats/${chatId}/votes`).get();
      expect(docs.docs.every((doc) => (doc.get("options") as number[]).length === 1)).toBe(true);
      for (const option of [0, 1, 2]) {
        const holders = docs.docs
          .filter((doc) => (doc.get("options") as number[])[0] === option)
          .map((doc) => doc.get("uid") as string);
        expect(moved.votes[String(option)], `option ${option}`).toBe(holders.length);
        // A listed voter is always a voter; a vote that read 50 or more on its option is not listed.
        expect(holders).toEqual(expect.arrayContaining(moved.voters?.[String(option)] ?? []));
      }

      const takeBack = (uid: string) =>
        Promise.all(
          [0, 1, 2].map((option) => unvotePoll(adminDb(), new Date(), { uid, chatId, number: message.number, option })),
        );
      await Promise.all(members.slice(0, 50).flatMap((uid) => [takeBack(uid), takeBack(uid)]));
      const after = await stored();
      expect(after.voterCount).toBe(50);
      expect(Object.values(after.votes).reduce((sum, n) => sum + n, 0)).toBe(50);
      expect(await voteDocs()).toBe(50);
    } finally {
      await dropRoom(room);
    }
  });

  it("when a vote is in flight while its poll is closed, then the vote is refused and the closed counts stay", async () => {
    const room = await seedRoom(3);
    try {
      const { chatId, members } = room;
      const [sender, voter] = members;
      const poll = { question: "Now?", options: ["Yes", "No"] };
      const { message } = await sendMessage(adminDb(), {
        now: new Date(),
        senderUid: sender,
        chatId,
        draft: { type: "poll", text: "", poll },
      });

      // `voter` has read the poll open and its commit waits, as in a slow instance.
      const held = heldFirstCommit(adminDb());
      const lateVote = votePoll(held.db, new Date(), { uid: voter, chatId, number: message.number, option: 0 });
      await held.waiting;
      await closePoll(adminDb(), new Date(), { uid: sender, chatId, number: message.number });
      held.release();

      await expect(lateVote).rejects.toMatchObject({ code: "failed-precondition" });
      const stored = (await adminDb().doc(`chats/${chatId}/messages/${message.id}`).get()).get("poll") as PollDoc;
      expect(stored).toMatchObject({ closed: true, votes: { "0": 0, "1": 0 }, voterCount: 0 });
      expect((await adminDb().collection(`chats/${chatId}/votes`).count().get()).data().count).toBe(0);
    } finally {
      await dropRoom(room);
    }
  });
});

/**
 * `db`, except that the first batch commit waits until `release()`; `waiting` settles once that
 * commit was asked for (its batch built from what its caller read).
 */
function heldFirstCommit(db: Firestore): { db: Firestore; waiting: Promise<void>; release: () => void } {
  let release = () => {};
  let asked = () => {};
  const waiting = new Promise<void>((resolve) => (asked = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  const hold = (batch: WriteBatch): WriteBatch => {
    if (held) return batch;
    held = true;
    const commit = batch.commit.bind(batch);
    return Object.assign(batch, {
      commit: async () => {
        asked();
        await released;
        return commit();
      },
    });
  };
  return { db: withBatches(db, hold), waiting, release };
}

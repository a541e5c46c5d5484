import { describe, expect, it } from "vitest";
import type { ThreadState } from "../../client/src/index.js";
import { next } from "../helpers/listen.js";
import { newClient, openAcceptedChat } from "../helpers/parley-client.js";

type OnThread = (state: ThreadState) => void;
type OnError = (error: Error) => void;

describe("@parley/client: threads", () => {
  it("when members reply in a thread, then watchThread shows the parent's count and the replies live; the callables list and mark it read", async () => {
    const alice = await newClient("Alice");
    const bob = await newClient("Bob");
    const { chat } = await openAcceptedChat(alice, bob);
    const { message: parent } = await alice.client.rest.sendMessage({ chatId: chat.id, text: "Movie night?" });

    const seen = next(
      (callback: OnThread, onError: OnError) => alice.client.watchThread(chat.id, parent.number, callback, onError),
      (state) => (state.replies.length === 2 && state.parent?.thread?.replyCount === 2 ? state : undefined),
    );
    await seen.ready;
    await bob.client.rest.sendMessage({ chatId: chat.id, text: "Yes!", threadOf: parent.number });
    await alice.client.callables.sendMessage({ chatId: chat.id, text: "Friday", threadOf: parent.number });

    const state = await seen;
    expect(state.replies.map((reply) => [reply.number, reply.text, reply.threadOf])).toEqual([
      [1, "Yes!", parent.number],
      [2, "Friday", parent.number],
    ]);
    expect(state.parent?.thread?.repliers).toEqual([bob.uid, alice.uid]);
    const page = await bob.client.callables.listThread({ chatId: chat.id, number: parent.number, limit: 1 });
    expect(page).toMatchObject({ replies: [{ number: 2 }], hasMore: true });
    expect(await bob.client.rest.markThreadRead({ chatId: chat.id, number: parent.number })).toEqual({
      chatId: chat.id,
      threadOf: parent.number,
      lastRead: 2,
      threadsWithNewReplies: 0,
    });
  });
});

import { describe, expect, it } from "vitest";
import { operations } from "../../functions/src/contract.js";
import { api, createChat, send } from "../helpers/api.js";
import { signUpMany, signUpUnlimited, type TestUser } from "../helpers/users.js";

/** A valid body for each chat route that takes one, so validation passes and access is what decides. */
const bodies: Record<string, object> = {
  sendMessage: { text: "let me in" },
  editMessage: { text: "mine now" },
  forwardMessage: { toChatId: "placeholder" },
  muteChat: {},
  markRead: {},
  markDelivered: { upTo: 1 },
  reportMessage: { reason: "nosy" },
  pinMessage: { number: 1 },
  setTyping: {},
  setLinkPreviews: { enabled: false },
};

/** Every operation whose path names a chat or room, from the declarations: a new route is covered. */
const chatRoutes = Object.values(operations).filter((op) => op.path.includes(":chatId"));

function pathOf(path: string, chatId: string, uid: string) {
  return path
    .replace(":chatId", chatId)
    .replace(":number", "1")
    .replace(":uid", uid)
    .replace(":emoji", encodeURIComponent("👍"))
    .replace(":option", "0");
}

describe("a chat's existence, seen from outside", () => {
  it("when a non-member calls any chat route, then the answer is the same 404 as for a chat that does not exist", async () => {
    // Mallory calls every chat route four times: more than a limit's burst, and limits are not
    // what this test is about (a refusal for the rate comes before any read, member or not).
    const [[alice, bob], [mallory]] = await Promise.all([signUpMany("Alice", "Bob"), signUpUnlimited("Mallory")]);
    const direct = await createChat(alice, bob);
    await send(alice, direct, "private");
    const room = await api<{ chat: { id: string } }>(alice, "POST", "/rooms", { body: { title: "Private room" } });
    await send(alice, room.body.chat.id, "room secret");
    const ownChat = await createChat(mallory, bob);
    const missing = { direct: `${alice.uid}_zzzzzzzzzzzzzzzzzzzzzzzzzzzz`, room: "NoSuchRoom1234567890" };

    const call = (who: TestUser, op: (typeof chatRoutes)[number], chatId: string) => {
      const body = op.name === "forwardMessage" ? { toChatId: ownChat } : bodies[op.name];
      return api(who, op.method.toUpperCase(), pathOf(op.path, chatId, bob.uid), body ? { body } : {});
    };
    for (const op of chatRoutes) {
      for (const [existing, absent] of [
        [direct, missing.direct],
        [room.body.chat.id, missing.room],
      ]) {
        const outsider = await call(mallory, op, existing);
        const nothing = await call(mallory, op, absent);
        expect({ op: op.name, status: outsider.status, body: outsider.body }).toEqual({
          op: op.name,
          status: 404,
          body: nothing.body,
        });
        expect(nothing.status).toBe(404);
      }
    }
    expect(chatRoutes.length).toBeGreaterThanOrEqual(20);
  });

  it("when a member forwards into a chat they are not in, then 404 as for no chat, and nothing is sent", async () => {
    const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
    const theirs = await createChat(alice, bob);
    const own = await createChat(mallory, bob);
    await send(mallory, own, "forward me");

    const intoTheirs = await api(mallory, "POST", `/chats/${own}/messages/1/forward`, { body: { toChatId: theirs } });
    const intoNothing = await api(mallory, "POST", `/chats/${own}/messages/1/forward`, {
      body: { toChatId: `${alice.uid}_zzzzzzzzzzzzzzzzzzzzzzzzzzzz` },
    });

    expect(intoTheirs.status).toBe(404);
    expect(intoTheirs.body).toEqual(intoNothing.body);
    expect((await api<{ messages: unknown[] }>(alice, "GET", `/chats/${theirs}/messages`)).body.messages).toEqual([]);
  });
});

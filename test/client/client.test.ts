import { describe, expect, it, vi } from "vitest";
import { ParleyError, type ChatView, type MessagesState } from "../../client/src/index.js";
import { png } from "../helpers/files.js";
import { next, watch } from "../helpers/listen.js";
import { newClient, openAcceptedChat } from "../helpers/parley-client.js";

describe("@parley/client", () => {
  it("when two users chat through the client, then REST, callables and realtime helpers agree", async () => {
    const alice = await newClient("Alice");
    const bob = await newClient("Bob");

    const { chat } = await openAcceptedChat(alice, bob);
    const unreadForBob = next(bob.client.watchChats, (chats) => chats.find((c) => c.id === chat.id && c.unreadCount === 2));
    const flagged = next(bob.client.watchExternalEvents, (event) => (event.notifyNewMessage ? event : undefined));
    await Promise.all([unreadForBob.ready, flagged.ready]);
    await alice.client.rest.sendMessage({ chatId: chat.id, text: "Hi Bob", clientMessageId: "c-1" });
    const viaCallable = await alice.client.callables.sendMessage({ chatId: chat.id, text: "Lunch?", replyTo: 1 });

    expect(viaCallable).toMatchObject({ created: true, message: { number: 2, reference: { type: "reply", number: 1 } } });
    expect((await unreadForBob).lastMessage).toMatchObject({ number: 2, preview: "Lunch?" });
    expect((await flagged).lastEvent).toMatchObject({ chatId: chat.id });
    expect(await bob.client.rest.markRead({ chatId: chat.id })).toEqual({ chatId: chat.id, lastRead: 2, unreadCount: 0 });
    const listed = await bob.client.callables.listMessages({ chatId: chat.id });
    expect(listed.messages.map((m) => m.text)).toEqual(["Hi Bob", "Lunch?"]);
  });

  it("when watching a chat's messages, then the latest page arrives, new and edited messages follow, and loadOlder pages back", async () => {
    // 35 sends in a row: more than a chat's send burst.
    const alice = await newClient("Alice", { unlimited: true });
    const bob = await newClient("Bob");
    const { chat } = await openAcceptedChat(alice, bob);
    for (let i = 1; i <= 35; i++) await alice.client.rest.sendMessage({ chatId: chat.id, text: `m${i}` });

    const messages = watch((callback: (state: MessagesState) => void, onError: (error: Error) => void) =>
      bob.client.watchMessages(chat.id, callback, onError),
    );

    const first = await messages.until((state) => (state.messages.length === 30 ? state : undefined));
    expect(first.messages[0].number).toBe(6);
    expect(first.hasOlder).toBe(true);
    await alice.client.rest.sendMessage({ chatId: chat.id, text: "m36" });
    await messages.until((state) => state.messages.at(-1)?.text === "m36" || undefined);
    await alice.client.rest.editMessage({ chatId: chat.id, number: 36, text: "m36 (edited)" });
    await messages.until((state) => state.messages.at(-1)?.text === "m36 (edited)" || undefined);
    await bob.client.rest.hideMessage({ chatId: chat.id, number: 35 });
    await messages.until((state) => (state.messages.some((m) => m.number === 35) ? undefined : true));
    const all = await messages.until(
      (state) => (state.messages[0]?.number === 1 ? state : undefined),
      (subscription) => subscription.loadOlder(),
    );
    messages.stop();

    expect(all.hasOlder).toBe(false);
    expect(all.messages.map((m) => m.number)).toEqual([...Array.from({ length: 34 }, (_, i) => i + 1), 36]);
    expect(all.messages.at(-1)?.editedAt).toMatch(/^\d{4}-/);
  });

  it("when sending a picture, then the file message carries a thumbnail the client can download", async () => {
    const alice = await newClient("Alice");
    const bob = await newClient("Bob");
    const { chat } = await openAcceptedChat(alice, bob);
    const bytes = await png(500, 250);
    const progress: number[] = [];

    const { message } = await alice.client.rest.sendFile(
      chat.id,
      new Blob([new Uint8Array(bytes)], { type: "image/png" }),
      "p.png",
      {
        text: "look",
        onProgress: (fraction) => progress.push(fraction),
      },
    );
    const thumbnail = await bob.client.rest.download(message.file!.thumbnail!.downloadPath);
    const original = Buffer.from(await (await bob.client.rest.download(message.file!.downloadPath)).arrayBuffer());

    expect(message).toMatchObject({
      type: "image",
      text: "look",
      file: { width: 500, height: 250, thumbnail: { width: 320, height: 160 } },
    });
    expect(progress.at(-1)).toBe(1);
    expect(thumbnail.size).toBe(message.file!.thumbnail!.size);
    expect(original.equals(bytes)).toBe(true);
  });

  it("when a call fails, then a ParleyError carries the API's code, from REST and from callables alike", async () => {
    const alice = await newClient("Alice");

    const rest = await alice.client.rest.getChat({ chatId: "no-such-chat" }).catch((error: unknown) => error);
    const callable = await alice.client.callables.createChat({ memberUid: alice.uid }).catch((error: unknown) => error);
    const rooms = await alice.client.rest.joinRoom({ inviteCode: "A".repeat(22) }).catch((error: unknown) => error);

    expect(rest).toBeInstanceOf(ParleyError);
    expect(rest).toMatchObject({ code: "not-found", status: 404, message: "No such chat, or you are not a member of it." });
    expect(callable).toMatchObject({ code: "invalid-argument", message: "memberUid: you cannot start a chat with yourself" });
    expect(rooms).toMatchObject({ code: "not-found", status: 404 });
    await alice.client.signOut();
    await expect(alice.client.rest.listChats()).rejects.toMatchObject({ code: "unauthenticated" });
  });

  it("when a user is in a 1:1 chat and a room, then watchChats lists both newest first, the room with its derived unread count", async () => {
    const ann = await newClient("Ann");
    const ben = await newClient("Ben");
    const cat = await newClient("Cat");
    const { chat: direct } = await openAcceptedChat(ann, ben);
    const room = await cat.client.rest.createRoom({ title: "Walks" });
    await ann.client.rest.joinRoom({ inviteCode: room.inviteCode });
    await ben.client.rest.sendMessage({ chatId: direct.id, text: "first" });
    const both = next(ann.client.watchChats, (chats) =>
      chats.length === 2 && chats[0].id === room.chat.id && chats[0].unreadCount === 2 ? chats : undefined,
    );

    await both.ready;
    await cat.client.rest.sendMessage({ chatId: room.chat.id, text: "one" });
    await cat.client.rest.sendMessage({ chatId: room.chat.id, text: "two" });

    const [roomView, directView] = await both;
    expect(roomView).toMatchObject({
      type: "room",
      title: "Walks",
      members: [],
      memberCount: 2,
      lastMessage: { preview: "two" },
    });
    expect(directView).toMatchObject({ id: direct.id, unreadCount: 1 });
    const read = next(ann.client.watchChats, (chats) => chats.find((c) => c.id === room.chat.id && c.unreadCount === 0));
    await read.ready;
    await ann.client.rest.markRead({ chatId: room.chat.id });
    expect(await read).toMatchObject({ lastRead: { [ann.uid]: 3 } });
  });

  it("when a member is removed from a room, then their watchChat answers null", async () => {
    const host = await newClient("Host");
    const guest = await newClient("Guest");
    const room = await host.client.rest.createRoom({ title: "Short stay" });
    await guest.client.rest.joinRoom({ inviteCode: room.inviteCode });
    const watch = (callback: (chat: ChatView | null) => void, onError: (error: Error) => void) =>
      guest.client.watchChat(room.chat.id, callback, onError);
    expect(await next(watch, (chat) => chat ?? undefined)).toMatchObject({ id: room.chat.id, unreadCount: 0 });
    const gone = next(watch, (chat) => (chat === null ? "gone" : undefined));

    await gone.ready;
    await host.client.rest.removeRoomMember({ chatId: room.chat.id, uid: guest.uid });

    expect(await gone).toBe("gone");
  });

  it("when a listener is refused, then onError hears it once, next() rejects, and with no onError the console says so", async () => {
    const alice = await newClient("Alice");
    const bob = await newClient("Bob");
    const eve = await newClient("Eve");
    const { chat } = await openAcceptedChat(alice, bob);
    const codes: string[] = [];
    const refused = new Promise<void>((resolve) => {
      eve.client.watchMessages(
        chat.id,
        () => undefined,
        (error) => {
          codes.push((error as { code?: string }).code ?? "");
          resolve();
        },
      );
    });
    await refused;
    // Its three listeners (messages, hidden, own reactions) are all refused; one report.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(codes).toEqual(["permission-denied"]);
    const watch = (callback: (chat: ChatView | null) => void, onError: (error: Error) => void) =>
      eve.client.watchChat(chat.id, callback, onError);
    await expect(next(watch, (view) => view ?? undefined)).rejects.toMatchObject({ code: "permission-denied" });

    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const stop = eve.client.watchChat(chat.id, () => undefined);
    await vi.waitFor(() => expect(logged).toHaveBeenCalledWith(expect.stringContaining("permission-denied")), {
      timeout: 10_000,
    });
    stop();
    logged.mockRestore();
  });
});

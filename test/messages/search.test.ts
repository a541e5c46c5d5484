import { FieldValue } from "firebase-admin/firestore";
import { describe, expect, it } from "vitest";
import { migrateSearchWords } from "../../functions/src/messages/migrate-words.js";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { clientFor } from "../helpers/client.js";
import { signUpMany } from "../helpers/users.js";

interface Page {
  messages: { number: number; text: string }[];
  hasMore: boolean;
  nextBefore?: number | null;
}

const search = (chatId: string, q: string, extra = "") => `/chats/${chatId}/messages?q=${encodeURIComponent(q)}${extra}`;

describe("message search", () => {
  it("when searching, then messages holding every word match, case and accents aside, newest first; hidden and deleted never match", async () => {
    const [alice, bob, eve] = await signUpMany("Alice", "Bob", "Eve");
    const chatId = await createChat(alice, bob);
    const texts = [
      "Meet at the Café",
      "cafe closed today",
      "The CAFÉ opens at nine",
      "tea at home",
      "café? at noon",
      "secret cafe at dawn",
    ];
    for (const text of texts) await send(alice, chatId, text);
    await api(alice, "DELETE", `/chats/${chatId}/messages/5`);
    await api(bob, "POST", `/chats/${chatId}/messages/6/hide`);
    await api(alice, "PATCH", `/chats/${chatId}/messages/4`, { body: { text: "tea at the cafe" } });

    const asBob = await api<Page>(bob, "GET", search(chatId, "cafe AT"));
    const asAlice = await api<Page>(alice, "GET", search(chatId, "café at"));
    const none = await api<Page>(bob, "GET", search(chatId, "caf"));

    expect(asBob.body.messages.map((m) => m.number)).toEqual([4, 3, 1]);
    expect(asBob.body).toMatchObject({ hasMore: false, nextBefore: null });
    expect(asAlice.body.messages.map((m) => m.number)).toEqual([6, 4, 3, 1]);
    expect(none.body.messages).toEqual([]);
    expect((await api(eve, "GET", search(chatId, "cafe"))).status).toBe(404);
    expect((await api(bob, "GET", search(chatId, "?!"))).status).toBe(400);
    expect((await api(bob, "GET", search(chatId, "cafe", "&after=1"))).status).toBe(400);
  });

  it("when there are more matches than a page, then pages follow with nextBefore as before, through the callable too", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    for (let i = 1; i <= 7; i++) await send(alice, chatId, i % 2 ? `report ${i}` : `other ${i}`);

    const asBob = await clientFor(bob);
    try {
      const first = await asBob.call<Page>("listMessages", { chatId, q: "report", limit: 2 });
      const second = await asBob.call<Page>("listMessages", { chatId, q: "report", limit: 2, before: first.nextBefore });
      expect(first.messages.map((m) => m.number)).toEqual([7, 5]);
      expect(first).toMatchObject({ hasMore: true, nextBefore: 5 });
      expect(second.messages.map((m) => m.number)).toEqual([3, 1]);
      const third = await asBob.call<Page>("listMessages", { chatId, q: "report", limit: 2, before: second.nextBefore ?? 1 });
      expect(third.messages).toEqual([]);
      expect(third.hasMore).toBe(false);
    } finally {
      await asBob.close();
    }
  });

  it("when messages were sent before search, then the migration gives them their words, once, and search finds them", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "Old Résumé attached");
    const ref = adminDb().doc(`chats/${chatId}/messages/0000000001`);
    await ref.update({ words: FieldValue.delete() });
    expect((await api<Page>(bob, "GET", search(chatId, "resume"))).body.messages).toEqual([]);

    const first = await migrateSearchWords(adminDb());
    const again = await migrateSearchWords(adminDb());

    expect(first.indexed).toBeGreaterThanOrEqual(1);
    expect((await ref.get()).get("words")).toEqual(["old", "resume", "attached"]);
    expect(again.read).toBeGreaterThanOrEqual(first.read);
    expect((await api<Page>(bob, "GET", search(chatId, "resume"))).body.messages.map((m) => m.number)).toEqual([1]);
  });
});

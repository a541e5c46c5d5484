import { describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api, createChat } from "../helpers/api.js";
import { upload } from "../helpers/files.js";
import { signUpMany } from "../helpers/users.js";

describe("names other users see", () => {
  it("when a file name or a room title carries bidi overrides or control characters, then what is stored has none", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const sent = await upload(alice, chatId, { bytes: Buffer.from("MZ"), filename: "invoice\u202Egpj.exe" });
    const room = await api<{ chat: { id: string; title: string } }>(alice, "POST", "/rooms", {
      body: { title: "Book\u0007 club\u2066" },
    });
    const onlyControls = await api(alice, "POST", "/rooms", { body: { title: "\u202E\u202E" } });

    expect(sent.status).toBe(201);
    expect(sent.body.message.file?.name).toBe("invoicegpj.exe");
    const stored = (await adminDb().doc(`chats/${chatId}/messages/0000000001`).get()).get("file");
    expect([stored.name, stored.path.split("/").at(-1)]).toEqual(["invoicegpj.exe", "invoicegpj.exe"]);
    expect(room.body.chat.title).toBe("Book club");
    expect((await adminDb().doc(`chats/${room.body.chat.id}`).get()).get("title")).toBe("Book club");
    expect(onlyControls).toMatchObject({ status: 400, body: { error: { message: "title: must not be empty" } } });
  });
});

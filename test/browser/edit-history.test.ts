import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { launchBrowser, messagesOf, signedInAs } from "../helpers/browser.js";
import { signUpMany } from "../helpers/users.js";

const shots = "test-results/screenshots";
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

describe("edit history and mutes in the web app", () => {
  it("when alice edits a message twice, then bob sees it marked edited and opens its earlier texts, newest first", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "Lunch at 12");
    const [aliceWindow, bobWindow] = await Promise.all([
      signedInAs(browser, alice, undefined, `/chats/${chatId}`),
      signedInAs(browser, bob, undefined, `/chats/${chatId}`),
    ]);

    // Alice edits through the message's actions.
    const ownMessage = messagesOf(aliceWindow).getByRole("listitem", { name: /Message 1 from/ });
    await ownMessage.getByRole("button", { name: "Message actions" }).click();
    await ownMessage.getByRole("button", { name: "Edit", exact: true }).click();
    await ownMessage.getByRole("textbox", { name: "Edit message" }).fill("Lunch at 1");
    await ownMessage.getByRole("button", { name: "Save" }).click();

    // Bob sees the new text, marked edited; the marker opens the earlier text.
    const message = messagesOf(bobWindow).getByRole("listitem", { name: /Message 1 from/ });
    await message.getByText("Lunch at 1", { exact: true }).waitFor();
    await message.getByRole("button", { name: "edited", exact: true }).click();
    const history = message.getByRole("list", { name: "Earlier versions of message 1" });
    await history.getByText("Lunch at 12", { exact: true }).waitFor();

    // A second edit: the open history follows, newest first, and the marker counts it.
    await api(alice, "PATCH", `/chats/${chatId}/messages/1`, { body: { text: "Lunch at 2" } });
    await message.getByRole("button", { name: "edited 2 times", exact: true }).waitFor();
    await expect
      .poll(async () => (await history.getByRole("listitem").allTextContents()).map((text) => text.split(" replaced")[0]))
      .toEqual(["Lunch at 1", "Lunch at 12"]);
    await bobWindow.screenshot({ path: `${shots}/edit-history.png` });
  }, 120_000);

  it("when alice mutes mallory from a room's member list, then her settings hold it, and unmuting removes it", async () => {
    const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
    const room = await api<{ chat: { id: string }; inviteCode: string }>(alice, "POST", "/rooms", { body: { title: "Trip" } });
    for (const user of [bob, mallory]) await api(user, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
    const aliceWindow = await signedInAs(browser, alice, undefined, `/chats/${room.body.chat.id}`);
    const mutedUsers = async () =>
      Object.keys(((await adminDb().doc(`user-settings/${alice.uid}`).get()).get("mutedUsers") ?? {}) as object);

    await aliceWindow.getByRole("button", { name: /^Members/ }).click();
    const members = aliceWindow.getByRole("complementary", { name: "Members" });
    await members.getByRole("button", { name: `Mute ${mallory.displayName}`, exact: true }).click();
    await members.getByRole("button", { name: `Unmute ${mallory.displayName}`, exact: true }).waitFor();
    expect(await mutedUsers()).toEqual([mallory.uid]);
    expect(await members.getByRole("button", { name: `Mute ${alice.displayName}`, exact: true }).count()).toBe(0);

    await members.getByRole("button", { name: `Unmute ${mallory.displayName}`, exact: true }).click();
    await members.getByRole("button", { name: `Mute ${mallory.displayName}`, exact: true }).waitFor();
    expect(await mutedUsers()).toEqual([]);
  }, 120_000);
});

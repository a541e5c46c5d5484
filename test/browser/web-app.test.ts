import { readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appUrl, chatsOf, launchBrowser, messagesOf, openChatWith, shown, signedInAs, write } from "../helpers/browser.js";
import { signUpMany, type TestUser } from "../helpers/users.js";

const shots = "test-results/screenshots";
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());
const signedIn = (user: TestUser, viewport?: { width: number; height: number }, path?: string) =>
  signedInAs(browser, user, viewport, path);

describe("the web app in Chromium", () => {
  it("when alice and bob chat, then messages, unread badges, photos and deletions show live in both windows; an invite link lets carol join", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const [aliceWindow, bobWindow] = await Promise.all([signedIn(alice), signedIn(bob)]);

    // Alice opens a chat with bob from the directory and writes.
    await openChatWith(aliceWindow, bob);
    await write(aliceWindow, "Hello Bob!");
    await expect.poll(() => messagesOf(aliceWindow).getByText("Hello Bob!").count(), shown).toBe(1);

    // They share no room: it reaches bob as a message request, with an unread badge, without a
    // reload. Reading it sends no "seen"; accepting moves it to his chats and clears the badge.
    await chatsOf(bobWindow).getByRole("button", { name: "Requests (1)" }).click();
    const chatForBob = chatsOf(bobWindow).getByRole("button", { name: new RegExp(alice.displayName) });
    await chatForBob.getByLabel("1 unread").waitFor();
    await expect.poll(() => chatForBob.textContent(), shown).toContain("Hello Bob!");
    await bobWindow.screenshot({ path: `${shots}/1-unread-badge.png` });
    await chatForBob.click();
    await messagesOf(bobWindow).getByText("Hello Bob!").waitFor();
    await aliceWindow.getByRole("status").getByText("Message request:", { exact: false }).waitFor();
    await bobWindow.getByRole("region", { name: "Message request" }).getByRole("button", { name: "Accept" }).click();
    await chatsOf(bobWindow).getByRole("button", { name: "Requests (0)" }).waitFor();
    await chatsOf(bobWindow).getByRole("button", { name: "Chats" }).click();
    await chatForBob.getByLabel("1 unread").waitFor({ state: "detached" });
    await aliceWindow.getByRole("status").getByText("Message request:", { exact: false }).waitFor({ state: "detached" });

    // Bob sends a picture; alice sees its thumbnail.
    await bobWindow
      .getByLabel("Attach a file")
      .setInputFiles({ name: "view.jpg", mimeType: "image/jpeg", buffer: readFileSync("docs/photo.jpg") });
    const photo = aliceWindow.getByRole("img", { name: `Photo from ${bob.displayName}` });
    await photo.waitFor();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), shown).toBe(320);
    await aliceWindow.screenshot({ path: `${shots}/2-photo-thumbnail.png` });

    // Bob deletes it for everyone: it is gone from both windows.
    const bobsPhoto = messagesOf(bobWindow).getByRole("listitem", { name: /Message 2 from/ });
    await bobsPhoto.getByRole("button", { name: "Message actions" }).click();
    await bobsPhoto.getByRole("button", { name: "Delete for everyone" }).click();
    for (const window of [aliceWindow, bobWindow]) {
      await messagesOf(window)
        .getByRole("listitem", { name: /Message 2 from/ })
        .getByText("Message deleted")
        .waitFor();
    }
    await expect.poll(() => photo.count(), shown).toBe(0);

    // Alice makes a room; carol opens the invite link on a phone-sized screen and is in.
    await chatsOf(aliceWindow).getByRole("button", { name: "New room" }).click();
    await aliceWindow.getByLabel("Room title").fill("Weekend trip");
    await aliceWindow.getByRole("button", { name: "Create room" }).click();
    await aliceWindow.getByRole("button", { name: "Copy invite link" }).click();
    const link = await aliceWindow.getByLabel("Invite link").inputValue();
    expect(link).toMatch(new RegExp(`^${appUrl}/join/[A-Za-z0-9_-]{22}$`));
    const carolWindow = await signedIn(carol, { width: 390, height: 800 }, new URL(link).pathname);
    // The link asks before joining: nobody is put in a room by opening a URL.
    await carolWindow.getByRole("heading", { name: "You were invited to a room" }).waitFor();
    await carolWindow.screenshot({ path: `${shots}/3-join-asks.png` });
    await carolWindow.getByRole("button", { name: "Join room" }).click();
    await carolWindow.getByRole("heading", { name: "Weekend trip" }).waitFor();
    await messagesOf(aliceWindow).getByText(`${carol.displayName} joined`).waitFor();
    await write(carolWindow, "Count me in");
    await messagesOf(aliceWindow).getByText("Count me in").waitFor();
    await carolWindow.screenshot({ path: `${shots}/4-room-on-phone.png` });
    await aliceWindow.screenshot({ path: `${shots}/5-room.png` });
  }, 120_000);

  it("when bob reports and blocks alice, then the report is filed, alice can no longer write to him, and he can unblock her", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const [aliceWindow, bobWindow] = await Promise.all([signedIn(alice), signedIn(bob)]);
    await openChatWith(aliceWindow, bob);
    await write(aliceWindow, "Buy my course!");

    // A stranger's chat is a message request: bob opens it from his requests.
    await chatsOf(bobWindow).getByRole("button", { name: "Requests (1)" }).click();
    await chatsOf(bobWindow)
      .getByRole("button", { name: new RegExp(alice.displayName) })
      .click();
    const spam = messagesOf(bobWindow).getByRole("listitem", { name: /Message 1 from/ });
    await spam.getByRole("button", { name: "Message actions" }).click();
    await spam.getByRole("button", { name: "Report" }).click();
    await spam.getByLabel("Why are you reporting this message?").fill("Spam");
    await spam.getByRole("button", { name: "Send report" }).click();
    await spam.getByRole("status").getByText("Reported.", { exact: false }).waitFor();
    await bobWindow.getByRole("button", { name: "Block", exact: true }).click();
    await bobWindow.getByRole("button", { name: "Unblock" }).waitFor();
    await spam.getByText("Message from someone you blocked").waitFor();
    await bobWindow.screenshot({ path: `${shots}/6-blocked.png` });

    await write(aliceWindow, "Hello?");
    await aliceWindow.getByRole("alert").getByText("You can't message this user.").waitFor();

    await bobWindow.getByRole("button", { name: "Unblock" }).click();
    await bobWindow.getByRole("button", { name: "Block", exact: true }).waitFor();
    await spam.getByText("Buy my course!").waitFor();
  }, 120_000);
});

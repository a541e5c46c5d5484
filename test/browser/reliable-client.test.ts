import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { chatsOf, launchBrowser, messagesOf, openChatWith, shown, signedInAs, write } from "../helpers/browser.js";
import { signUpMany, signUpUnlimited, type TestUser } from "../helpers/users.js";

const shots = "test-results/screenshots";
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

const composer = (page: Page) => page.getByLabel("Message", { exact: true });
const outgoing = (page: Page, status: string) => messagesOf(page).locator(`li.outgoing[data-status="${status}"]`);

/** How many stored messages of `chatId` have `text`. */
async function stored(chatId: string, text: string): Promise<number> {
  return (await adminDb().collection(`chats/${chatId}/messages`).where("text", "==", text).count().get()).data().count;
}

/** Opens the chat with `other` from the chat list. */
async function openFromList(page: Page, other: TestUser) {
  await chatsOf(page)
    .getByRole("button", { name: new RegExp(other.displayName) })
    .click();
}

describe("a client that never loses a message (Chromium)", () => {
  it("when alice sends offline, then her message shows pending at once, her next draft stays, and it arrives once when she is back", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(bob, chatId, "Are you there?");
    const [aliceWindow, bobWindow] = await Promise.all([signedInAs(browser, alice), signedInAs(browser, bob)]);
    await openFromList(aliceWindow, bob);
    await openFromList(bobWindow, alice);
    await messagesOf(aliceWindow).getByText("Are you there?").waitFor();

    await aliceWindow.context().setOffline(true);
    await write(aliceWindow, "Sent from a tunnel");
    // Shown before any server could answer: there is no network.
    await outgoing(aliceWindow, "pending").getByText("Sent from a tunnel").waitFor();
    await composer(aliceWindow).fill("and this is my next draft");
    await aliceWindow.screenshot({ path: `${shots}/7-pending-offline.png` });
    expect(await stored(chatId, "Sent from a tunnel")).toBe(0);

    await aliceWindow.context().setOffline(false);
    await messagesOf(bobWindow).getByText("Sent from a tunnel").waitFor();
    await expect.poll(() => outgoing(aliceWindow, "pending").count(), shown).toBe(0);
    await expect.poll(() => messagesOf(aliceWindow).getByText("Sent from a tunnel").count(), shown).toBe(1);
    expect(await stored(chatId, "Sent from a tunnel")).toBe(1);
    expect(await composer(aliceWindow).inputValue()).toBe("and this is my next draft");
  }, 120_000);

  it("when alice types her next message while one is in flight, then the draft survives the answer", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const aliceWindow = await signedInAs(browser, alice);
    await openChatWith(aliceWindow, bob);

    await write(aliceWindow, "first");
    await composer(aliceWindow).fill("second, still typing");
    await messagesOf(aliceWindow)
      .getByRole("listitem", { name: /Message 1 from/ })
      .waitFor();
    await aliceWindow.waitForTimeout(1000);
    expect(await composer(aliceWindow).inputValue()).toBe("second, still typing");
  }, 60_000);

  it("when alice leaves a draft and signs out, then bob signing in on the same tab sees an empty composer in their chat", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(bob, chatId, "hi both");
    const page = await signedInAs(browser, alice);
    await openFromList(page, bob);
    await composer(page).fill("alice's unsent thoughts");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Email").fill(bob.email);
    await page.getByLabel("Password").fill(bob.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await openFromList(page, alice);
    await messagesOf(page).getByText("hi both").waitFor();

    expect(await composer(page).inputValue()).toBe("");
  }, 60_000);

  it("when the server refuses a send, then it shows as not sent, with Retry and Discard", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await api(bob, "POST", "/blocks", { body: { uid: alice.uid } });
    const aliceWindow = await signedInAs(browser, alice);
    await openFromList(aliceWindow, bob);

    await write(aliceWindow, "Hello?");
    const failed = outgoing(aliceWindow, "failed");
    await failed.getByRole("alert").getByText("You can't message this user.").waitFor();
    await failed.getByRole("button", { name: "Retry" }).waitFor();
    await failed.getByRole("button", { name: "Discard" }).click();
    await expect.poll(() => failed.count(), shown).toBe(0);
    expect(await stored(chatId, "Hello?")).toBe(0);
  }, 60_000);

  it("when alice was away 30 minutes while bob sent 30 messages, then she sees every number once after reconnecting", async () => {
    // Bob sends 31 in a row: more than a chat's send burst.
    const [[alice], [bob]] = await Promise.all([signUpMany("Alice"), signUpUnlimited("Bob")]);
    const chatId = await createChat(alice, bob);
    await send(bob, chatId, "before");
    const aliceWindow = await signedInAs(browser, alice);
    // The page's clock is Playwright's from here: the 30 minutes away pass in an instant, with
    // every timer the SDKs set meanwhile (retries, backoffs, idle timeouts) firing as it would.
    await aliceWindow.clock.install();
    await openFromList(aliceWindow, bob);
    await messagesOf(aliceWindow).getByText("before").waitFor();

    await aliceWindow.context().setOffline(true);
    for (let i = 1; i <= 30; i++) await send(bob, chatId, `while away ${i}`);
    await aliceWindow.clock.fastForward("30:00");
    await aliceWindow.context().setOffline(false);

    await messagesOf(aliceWindow).getByText("while away 30", { exact: true }).waitFor({ timeout: 30_000 });
    const numbers = await messagesOf(aliceWindow)
      .locator("li[data-number]")
      .evaluateAll((items) => items.map((item) => Number(item.getAttribute("data-number"))));
    expect(numbers).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
  }, 120_000);
});

describe("conversation features in the web app (Chromium)", () => {
  it("when alice and bob talk, then typing, seen, reactions, pins, mentions and search show in both windows, accessibly", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const [aliceWindow, bobWindow] = await Promise.all([signedInAs(browser, alice), signedInAs(browser, bob)]);
    await openFromList(aliceWindow, bob);
    await openFromList(bobWindow, alice);

    // Typing shows in the other window while bob types. An indicator lasts 5 s from its write, so
    // bob keeps typing (the composer refreshes it at most every 3 s) until alice's listener has
    // had one in time: a snapshot that comes later than 5 s shows none, as it would to a user.
    const typing = aliceWindow.getByText(`${bob.displayName} is typing…`);
    await expect
      .poll(
        async () => {
          await composer(bobWindow).pressSequentially("a", { delay: 20 });
          return typing.isVisible();
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(true);
    await composer(bobWindow).fill("");

    // A mention picked from the suggestions; bob's view counts it and "Seen" follows his read.
    await composer(aliceWindow).fill(`See you at the Café, @${bob.displayName.slice(0, 3)}`);
    await aliceWindow.getByRole("button", { name: `Mention ${bob.displayName}` }).click();
    await composer(aliceWindow).press("Enter");
    const first = messagesOf(bobWindow).getByRole("listitem", { name: /Message 1 from/ });
    await first.getByText("See you at the Café").waitFor();
    const stored = await adminDb().doc(`chats/${chatId}/messages/0000000001`).get();
    expect(stored.get("mentions")).toEqual([bob.uid]);
    await messagesOf(aliceWindow).getByText("Seen").waitFor();

    // Bob reacts and pins; alice sees both.
    await first.getByRole("button", { name: "Message actions" }).click();
    await first.getByRole("button", { name: "React 👍" }).click();
    await messagesOf(aliceWindow).getByRole("button", { name: "👍 1" }).waitFor();
    await first.getByRole("button", { name: "Message actions" }).click();
    await first.getByRole("button", { name: "Pin" }).click();
    await aliceWindow.getByRole("complementary", { name: "Pinned messages" }).getByText("See you at the Café").waitFor();

    // Search ignores case and accents.
    await bobWindow.getByRole("button", { name: "Search chat" }).click();
    await bobWindow.getByLabel("Search messages").fill("cafe");
    await bobWindow.getByLabel("Search messages").press("Enter");
    await bobWindow.getByRole("list", { name: "Search results" }).getByText("See you at the Café").waitFor();
    await bobWindow.screenshot({ path: `${shots}/8-features.png` });

    for (const window of [aliceWindow, bobWindow]) {
      const results = await new AxeBuilder({ page: window }).withTags(["wcag2a", "wcag2aa"]).analyze();
      const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    }
  }, 120_000);

  it("when a room member says bye on a phone-sized screen, then the room sees the goodbye and that they left; the members panel lists who is in", async () => {
    const [host, guest] = await signUpMany("Host", "Guest");
    const room = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", {
      body: { title: "Book club" },
    });
    await api(guest, "POST", "/rooms/join", { body: { inviteCode: room.body.inviteCode } });
    const [hostWindow, guestWindow] = await Promise.all([
      signedInAs(browser, host),
      signedInAs(browser, guest, { width: 390, height: 800 }),
    ]);
    await chatsOf(hostWindow)
      .getByRole("button", { name: /Book club/ })
      .click();
    await chatsOf(guestWindow)
      .getByRole("button", { name: /Book club/ })
      .click();

    await hostWindow.getByRole("button", { name: /Members \(2\)/ }).click();
    await hostWindow.getByRole("complementary", { name: "Members" }).getByText(guest.displayName).waitFor();
    // On a phone the chat's actions are behind the header's menu.
    await guestWindow.getByRole("button", { name: "Chat menu" }).click();
    await guestWindow.getByRole("button", { name: "Say bye" }).click();
    await messagesOf(hostWindow).getByText("Bye, everyone! 👋").waitFor();
    await messagesOf(hostWindow).getByText(`${guest.displayName} left`).waitFor();
    const results = await new AxeBuilder({ page: guestWindow }).withTags(["wcag2a", "wcag2aa"]).analyze();
    expect(results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  }, 120_000);

  it("when bob opens a long chat with unread messages, then times, the day, the unread divider and Jump to latest work, by keyboard too", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(bob, chatId, "my last word");
    // 20: all in the first page (30), so the divider's place doesn't wait for older pages.
    for (let i = 1; i <= 20; i++) await send(alice, chatId, `news ${i}`);
    const bobWindow = await signedInAs(browser, bob, { width: 390, height: 700 });
    await openFromList(bobWindow, alice);

    const list = messagesOf(bobWindow);
    await list.getByText("news 20", { exact: true }).waitFor();
    await list.getByText("Today").first().waitFor();
    const divider = list.locator("li.unread-divider");
    expect(await divider.textContent()).toBe("New messages");
    // The divider sits right after the last message bob had read: his own.
    const afterDivider = await divider.evaluate((li) => li.nextElementSibling?.getAttribute("aria-label"));
    expect(afterDivider).toMatch(/^Message 2 from/);
    const time = list.getByRole("listitem", { name: /Message 21 from/ }).locator("time");
    expect(await time.getAttribute("datetime")).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    await list.evaluate((ol) => ol.scrollTo({ top: 0 }));
    const jump = bobWindow.getByRole("button", { name: "Jump to latest" });
    await jump.waitFor();
    await jump.focus();
    await bobWindow.keyboard.press("Enter");
    await jump.waitFor({ state: "detached" });

    // The actions menu by keyboard alone.
    const last = list.getByRole("listitem", { name: /Message 21 from/ });
    await last.getByRole("button", { name: "Message actions" }).focus();
    await bobWindow.keyboard.press("Enter");
    await last.getByRole("button", { name: "Reply" }).waitFor();
    await bobWindow.screenshot({ path: `${shots}/9-long-chat-on-phone.png` });
  }, 120_000);
});

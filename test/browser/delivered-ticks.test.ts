import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { createChat } from "../helpers/api.js";
import { chatsOf, launchBrowser, messagesOf, signedInAs, write } from "../helpers/browser.js";
import { signUpMany } from "../helpers/users.js";

const shots = "test-results/screenshots";
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

/** The ticks of the user's own message holding `text`, by their accessible name. */
const ticksOf = (page: Page, text: string, status: "Sent" | "Delivered" | "Seen") =>
  messagesOf(page).locator("li.message", { hasText: text }).getByRole("img", { name: status, exact: true });

describe("ticks for sent, delivered and seen in the web app", () => {
  it("when alice writes to bob, then her message shows Sent, Delivered once bob's app is open, and Seen once he opens the chat", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const aliceWindow = await signedInAs(browser, alice, undefined, `/chats/${chatId}`);
    await write(aliceWindow, "Lunch at noon?");
    await ticksOf(aliceWindow, "Lunch at noon?", "Sent").waitFor();
    expect((await adminDb().doc(`chats/${chatId}`).get()).get(`delivered.${bob.uid}`)).toBeUndefined();

    // Bob's chat list sees the message: his app reports it delivered without opening the chat.
    const bobWindow = await signedInAs(browser, bob);
    await chatsOf(bobWindow)
      .getByRole("button", { name: new RegExp(alice.displayName) })
      .waitFor();
    await ticksOf(aliceWindow, "Lunch at noon?", "Delivered").waitFor();
    await aliceWindow.screenshot({ path: `${shots}/ticks-1-delivered.png` });

    await chatsOf(bobWindow)
      .getByRole("button", { name: new RegExp(alice.displayName) })
      .click();
    await messagesOf(bobWindow).getByText("Lunch at noon?").waitFor();
    await ticksOf(aliceWindow, "Lunch at noon?", "Seen").waitFor();
    await aliceWindow.screenshot({ path: `${shots}/ticks-2-seen.png` });
    const results = await new AxeBuilder({ page: aliceWindow }).withTags(["wcag2a", "wcag2aa"]).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
    // Ticks are on one's own messages only.
    expect(
      await messagesOf(bobWindow)
        .getByRole("img", { name: /^(Sent|Delivered|Seen)$/ })
        .count(),
    ).toBe(0);
  });
});

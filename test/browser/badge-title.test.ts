import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChat, send } from "../helpers/api.js";
import { chatsOf, launchBrowser, messagesOf, shown, signedInAs } from "../helpers/browser.js";
import { signUpMany } from "../helpers/users.js";

const shots = "test-results/screenshots";
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

describe("the app badge in the web app's title", () => {
  it("when messages arrive, then the title counts them, and when the user opens the chat, then the count goes", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(bob, alice);
    const page = await signedInAs(browser, alice);
    await expect.poll(() => page.title(), shown).toBe("Parley");

    await send(bob, chatId, "are you there?");
    await send(bob, chatId, "it's about tonight");
    await expect.poll(() => page.title(), shown).toBe("(2) Parley");
    await page.screenshot({ path: `${shots}/badge-title-1-two-unread.png` });

    await chatsOf(page)
      .getByRole("button", { name: new RegExp(bob.displayName) })
      .click();
    await messagesOf(page).getByText("it's about tonight").waitFor();
    await expect.poll(() => page.title(), shown).toBe("Parley");
  });
});

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createChat } from "../helpers/api.js";
import { chatsOf, launchBrowser, messagesOf, signedInAs } from "../helpers/browser.js";
import { signUpMany } from "../helpers/users.js";

const shots = "test-results/screenshots";
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

describe("polls in the web app", () => {
  it("when alice sends a poll and bob votes, then both windows show the count live, and once alice closes it bob can no longer vote", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    await createChat(alice, bob);
    const [aliceWindow, bobWindow] = await Promise.all([signedInAs(browser, alice), signedInAs(browser, bob)]);
    await chatsOf(aliceWindow)
      .getByRole("button", { name: new RegExp(bob.displayName) })
      .click();
    await chatsOf(bobWindow)
      .getByRole("button", { name: new RegExp(alice.displayName) })
      .click();

    // Alice composes a poll in the small form.
    await aliceWindow.getByRole("button", { name: "Poll", exact: true }).click();
    const form = aliceWindow.getByRole("form", { name: "New poll" });
    await form.getByLabel("Question").fill("Lunch?");
    await form.getByLabel("Option 1").fill("Pizza");
    await form.getByLabel("Option 2").fill("Salad");
    await form.getByRole("button", { name: "Add option" }).click();
    await form.getByLabel("Option 3").fill("Soup");
    await form.getByRole("button", { name: "Send poll" }).click();

    const pollFor = (window: typeof aliceWindow) => messagesOf(window).getByRole("group", { name: "Poll: Lunch?" });
    await pollFor(bobWindow).getByRole("button", { name: "Pizza: 0 votes" }).waitFor();
    await pollFor(bobWindow).getByRole("button", { name: "Pizza: 0 votes" }).click();
    await pollFor(aliceWindow).getByRole("button", { name: "Pizza: 1 vote" }).waitFor();
    await pollFor(bobWindow).getByRole("button", { name: "Pizza: 1 vote", pressed: true }).waitFor();
    await pollFor(aliceWindow).getByText(bob.displayName, { exact: true }).waitFor();
    // A second vote in a single-choice poll moves it.
    await pollFor(bobWindow).getByRole("button", { name: "Soup: 0 votes" }).click();
    await pollFor(aliceWindow).getByRole("button", { name: "Soup: 1 vote" }).waitFor();
    await pollFor(aliceWindow).getByRole("button", { name: "Pizza: 0 votes" }).waitFor();
    await aliceWindow.screenshot({ path: `${shots}/polls-1-live-count.png` });

    // Only alice, its sender, may close it; then bob's options are disabled.
    await pollFor(bobWindow).getByText("1 voted", { exact: false }).waitFor();
    await pollFor(aliceWindow).getByRole("button", { name: "Close poll" }).click();
    await pollFor(bobWindow).getByText("closed", { exact: false }).waitFor();
    await pollFor(bobWindow).getByRole("button", { name: "Salad: 0 votes", disabled: true }).waitFor();
    await pollFor(bobWindow).getByRole("button", { name: "Close poll" }).waitFor({ state: "detached" });
    await chatsOf(bobWindow).getByText("Poll: Lunch?").waitFor();
    await bobWindow.screenshot({ path: `${shots}/polls-2-closed.png` });
  }, 120_000);
});

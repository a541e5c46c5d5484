import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createChat, send } from "../helpers/api.js";
import { chatsOf, launchBrowser, messagesOf, signedInAs } from "../helpers/browser.js";
import { signUpMany } from "../helpers/users.js";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

describe("threads in the web app", () => {
  it("when bob opens a thread and replies, also to the chat, then alice sees the reply count and the thread live, and her new-replies count clears when she opens it", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "Dinner plans?");
    const [aliceWindow, bobWindow] = await Promise.all([signedInAs(browser, alice), signedInAs(browser, bob)]);
    for (const [window, other] of [
      [aliceWindow, bob],
      [bobWindow, alice],
    ] as const) {
      await chatsOf(window)
        .getByRole("button", { name: new RegExp(other.displayName) })
        .click();
    }

    // Bob opens the thread on alice's message and replies twice, the second also to the chat.
    const parentForBob = messagesOf(bobWindow).getByRole("listitem", { name: /Message 1 from/ });
    await parentForBob.getByRole("button", { name: "Message actions" }).click();
    await parentForBob.getByRole("button", { name: "Open thread" }).click();
    const paneForBob = bobWindow.getByRole("complementary", { name: "Thread on message 1" });
    await paneForBob.getByText("Dinner plans?").waitFor();
    await paneForBob.getByLabel("Reply", { exact: true }).fill("Pizza?");
    await paneForBob.getByRole("button", { name: "Send reply" }).click();
    await paneForBob.getByRole("list", { name: "Replies" }).getByText("Pizza?").waitFor();
    await paneForBob.getByLabel("Reply", { exact: true }).fill("Or sushi");
    await paneForBob.getByLabel("Also send to chat").check();
    await paneForBob.getByRole("button", { name: "Send reply" }).click();

    // Alice sees "2 replies" on her message, the copy in the chat, and a thread with new replies.
    const parentForAlice = messagesOf(aliceWindow).getByRole("listitem", { name: /Message 1 from/ });
    await parentForAlice.getByRole("button", { name: "2 replies" }).waitFor();
    await messagesOf(aliceWindow).getByText("Or sushi").waitFor();
    await aliceWindow.getByRole("status").getByText("1 thread with new replies").waitFor();
    await parentForAlice.getByRole("button", { name: "2 replies" }).click();
    const paneForAlice = aliceWindow.getByRole("complementary", { name: "Thread on message 1" });
    const replies = paneForAlice.getByRole("list", { name: "Replies" });
    await replies.getByText("Or sushi").waitFor();
    await expect.poll(() => replies.getByRole("listitem").count()).toBe(2);
    await aliceWindow.getByText("1 thread with new replies").waitFor({ state: "detached" });

    // Bob's next reply shows live in alice's open pane.
    await paneForBob.getByLabel("Reply", { exact: true }).fill("Decide by 6");
    await paneForBob.getByRole("button", { name: "Send reply" }).click();
    await replies.getByText("Decide by 6").waitFor();
    const thread = await api<{ replies: unknown[] }>(alice, "GET", `/chats/${chatId}/messages/1/thread`);
    expect(thread.body.replies).toHaveLength(3);
  });
});

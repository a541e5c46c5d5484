import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { createChat, send } from "../helpers/api.js";
import { png } from "../helpers/files.js";
import { launchBrowser, messagesOf, shown, signedInAs } from "../helpers/browser.js";
import { signUpMany } from "../helpers/users.js";

// The "third-party site" is a local server on 127.0.0.1 (allow-listed on the emulator project).
const shots = "test-results/screenshots";
let browser: Browser;
let server: http.Server;
let site: string;
const asked: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  const picture = await png(600, 300);
  server = http.createServer((request, response) => {
    asked.push(request.url ?? "");
    if (request.url === "/picture.png") return void response.writeHead(200, { "content-type": "image/png" }).end(picture);
    const tags = '<meta property="og:title" content="Trip notes"><meta property="og:site_name" content="Local blog">';
    const more = '<meta property="og:description" content="Where we went"><meta property="og:image" content="/picture.png">';
    response.writeHead(200, { "content-type": "text/html" }).end(`<html><head>${tags}${more}</head></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  site = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await browser?.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** What the trigger left on message 1 of `chatId`, and what the site was asked: for a failure's message. */
async function whatWasWritten(chatId: string): Promise<string> {
  const message = (await adminDb().doc(`chats/${chatId}/messages/0000000001`).get()).data();
  const preview = JSON.stringify(message?.linkPreview ?? null);
  return `The message's linkPreview: ${preview}; the site was asked for ${JSON.stringify(asked)}.`;
}

function fail(message: string, cause: Error): never {
  throw new Error(message, { cause });
}

describe("link previews in the web app", () => {
  it("when a message has a link, then both see a preview card with our copy of the image; the sender may remove it, either member turn previews off", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const [alicePage, bobPage] = await Promise.all([
      signedInAs(browser, alice, undefined, `/chats/${chatId}`),
      signedInAs(browser, bob, undefined, `/chats/${chatId}`),
    ]);
    const loadedBySite: string[] = [];
    for (const page of [alicePage, bobPage]) {
      page.on("request", (request) => void (request.url().startsWith(site) && loadedBySite.push(request.url())));
    }
    await send(alice, chatId, `Look: ${site}/trip`);

    const bobCard = messagesOf(bobPage).getByRole("complementary", { name: "Link preview" });
    await bobCard
      .getByRole("link", { name: "Trip notes" })
      .waitFor()
      .catch(async (error: Error) => fail(`No card on Bob's page. ${await whatWasWritten(chatId)}`, error));
    await expect
      .poll(
        () =>
          bobCard
            .locator("img")
            .getAttribute("src", { timeout: 1_000 })
            .catch(() => null),
        shown,
      )
      .toMatch(/^blob:/)
      .catch(async (error: Error) => fail(`No image in Bob's card. ${await whatWasWritten(chatId)}`, error));
    expect(await bobCard.textContent()).toContain("Where we went");
    expect(await bobCard.getByRole("button", { name: "Remove preview" }).count()).toBe(0);
    await bobPage.screenshot({ path: `${shots}/link-preview-1-card.png` });

    const aliceCard = messagesOf(alicePage).getByRole("complementary", { name: "Link preview" });
    await aliceCard.getByRole("button", { name: "Remove preview" }).click();
    await expect.poll(() => bobCard.count(), shown).toBe(0);
    await expect.poll(() => aliceCard.count(), shown).toBe(0);
    expect(loadedBySite).toEqual([]);
    expect(asked).toContain("/picture.png");

    // Either member of a 1:1 chat may turn previews off, and on again.
    await bobPage.getByRole("button", { name: "Turn link previews off" }).click();
    await alicePage.getByRole("button", { name: "Turn link previews on" }).click();
    await bobPage.getByRole("button", { name: "Turn link previews off" }).waitFor();
  });
});

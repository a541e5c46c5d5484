import AdmZip from "adm-zip";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChat, send } from "../helpers/api.js";
import { launchBrowser, shown, signedInAs } from "../helpers/browser.js";
import { signUpMany } from "../helpers/users.js";

const shots = "test-results/screenshots";
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

describe("Download my data in the web app", () => {
  it("when the user asks for their data, then the page follows the export until it is ready and saves the ZIP", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await send(alice, chatId, "for the record");
    const page = await signedInAs(browser, alice);
    await page.getByRole("button", { name: "Settings" }).click();
    const yourData = page.getByRole("region", { name: "Your data" });
    await yourData.getByRole("button", { name: "Download my data" }).click();
    const status = yourData.getByRole("status");
    await expect.poll(() => status.textContent(), shown).toMatch(/^Your data is ready: 1 messages, 0 thread replies and 0 files/);
    await expect.poll(() => yourData.getByRole("button", { name: "Download my data" }).isDisabled(), shown).toBe(false);
    await page.screenshot({ path: `${shots}/download-my-data-1-ready.png` });

    const [saved] = await Promise.all([
      page.waitForEvent("download"),
      yourData.getByRole("button", { name: "Save the ZIP" }).click(),
    ]);
    expect(saved.suggestedFilename()).toBe("parley-data.zip");
    const zip = new AdmZip(await saved.path());
    expect(zip.readAsText("messages.jsonl")).toContain("for the record");

    // A second export the same day is refused, and the page says why.
    await yourData.getByRole("button", { name: "Download my data" }).click();
    await expect.poll(() => yourData.getByRole("alert").textContent(), shown).toContain("one export of your data a day");
  });
});

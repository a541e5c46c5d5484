import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { erasureId } from "../../functions/src/accounts/erase-account.js";
import { adminAuth, adminDb } from "../helpers/admin.js";
import { createChat, send } from "../helpers/api.js";
import { launchBrowser, signedInAs } from "../helpers/browser.js";
import { signUpMany } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

describe("deleting an account in the web app", () => {
  it("when a user asks to delete their account, keeps it once, then confirms, then they are signed out and the account is erased", async () => {
    const [gone, other] = await signUpMany("Leaving", "Staying");
    const chatId = await createChat(gone, other);
    await send(gone, chatId, "bye for now");
    const page = await signedInAs(browser, gone);

    await page.getByRole("button", { name: "Settings" }).click();
    await page.getByRole("button", { name: "Delete my account" }).click();
    await page.getByRole("alertdialog", { name: "Delete your account?" }).waitFor();
    await page.getByRole("button", { name: "Keep my account" }).click();
    await page.getByRole("button", { name: "Delete my account" }).click();
    await page.getByRole("button", { name: "Delete for good" }).click();

    await page.getByRole("form", { name: "Sign in" }).waitFor();
    await expect(adminAuth().getUser(gone.uid)).rejects.toMatchObject({ code: "auth/user-not-found" });
    await eventually(async () => {
      const job = await adminDb()
        .doc(`account-deletions/${erasureId(gone.uid)}`)
        .get();
      expect(job.get("state")).toBe("done");
    }, 120_000);
    const messages = await adminDb().collection(`chats/${chatId}/messages`).get();
    expect(messages.docs.map((doc) => doc.get("from") as string)).toEqual(["deleted-user"]);
  });
});

import { existsSync, mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "../../scripts/chromium.mjs";
import { hostingOrigin } from "./emulators.js";
import type { TestUser } from "./users.js";

// Browser windows on the web app, as the browser tests drive them.

export const appUrl = hostingOrigin;
const shots = "test-results/screenshots";
/**
 * The browser `node scripts/browser.mjs` (part of `npm test`) found or installed, found as the
 * bench finds it (scripts/chromium.mjs: $CHROMIUM_PATH, .cache/chromium-path, the PATH).
 */
const executablePath = chromiumPath() ?? "/usr/bin/chromium";
/**
 * Launches the Chromium `node scripts/browser.mjs` found, headless, kept off the network, with
 * `extraArgs` added to its flags (e.g. {@link fakeMicrophone}).
 */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath}: run node scripts/browser.mjs (npm test does), or set CHROMIUM_PATH.`);
  }
  mkdirSync(shots, { recursive: true });
  return chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/**
 * Chromium's fake capture devices, allowed without a prompt: `getUserMedia` gets a generated
 * microphone (a beep every second), for recording voice messages.
 */
export const fakeMicrophone = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"] as const;

/** A browser window of its own, signed in as `user` through the sign-in form. */
export async function signedInAs(
  browser: Browser,
  user: TestUser,
  viewport = { width: 1100, height: 720 },
  path = "/",
): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`[${user.displayName}] page error: ${error.message}`));
  await page.goto(`${appUrl}${path}`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  return page;
}

/**
 * Options for `expect.poll` on what a page shows: as long as a locator's default wait (30 s),
 * not vitest's 1 s, since a change reaches the page only after an API call and a listener.
 */
export const shown = { timeout: 30_000, interval: 100 } as const;

export const chatsOf = (page: Page) => page.getByRole("navigation", { name: "Chats" });
export const messagesOf = (page: Page) => page.getByRole("list", { name: "Messages" });

/** Opens a 1:1 chat with `other` from the user directory. */
export async function openChatWith(page: Page, other: TestUser) {
  await chatsOf(page).getByRole("button", { name: "New chat" }).click();
  await page.getByLabel("Search people").fill(other.displayName);
  await page.getByRole("button", { name: `Chat with ${other.displayName}` }).click();
}

/** Types `text` into the open chat's composer and sends it. */
export async function write(page: Page, text: string) {
  await page.getByLabel("Message", { exact: true }).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

// Browser-to-browser latency of the web app, in Chromium: Enter in one window until the message
// shows in the other, and until it shows in the sender's own window (before the server answers:
// the outbox shows it pending). Both windows run in one browser, so their clocks agree.
import { existsSync, readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const appUrl = "http://127.0.0.1:5000";

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return existsSync(".cache/chromium-path") ? readFileSync(".cache/chromium-path", "utf8").trim() : undefined;
}

/** Records when a text shows in the page's message list (ms since the epoch), by a MutationObserver. */
function watchFor(page, text) {
  return page.evaluate((wanted) => {
    const list = document.querySelector('[aria-label="Messages"]');
    return new Promise((resolve) => {
      const check = () => {
        if (list.textContent.includes(wanted)) {
          observer.disconnect();
          resolve(Date.now());
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(list, { subtree: true, childList: true, characterData: true });
      check();
    });
  }, text);
}

async function signedIn(browser, user, chatId) {
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 720 } })).newPage();
  await page.goto(appUrl);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  await page.evaluate((path) => {
    history.pushState(null, "", path);
    dispatchEvent(new PopStateEvent("popstate"));
  }, `/chats/${chatId}`);
  await page.getByRole("list", { name: "Messages" }).waitFor();
  return page;
}

/**
 * `samples` messages from `sender` to `receiver` in chat `chatId` through the web app.
 * @returns per message: Enter → shown to the receiver, and Enter → shown to the sender (ms);
 *   `null` when no Chromium is found.
 */
export async function browserLatency({ sender, receiver, chatId, samples }) {
  const executablePath = chromiumPath();
  if (!executablePath || !existsSync(executablePath)) return null;
  const browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const [from, to] = [await signedIn(browser, sender, chatId), await signedIn(browser, receiver, chatId)];
    const composer = from.getByLabel("Message", { exact: true });
    const toReceiver = [];
    const toSender = [];
    for (let i = 0; i < samples + 2; i++) {
      const text = `browser bench ${i} ${Date.now()}`;
      const seen = watchFor(to, text);
      const own = watchFor(from, text);
      await composer.fill(text);
      const enter = await from.evaluate(() => {
        const at = Date.now();
        document.getElementById("composer-text").dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
        return at;
      });
      const [seenAt, ownAt] = await Promise.all([seen, own]);
      // The first two warm up the windows' listeners and the function's workers.
      if (i < 2) continue;
      toReceiver.push(seenAt - enter);
      toSender.push(ownAt - enter);
    }
    return { toReceiver, toSender };
  } finally {
    await browser.close();
  }
}

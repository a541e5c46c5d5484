import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { createChat } from "../helpers/api.js";
import { chatsOf, fakeMicrophone, launchBrowser, messagesOf, signedInAs } from "../helpers/browser.js";
import { signUpMany } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

const shots = "test-results/screenshots";
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser(fakeMicrophone);
});
afterAll(async () => browser?.close());

describe("voice messages in the web app", () => {
  it("when alice records a voice message, then bob's window shows its waveform, duration and a player, and the server kept what the recording says", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const [aliceWindow, bobWindow] = await Promise.all([signedInAs(browser, alice), signedInAs(browser, bob)]);
    await chatsOf(aliceWindow)
      .getByRole("button", { name: new RegExp(bob.displayName) })
      .click();
    await chatsOf(bobWindow)
      .getByRole("button", { name: new RegExp(alice.displayName) })
      .click();

    // Chromium's fake microphone records until alice stops it, two seconds in.
    await aliceWindow.getByRole("button", { name: "Record voice" }).click();
    const stop = aliceWindow.getByRole("button", { name: "Stop recording" });
    await stop.getByText("0:02").waitFor();
    await aliceWindow.screenshot({ path: `${shots}/voice-1-recording.png` });
    await stop.click();

    const message = await eventually(async () => {
      const snap = await adminDb().doc(`chats/${chatId}/messages/0000000001`).get();
      if (!snap.exists) throw new Error("no message yet");
      return snap.data();
    });
    expect(message).toMatchObject({ type: "voice", file: { name: "voice-message.webm", contentType: "audio/webm" } });
    const durationMs = Number(message?.file.durationMs);
    const waveform: unknown[] = message?.file.waveform;
    expect(durationMs).toBeGreaterThan(1000);
    expect(waveform).toHaveLength(64);
    expect(waveform.every((value) => Number.isInteger(value) && Number(value) >= 0 && Number(value) <= 255)).toBe(true);
    expect(waveform.some((value) => Number(value) > 0)).toBe(true);

    const voice = messagesOf(bobWindow).getByRole("figure", { name: `Voice message from ${alice.displayName}` });
    await voice.getByRole("img", { name: "Waveform" }).waitFor();
    await voice.getByLabel("Duration").getByText(clock(durationMs), { exact: true }).waitFor();
    await voice.getByLabel("Play voice message").waitFor();
    await chatsOf(bobWindow)
      .getByText(`Voice message (${clock(durationMs)})`)
      .waitFor();
    await bobWindow.screenshot({ path: `${shots}/voice-2-received.png` });
  }, 120_000);
});

/** "m:ss", as the app and the previews show a duration. */
function clock(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

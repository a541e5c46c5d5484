import { request } from "node:http";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { sendFileMessage } from "../../functions/src/messages/send-file-message.js";
import { adminBucket, adminDb, objectNames } from "../helpers/admin.js";
import { createChat } from "../helpers/api.js";
import { apiBase } from "../helpers/emulators.js";
import { signUpMany } from "../helpers/users.js";

const boundary = "----parley-abort";
const headers = { "content-type": `multipart/form-data; boundary=${boundary}` };
const partHead = (filename: string) =>
  Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n\r\n`);
const formEnd = Buffer.from(`\r\n--${boundary}--\r\n`);
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function expectNothingStored(chatId: string) {
  expect((await adminDb().doc(`chats/${chatId}`).get()).get("messageCount")).toBe(0);
  expect((await adminDb().collection(`chats/${chatId}/messages`).count().get()).data().count).toBe(0);
  expect(await objectNames(`chats/${chatId}/`)).toEqual([]);
}

/** Up to 10 MB a file, and no daily quota. */
const store = { maxFileBytes: 10_000_000, chargeBytes: () => Promise.resolve() };

describe("aborted uploads leave nothing", () => {
  it("when the client drops the connection in the middle of the file, then no message and no object exist", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const upload = request(`${apiBase}/chats/${chatId}/messages`, {
      method: "POST",
      headers: { ...headers, authorization: `Bearer ${alice.token}`, "content-length": String(4_000_000) },
    });
    const answered = new Promise((resolve) => {
      upload.on("response", resolve);
      upload.on("error", resolve);
    });

    upload.write(partHead("dropped.bin"));
    upload.write(Buffer.alloc(1_000_000, 1));
    await tick(300);
    upload.destroy();
    await answered;
    // The server only learns of the drop through its socket; give it a moment to react.
    await tick(1_500);

    await expectNothingStored(chatId);
  });

  // The Cloud Functions runtime reads the whole body before Parley's code runs, so the test
  // above never reaches it. Called directly with a stream (as when the app is served by plain
  // Node), a body that fails half-way must still leave nothing.
  it("when the request stream fails after part of the file was stored, then sendFileMessage rejects and deletes it", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const body = new Readable({ read() {} });
    body.push(partHead("half.bin"));
    body.push(Buffer.alloc(2_000_000, 2));
    setTimeout(() => body.destroy(new Error("aborted")), 300);

    const sending = sendFileMessage(adminDb(), {
      bucket: adminBucket(),
      now: new Date(),
      senderUid: alice.uid,
      chatId,
      request: { headers, body },
      store,
    });

    await expect(sending).rejects.toMatchObject({ code: "invalid-argument", message: expect.stringMatching(/cut off/) });
    await expectNothingStored(chatId);
  });

  it("when the request is a stream that completes, then the file is stored byte for byte", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const bytes = Buffer.alloc(3_000_000, 3);

    const result = await sendFileMessage(adminDb(), {
      bucket: adminBucket(),
      now: new Date(),
      senderUid: alice.uid,
      chatId,
      request: {
        headers,
        body: Readable.from([partHead("whole.bin"), bytes.subarray(0, 1_000_000), bytes.subarray(1_000_000), formEnd]),
      },
      store,
    });

    expect(result.message).toMatchObject({ number: 1, type: "file", file: { name: "whole.bin", size: bytes.length } });
    const path = (await adminDb().doc(`chats/${chatId}/messages/0000000001`).get()).get("file.path");
    const [stored] = await adminBucket().file(path).download();
    expect(stored.equals(bytes)).toBe(true);
  });
});

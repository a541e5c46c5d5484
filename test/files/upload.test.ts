import { createHash } from "node:crypto";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { adminBucket, adminDb, objectNames } from "../helpers/admin.js";
import { api, createChat, send } from "../helpers/api.js";
import { download, jpeg, png, postForm, upload } from "../helpers/files.js";
import { signUpMany } from "../helpers/users.js";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** Asserts that a rejected upload left no message and no object behind. */
async function expectNothingStored(chatId: string, messageCount = 0) {
  const chat = (await adminDb().doc(`chats/${chatId}`).get()).data();
  expect(chat?.messageCount).toBe(messageCount);
  const messages = await adminDb().collection(`chats/${chatId}/messages`).count().get();
  expect(messages.data().count).toBe(messageCount);
  expect(await objectNames(`chats/${chatId}/`)).toEqual([]);
}

describe("POST /v1/chats/{chatId}/messages (multipart/form-data)", () => {
  it("when a member uploads a text file with a caption, then a file message points at the stored object and downloads byte for byte", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const bytes = Buffer.from("Meeting notes\nline 2\n", "utf8");

    const response = await upload(alice, chatId, {
      bytes,
      filename: "notes.txt",
      type: "text/plain",
      text: "the notes",
      clientMessageId: "f-1",
    });

    expect(response.body.error).toBeUndefined();
    expect(response.status).toBe(201);
    const message = response.body.message;
    expect(message).toMatchObject({ number: 1, type: "file", text: "the notes", clientMessageId: "f-1" });
    expect(message.file).toEqual({
      name: "notes.txt",
      contentType: "text/plain",
      size: bytes.length,
      sha256: sha256(bytes),
      downloadPath: `/v1/chats/${chatId}/messages/1/file`,
    });
    const stored = (await adminDb().doc(`chats/${chatId}/messages/0000000001`).get()).data();
    expect(stored?.file.path).toMatch(new RegExp(`^chats/${chatId}/[0-9a-f-]{36}/notes\\.txt$`));
    const [objectBytes] = await adminBucket().file(stored?.file.path).download();
    expect(objectBytes.equals(bytes)).toBe(true);
    const chat = (await adminDb().doc(`chats/${chatId}`).get()).data();
    expect(chat).toMatchObject({
      messageCount: 1,
      lastMessage: { number: 1, type: "file", preview: "the notes" },
      unread: { [bob.uid]: 1 },
    });
    expect((await adminDb().doc(`users-external-event/${bob.uid}`).get()).data()).toMatchObject({
      notifyNewMessage: true,
      lastEvent: { chatId, number: 1 },
    });

    const fetched = await download(bob, message.file!.downloadPath);
    expect(fetched.status).toBe(200);
    expect(fetched.bytes.equals(bytes)).toBe(true);
    expect(fetched.headers.get("content-type")).toBe("text/plain");
    expect(fetched.headers.get("content-length")).toBe(String(bytes.length));
    expect(fetched.headers.get("content-disposition")).toBe("attachment; filename=notes.txt");
  });

  it("when a member uploads a PNG, then it is an image with its size and a 320 px thumbnail, both downloadable", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const bytes = await png(1000, 500);

    const response = await upload(alice, chatId, { bytes, filename: "diagram.png", type: "image/png" });

    expect(response.status).toBe(201);
    const { message } = response.body;
    expect(message.type).toBe("image");
    expect(message.file).toMatchObject({ name: "diagram.png", contentType: "image/png", width: 1000, height: 500 });
    expect(message.file?.thumbnail).toMatchObject({
      downloadPath: `/v1/chats/${chatId}/messages/1/thumbnail`,
      contentType: "image/png",
      width: 320,
      height: 160,
    });
    const chat = (await adminDb().doc(`chats/${chatId}`).get()).data();
    expect(chat?.lastMessage).toMatchObject({ type: "image", preview: "Photo" });

    const original = await download(bob, message.file!.downloadPath);
    expect(original.bytes.equals(bytes)).toBe(true);
    expect(original.headers.get("content-disposition")).toBe("inline; filename=diagram.png");
    const thumbnail = await download(bob, message.file!.thumbnail!.downloadPath);
    expect(thumbnail.status).toBe(200);
    expect(thumbnail.headers.get("content-type")).toBe("image/png");
    expect(await sharp(thumbnail.bytes).metadata()).toMatchObject({ format: "png", width: 320, height: 160, hasAlpha: true });
    expect(thumbnail.bytes.length).toBe(message.file?.thumbnail?.size);
  });

  it("when an image has more pixels than sharp may decode (50 megapixels), then it is stored as a plain file with no thumbnail", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const huge = await sharp({ create: { width: 7200, height: 7200, channels: 3, background: { r: 9, g: 9, b: 9 } } })
      .png({ compressionLevel: 9 })
      .toBuffer();

    const { status, body } = await upload(alice, chatId, { bytes: huge, filename: "huge.png", type: "image/png" });

    expect(status).toBe(201);
    expect(body.message).toMatchObject({ type: "file", file: { name: "huge.png", contentType: "image/png" } });
    expect(body.message.file).not.toHaveProperty("thumbnail");
    expect(await objectNames(`chats/${chatId}/`)).toHaveLength(1);
  }, 60_000);

  it("when a member uploads a JPEG taken sideways, then its size and thumbnail are upright", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const bytes = await jpeg(800, 600, 6);

    const { status, body } = await upload(alice, chatId, { bytes, filename: "IMG_0001.JPG", type: "image/jpeg" });

    expect(status).toBe(201);
    expect(body.message.type).toBe("image");
    expect(body.message.file).toMatchObject({ contentType: "image/jpeg", width: 600, height: 800 });
    expect(body.message.file?.thumbnail).toMatchObject({ contentType: "image/jpeg", width: 240, height: 320 });
    const original = await download(bob, body.message.file!.downloadPath);
    expect(original.bytes.equals(bytes)).toBe(true);
    const thumbnail = await download(bob, body.message.file!.thumbnail!.downloadPath);
    expect(await sharp(thumbnail.bytes).metadata()).toMatchObject({ format: "jpeg", width: 240, height: 320 });
  });

  it("when an executable is renamed to .png and declared image/png, then it stays a file without thumbnail", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    // A Windows executable's first bytes: "MZ", then the PE header offset and signature.
    const bytes = Buffer.alloc(512);
    bytes.write("MZ", 0, "latin1");
    bytes.writeUInt32LE(0x80, 0x3c);
    bytes.write("PE\0\0", 0x80, "latin1");

    const { status, body } = await upload(alice, chatId, { bytes, filename: "cat.png", type: "image/png" });

    expect(status).toBe(201);
    expect(body.message.type).toBe("file");
    expect(body.message.file?.contentType).not.toMatch(/^image\//);
    expect(body.message.file).not.toHaveProperty("thumbnail");
    expect(body.message.file).not.toHaveProperty("width");
    const fetched = await download(bob, body.message.file!.downloadPath);
    expect(fetched.headers.get("content-disposition")).toBe("attachment; filename=cat.png");
    expect(fetched.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("when bytes without a known signature are declared image/png, then they are stored as application/octet-stream", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const { body } = await upload(alice, chatId, { bytes: Buffer.from("not a picture"), filename: "x.png", type: "image/png" });

    expect(body.message).toMatchObject({ type: "file", file: { contentType: "application/octet-stream" } });
  });

  it("when a file is exactly MAX_UPLOAD_BYTES, then it is accepted; one byte more gets 413 and leaves nothing", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const atLimit = Buffer.alloc(MAX_UPLOAD_BYTES, 7);

    const accepted = await upload(alice, chatId, { bytes: atLimit, filename: "big.bin" });
    expect(accepted.status).toBe(201);
    expect(accepted.body.message.file?.size).toBe(MAX_UPLOAD_BYTES);

    const [before] = await adminBucket().getFiles({ prefix: `chats/${chatId}/` });
    const rejected = await upload(alice, chatId, { bytes: Buffer.alloc(MAX_UPLOAD_BYTES + 1, 7), filename: "bigger.bin" });
    expect(rejected.status).toBe(413);
    expect(rejected.body).toEqual({
      error: { code: "payload-too-large", message: `The file is over the limit of ${MAX_UPLOAD_BYTES} bytes.` },
    });
    expect(await objectNames(`chats/${chatId}/`)).toEqual(before.map((file) => file.name));
    expect((await adminDb().doc(`chats/${chatId}`).get()).get("messageCount")).toBe(1);
  });

  it("when a non-member uploads, then 404 and the body is never stored", async () => {
    const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
    const chatId = await createChat(alice, bob);

    const response = await upload(mallory, chatId, { bytes: await png(400, 400), filename: "x.png" });

    expect(response.status).toBe(404);
    expect(response.body.error?.code).toBe("not-found");
    await expectNothingStored(chatId);
  });

  it("when the file name tries a path traversal, then the object name is sanitised and the original name kept for display", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const { status, body } = await upload(alice, chatId, { bytes: Buffer.from("x"), filename: "../../etc/passwd" });

    expect(status).toBe(201);
    expect(body.message.file?.name).toBe("../../etc/passwd");
    const names = await objectNames(`chats/${chatId}/`);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(new RegExp(`^chats/${chatId}/[0-9a-f-]{36}/etc_passwd$`));
  });

  it("when the same clientMessageId is uploaded twice, then the first message comes back and the second copy is not kept", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const parts = { bytes: Buffer.from("retry me"), filename: "r.txt", clientMessageId: "same" };

    const first = await upload(alice, chatId, parts);
    const retry = await upload(alice, chatId, parts);

    expect([first.status, retry.status]).toEqual([201, 200]);
    expect(retry.body.message).toEqual(first.body.message);
    expect(await objectNames(`chats/${chatId}/`)).toHaveLength(1);
  });

  it("when text and file sends run concurrently, then numbers stay gapless and every file message has its object", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const sends = await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => send(i % 2 ? alice : bob, chatId, `text ${i}`)),
      ...Array.from({ length: 4 }, async (_, i) => {
        const response = await upload(i % 2 ? bob : alice, chatId, { bytes: Buffer.from(`file ${i}`), filename: `f${i}.txt` });
        expect(response.status).toBe(201);
        return response.body.message;
      }),
    ]);

    expect(sends.map((message) => message.number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const messages = await adminDb().collection(`chats/${chatId}/messages`).orderBy("number").get();
    expect(messages.docs.map((doc) => doc.get("number"))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await adminDb().doc(`chats/${chatId}`).get()).get("messageCount")).toBe(10);
    const filePaths = messages.docs.filter((doc) => doc.get("type") === "file").map((doc) => doc.get("file.path"));
    expect(filePaths).toHaveLength(4);
    expect(await objectNames(`chats/${chatId}/`)).toEqual([...filePaths].sort());
  });
});

describe("bad multipart requests get 400 and leave nothing", () => {
  const cases: { name: string; form: () => FormData; message: RegExp }[] = [
    { name: "no file part", form: () => formWith([["text", "hi"]]), message: /^file: is required$/ },
    {
      name: "two files",
      form: () =>
        formWith([
          ["file", new Blob(["a"]), "a.txt"],
          ["file", new Blob(["b"]), "b.txt"],
        ]),
      message: /send one `file` part/,
    },
    {
      name: "an unknown field",
      form: () =>
        formWith([
          ["file", new Blob(["a"]), "a.txt"],
          ["colour", "red"],
        ]),
      message: /^colour: is not a known field$/,
    },
    { name: "file sent as a plain field", form: () => formWith([["file", "just text"]]), message: /^file: must be a file part/ },
    { name: "an empty file", form: () => formWith([["file", new Blob([]), "empty.txt"]]), message: /^file: must not be empty$/ },
    {
      name: "a caption over 10000 characters",
      form: () =>
        formWith([
          ["text", "x".repeat(10_001)],
          ["file", new Blob(["a"]), "a.txt"],
        ]),
      message: /^text: must be at most 10000 characters$/,
    },
  ];
  for (const { name, form, message } of cases) {
    it(`when the form has ${name}, then 400 invalid-argument`, async () => {
      const [alice, bob] = await signUpMany("Alice", "Bob");
      const chatId = await createChat(alice, bob);

      const response = await postForm(alice, chatId, form());

      expect(response.status).toBe(400);
      expect(response.body.error?.code).toBe("invalid-argument");
      expect(response.body.error?.message).toMatch(message);
      await expectNothingStored(chatId);
    });
  }

  it("when the multipart body ends in the middle of the file, then 400 and the partial object is deleted", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const boundary = "----parley-test";
    const cutOff = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\n\r\n`),
      Buffer.alloc(200_000, 1),
    ]);

    const response = await api(alice, "POST", `/chats/${chatId}/messages`, {
      raw: cutOff.toString("latin1"),
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: "invalid-argument" } });
    expect(JSON.stringify(response.body)).toMatch(/malformed or cut off/);
    await expectNothingStored(chatId);
  });
});

function formWith(entries: ([string, string] | [string, Blob, string])[]): FormData {
  const form = new FormData();
  for (const [name, value, filename] of entries) {
    if (typeof value === "string") form.append(name, value);
    else form.append(name, value, filename);
  }
  return form;
}

import { doc, onSnapshot, type DocumentSnapshot } from "firebase/firestore";
import { getBytes, ref } from "firebase/storage";
import { afterAll, describe, expect, it } from "vitest";
import { api, createChat, send } from "../helpers/api.js";
import { clientFor, type Client } from "../helpers/client.js";
import { apiBase } from "../helpers/emulators.js";
import { download, jpeg, upload, type FileMessage } from "../helpers/files.js";
import { watch } from "../helpers/listen.js";
import { signUpMany } from "../helpers/users.js";

const clients: Client[] = [];
afterAll(async () => Promise.all(clients.map((client) => client.close())));

const alphabet = Buffer.from("abcdefghijklmnopqrstuvwxyz");

async function chatWithFile(bytes: Buffer = alphabet, filename = "letters.txt") {
  const [alice, bob, mallory] = await signUpMany("Alice", "Bob", "Mallory");
  const chatId = await createChat(alice, bob);
  const { status, body } = await upload(alice, chatId, { bytes, filename, type: "text/plain" });
  if (status !== 201) throw new Error(`upload: ${status} ${JSON.stringify(body)}`);
  return { alice, bob, mallory, chatId, message: body.message };
}

describe("GET /v1/chats/{chatId}/messages/{number}/file", () => {
  it("when a member asks for a byte range, then 206 with exactly those bytes and Content-Range", async () => {
    const { bob, message } = await chatWithFile();

    const part = await download(bob, message.file!.downloadPath, { range: "bytes=3-7" });
    const suffix = await download(bob, message.file!.downloadPath, { range: "bytes=-4" });

    expect(part.status).toBe(206);
    expect(part.bytes.toString()).toBe("defgh");
    expect(part.headers.get("content-range")).toBe("bytes 3-7/26");
    expect(part.headers.get("content-length")).toBe("5");
    expect(suffix.status).toBe(206);
    expect(suffix.bytes.toString()).toBe("wxyz");
  });

  it("when the range lies outside the file, then 416 with the error shape and the file's size", async () => {
    const { bob, message } = await chatWithFile();

    const response = await download(bob, message.file!.downloadPath, { range: "bytes=100-200" });

    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe("bytes */26");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(JSON.parse(response.bytes.toString())).toEqual({
      error: { code: "range-not-satisfiable", message: "The range is outside the file's 26 bytes." },
    });
  });

  it("when the client already has the file (If-None-Match), then 304 without a body", async () => {
    const { bob, message } = await chatWithFile();
    const first = await download(bob, message.file!.downloadPath);

    // fetch() adds "Cache-Control: no-cache" to conditional requests unless one is given, and
    // no-cache asks the server for a full answer; a browser revalidating its cache sends neither.
    const again = await download(bob, message.file!.downloadPath, {
      "if-none-match": first.headers.get("etag")!,
      "cache-control": "max-age=0",
    });

    expect(first.headers.get("etag")).toBe(`"${message.file!.sha256}"`);
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
  });

  it("when a non-member or a signed-out caller asks, then 404 or 401 and no bytes", async () => {
    const { mallory, message } = await chatWithFile();

    const denied = await download(mallory, message.file!.downloadPath);
    const signedOut = await fetch(`${apiBase}${message.file!.downloadPath.replace(/^\/v1/, "")}`);

    expect(denied.status).toBe(404);
    expect(JSON.parse(denied.bytes.toString())).toMatchObject({ error: { code: "not-found" } });
    expect(signedOut.status).toBe(401);
  });

  it("when the message has no file or no thumbnail, then 404", async () => {
    const { alice, chatId, message } = await chatWithFile();
    const text = await send(alice, chatId, "plain text");

    const noFile = await download(alice, `/v1/chats/${chatId}/messages/${text.number}/file`);
    const noThumbnail = await download(alice, `/v1/chats/${chatId}/messages/${message.number}/thumbnail`);
    const noMessage = await download(alice, `/v1/chats/${chatId}/messages/99/file`);

    expect(JSON.parse(noFile.bytes.toString())).toEqual({
      error: { code: "not-found", message: `Message ${text.number} has no file.` },
    });
    expect(JSON.parse(noThumbnail.bytes.toString())).toEqual({
      error: { code: "not-found", message: `Message ${message.number} has no thumbnail.` },
    });
    expect([noFile.status, noThumbnail.status, noMessage.status]).toEqual([404, 404, 404]);
  });

  it("when the original name has non-ASCII characters, then Content-Disposition carries it encoded (RFC 8187)", async () => {
    const { bob, message } = await chatWithFile(alphabet, "Größe – café.txt");

    const response = await download(bob, message.file!.downloadPath);

    expect(message.file?.name).toBe("Größe – café.txt");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="Gr??e ? caf?.txt"; filename*=UTF-8''Gr%C3%B6%C3%9Fe%20%E2%80%93%20caf%C3%A9.txt`,
    );
  });
});

describe("file messages in listings and listeners", () => {
  it("when members list messages, then file messages carry metadata and API download paths, no Storage location", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    await upload(alice, chatId, { bytes: await jpeg(640, 480), filename: "p.jpg", text: "look" });

    const listed = await api<{ messages: FileMessage[] }>(bob, "GET", `/chats/${chatId}/messages`);
    const single = await api<{ message: FileMessage }>(bob, "GET", `/chats/${chatId}/messages/1`);

    expect(listed.body.messages[0]).toMatchObject({
      type: "image",
      text: "look",
      file: {
        name: "p.jpg",
        contentType: "image/jpeg",
        width: 640,
        height: 480,
        downloadPath: `/v1/chats/${chatId}/messages/1/file`,
      },
    });
    expect(single.body.message).toEqual(listed.body.messages[0]);
    expect(listed.body.messages[0].file).not.toHaveProperty("path");
    expect(JSON.stringify(listed.body)).not.toMatch(/appspot|googleapis|token=|:9199/);
  });

  it("when a member listens to the chat, then the file message arrives with its metadata, and Storage refuses the member's direct read", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const client = await clientFor(bob);
    clients.push(client);
    const messageDoc = watch((callback: (snap: DocumentSnapshot) => void, onError: (error: Error) => void) =>
      onSnapshot(doc(client.db, `chats/${chatId}/messages/0000000001`), callback, onError),
    );
    // Write only once the listener has its first snapshot, as an app would be listening already.
    await messageDoc.until((snap) => snap);

    await upload(alice, chatId, { bytes: Buffer.from("secret"), filename: "s.txt", type: "text/plain" });
    const message = await messageDoc.until((snap) => snap.data());
    messageDoc.stop();

    expect(message).toMatchObject({ type: "file", file: { name: "s.txt", contentType: "text/plain", size: 6 } });
    const path = (message.file as { path: string }).path;
    await expect(getBytes(ref(client.storage, path))).rejects.toMatchObject({ code: "storage/unauthorized" });
  });
});

import http from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MessagesState, MessageView } from "../../client/src/index.js";
import { previewLink } from "../../functions/src/links/preview-link.js";
import { adminBucket, adminDb, objectNames } from "../helpers/admin.js";
import { apiBase } from "../helpers/emulators.js";
import { api, createChat, send } from "../helpers/api.js";
import { download, png } from "../helpers/files.js";
import { next } from "../helpers/listen.js";
import { newClient, openAcceptedChat } from "../helpers/parley-client.js";
import { signUpMany, type TestUser } from "../helpers/users.js";
import { eventually } from "../helpers/wait.js";

// A local "third-party site" on 127.0.0.1, the one address the emulator project allows
// (functions/.env.demo-parley: LINK_PREVIEW_ALLOWED_IPS=127.0.0.1), and "private" servers on
// loopback addresses not on that list (127.0.0.2, 127.0.0.3, ::1), which count connections: the
// guard must refuse them before connecting. No traffic leaves the loopback range.

type OnMessages = (state: MessagesState) => void;
type OnError = (error: Error) => void;

interface Server {
  url: string;
  hits: string[];
  connections: () => number;
  close: () => Promise<void>;
}

async function serve(host: string, handler: http.RequestListener = (_request, response) => response.end(page("Private"))) {
  const hits: string[] = [];
  let connections = 0;
  const server = http.createServer((request, response) => {
    hits.push(request.url ?? "");
    handler(request, response);
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, hits, connections: () => connections, close } satisfies Server;
}

function page(title: string, image = ""): string {
  const og = image ? `<meta property="og:image" content="${image}">` : "";
  return `<html><head><meta property="og:title" content="${title}"><meta property="og:description" content="About ${title}">
    <meta property="og:site_name" content="Local site">${og}</head><body>hi</body></html>`;
}

let site: Server;
let privateV4: Server;
let redirectTarget: Server;
let privateV6: Server;
let picture: Buffer;

beforeAll(async () => {
  picture = await png(800, 400);
  [privateV4, redirectTarget, privateV6] = await Promise.all([serve("127.0.0.2"), serve("127.0.0.3"), serve("::1")]);
  site = await serve("127.0.0.1", (request, response) => {
    const path = request.url ?? "/";
    const html = (body: string) => response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
    if (path.startsWith("/article")) return void html(page("An article", "/picture.png"));
    if (path.startsWith("/plain")) return void html(page("Plain"));
    if (path === "/picture.png") return void response.writeHead(200, { "content-type": "image/png" }).end(picture);
    if (path === "/to-private") return void response.writeHead(302, { location: `${redirectTarget.url}/admin` }).end();
    if (path === "/huge") return void html(`<html><head><title>Huge</title></head>${"x".repeat(600 * 1024)}</html>`);
    if (path === "/slow") return; // never answers
    response.writeHead(404).end();
  });
});

afterAll(async () => {
  await Promise.all([site, privateV4, redirectTarget, privateV6].map((server) => server.close()));
});

/** The message's preview once it has one (through the API). */
async function previewOf(user: TestUser, chatId: string, number: number) {
  return eventually(async () => {
    const { body } = await api<{ message: MessageView }>(user, "GET", `/chats/${chatId}/messages/${number}`);
    if (!body.message.linkPreview) throw new Error(`message ${number} has no preview yet`);
    return body.message.linkPreview;
  });
}

/** Sends `text`, then a message with a good link, and waits for the latter's preview: the trigger ran on both. */
async function sendAndSettle(user: TestUser, chatId: string, text: string) {
  const sent = await send(user, chatId, text);
  const marker = await send(user, chatId, `${site.url}/plain?after=${sent.number}`);
  await previewOf(user, chatId, marker.number);
  const { body } = await api<{ message: MessageView }>(user, "GET", `/chats/${chatId}/messages/${sent.number}`);
  return body.message;
}

describe("link previews", () => {
  it("when a text message has a link to a page, then listeners see its preview arrive, with our copy of its image; the callable removes it", async () => {
    const alice = await newClient("Alice");
    const bob = await newClient("Bob");
    const { chat } = await openAcceptedChat(alice, bob);
    const arrived = next(
      (callback: OnMessages, onError: OnError) => bob.client.watchMessages(chat.id, callback, onError),
      ({ messages }) => messages.find((message) => message.linkPreview !== null),
    );
    await arrived.ready;
    const sent = await alice.client.rest.sendMessage({ chatId: chat.id, text: `read this: ${site.url}/article?id=1.` });

    expect(sent.message.linkPreview).toBeNull();
    const message = await arrived;
    expect(message.linkPreview).toMatchObject({
      url: `${site.url}/article?id=1`,
      title: "An article",
      description: "About An article",
      siteName: "Local site",
      image: { downloadPath: `/v1/chats/${chat.id}/messages/1/preview/image`, contentType: "image/png", width: 320, height: 160 },
    });
    const token = (await bob.client.auth.currentUser?.getIdToken()) ?? "";
    const path = message.linkPreview?.image?.downloadPath.replace(/^\/v1/, "") ?? "";
    const image = await fetch(`${apiBase}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(image.status).toBe(200);
    const bytes = Buffer.from(await image.arrayBuffer());
    expect(await sharp(bytes).metadata()).toMatchObject({ format: "png", width: 320, height: 160 });
    expect(bytes.equals(picture)).toBe(false);

    const removed = await alice.client.callables.removeLinkPreview({ chatId: chat.id, number: 1 });
    expect(removed.message.linkPreview).toBeNull();
  });

  it("when the sender removes the preview, then it is gone with its image, and a stranger may not remove one", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const sent = await send(alice, chatId, `${site.url}/article?id=2`);
    const preview = await previewOf(alice, chatId, sent.number);
    const path = `/chats/${chatId}/messages/${sent.number}/preview`;

    const byBob = await api(bob, "DELETE", path);
    const removed = await api<{ message: MessageView }>(alice, "DELETE", path);
    const again = await api<{ message: MessageView }>(alice, "DELETE", path);

    expect(byBob.status).toBe(403);
    expect(removed).toMatchObject({ status: 200, body: { message: { number: sent.number, linkPreview: null } } });
    expect(again.status).toBe(200);
    expect((await download(bob, preview.image?.downloadPath ?? "")).status).toBe(404);
    const stored = await adminDb().doc(`chats/${chatId}/messages/${sent.id}`).get();
    expect(stored.get("linkPreview")).toBeUndefined();
    expect(stored.get("linkPreviewRemoved")).toBe(true);
  });

  it("when the trigger runs again on a message with a preview, or whose preview was removed, then nothing changes", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const sent = await send(alice, chatId, `${site.url}/article?id=3`);
    const preview = await previewOf(alice, chatId, sent.number);
    const again = { bucket: adminBucket(), chatId, number: sent.number, allowedIps: ["127.0.0.1"] };

    const withPreview = await previewLink(adminDb(), again);
    const unchanged = await previewOf(alice, chatId, sent.number);
    await api(alice, "DELETE", `/chats/${chatId}/messages/${sent.number}/preview`);
    const afterRemoval = await previewLink(adminDb(), again);

    expect([withPreview, afterRemoval]).toEqual(["already", "no-link"]);
    expect(unchanged).toEqual(preview);
    const { body } = await api<{ message: MessageView }>(alice, "GET", `/chats/${chatId}/messages/${sent.number}`);
    expect(body.message.linkPreview).toBeNull();
    expect(await objectNames(`chats/${chatId}/link-previews/`)).toEqual([]);
  });

  it("when the link is to a loopback address not allow-listed, or redirects to one, then no preview and no connection", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const direct = await sendAndSettle(alice, chatId, `${privateV4.url}/page`);
    const v6 = await sendAndSettle(alice, chatId, `${privateV6.url}/page`);
    const redirected = await sendAndSettle(alice, chatId, `${site.url}/to-private`);

    expect([direct.linkPreview, v6.linkPreview, redirected.linkPreview]).toEqual([null, null, null]);
    expect(site.hits).toContain("/to-private");
    expect([privateV4.connections(), privateV6.connections(), redirectTarget.connections()]).toEqual([0, 0, 0]);
  });

  it("when the page is larger than 512 KiB or the server never answers, then there is no preview", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const huge = await send(alice, chatId, `${site.url}/huge`);
    const slow = await send(alice, chatId, `${site.url}/slow`);
    await eventually(() =>
      site.hits.includes("/slow") ? Promise.resolve() : Promise.reject(new Error("the slow page was not asked for yet")),
    );

    // The slow fetch gives up after 5 s (timed in test/unit/link-fetch.test.ts); here no preview
    // came for either, while a later message still got one.
    const later = await sendAndSettle(alice, chatId, "no link");
    const messages = await Promise.all(
      [huge, slow].map(
        async ({ number }) => (await api<{ message: MessageView }>(alice, "GET", `/chats/${chatId}/messages/${number}`)).body,
      ),
    );
    expect(later.linkPreview).toBeNull();
    expect(messages.map(({ message }) => message.linkPreview)).toEqual([null, null]);
    expect(site.hits).toContain("/huge");
  });

  it("when a room's host turns previews off, then new messages get none; a guest may not; in a 1:1 chat either member may", async () => {
    const [host, guest] = await signUpMany("Host", "Guest");
    const created = await api<{ chat: { id: string }; inviteCode: string }>(host, "POST", "/rooms", { body: { title: "Links" } });
    const chatId = created.body.chat.id;
    await api(guest, "POST", "/rooms/join", { body: { inviteCode: created.body.inviteCode } });
    const setting = (user: TestUser, id: string, enabled: boolean) =>
      api(user, "PUT", `/chats/${id}/link-previews`, { body: { enabled } });

    const byGuest = await setting(guest, chatId, false);
    const off = await setting(host, chatId, false);
    const view = await api<{ chat: { linkPreviews: boolean } }>(guest, "GET", `/chats/${chatId}`);
    const quiet = await send(guest, chatId, `${site.url}/plain?room=off`);
    const direct = await createChat(host, guest);
    const offByGuest = await setting(guest, direct, false);
    const onByGuest = await setting(guest, direct, true);
    // A later message's preview in the 1:1 chat: the triggers have run.
    await previewOf(guest, direct, (await send(guest, direct, `${site.url}/plain?direct=on`)).number);

    expect(byGuest.status).toBe(403);
    expect(off).toMatchObject({ status: 200, body: { chatId, linkPreviews: false } });
    expect(view.body.chat.linkPreviews).toBe(false);
    expect([offByGuest.status, onByGuest.body]).toEqual([200, { chatId: direct, linkPreviews: true }]);
    const { body } = await api<{ message: MessageView }>(guest, "GET", `/chats/${chatId}/messages/${quiet.number}`);
    expect(body.message.linkPreview).toBeNull();
  });

  it("when the sender edits the text to another link, then the old preview goes", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const sent = await send(alice, chatId, `${site.url}/plain?edit=1`);
    await previewOf(alice, chatId, sent.number);

    const same = await api<{ message: MessageView }>(alice, "PATCH", `/chats/${chatId}/messages/${sent.number}`, {
      body: { text: `still ${site.url}/plain?edit=1` },
    });
    const other = await api<{ message: MessageView }>(alice, "PATCH", `/chats/${chatId}/messages/${sent.number}`, {
      body: { text: "no link any more" },
    });

    expect(same.body.message.linkPreview).toMatchObject({ title: "Plain" });
    expect(other.body.message.linkPreview).toBeNull();
  });
});

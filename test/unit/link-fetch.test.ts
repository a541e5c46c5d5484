import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchGuarded, MAX_HTML_BYTES } from "../../functions/src/links/fetch-guarded.js";
import { firstUrl } from "../../functions/src/shared/first-url.js";

// Every server here listens on a loopback address; only 127.0.0.1 is allow-listed, as on the
// emulator project. The refused ones (127.0.0.2, ::1) count connections: they must stay at 0.

interface CountingServer {
  url: string;
  connections: () => number;
  close: () => Promise<void>;
}

async function serve(host: string, handler: http.RequestListener): Promise<CountingServer> {
  const server = http.createServer(handler);
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, connections: () => connections, close };
}

const PAGE = '<html><head><meta property="og:title" content="Hello"></head></html>';
const allowed = { kind: "html" as const, allowedIps: ["127.0.0.1"] };

describe("fetchGuarded (link previews)", () => {
  let site: CountingServer;
  let forbidden: CountingServer;
  let forbiddenV6: CountingServer;
  beforeAll(async () => {
    forbidden = await serve("127.0.0.2", (_request, response) => response.end(PAGE));
    forbiddenV6 = await serve("::1", (_request, response) => response.end(PAGE));
    site = await serve("127.0.0.1", (request, response) => {
      const path = request.url ?? "/";
      if (path === "/page") return void response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
      if (path === "/to-forbidden") return void response.writeHead(302, { location: `${forbidden.url}/page` }).end();
      if (path.startsWith("/loop")) return void response.writeHead(302, { location: `/loop${path.length}` }).end();
      if (path === "/big")
        return void response.writeHead(200, { "content-type": "text/html" }).end("x".repeat(MAX_HTML_BYTES + 1));
      if (path === "/json") return void response.writeHead(200, { "content-type": "application/json" }).end("{}");
      if (path === "/slow") return; // never answers
      response.writeHead(404).end();
    });
  });
  afterAll(async () => {
    await Promise.all([site.close(), forbidden.close(), forbiddenV6.close()]);
  });

  it("when the page is on an allow-listed address, then its HTML comes back", async () => {
    const fetched = await fetchGuarded(`${site.url}/page`, allowed);
    expect(fetched).toMatchObject({ ok: true, contentType: "text/html" });
    expect(fetched.ok && fetched.body.toString()).toBe(PAGE);
  });

  it("when the host is a loopback address not on the list, then it is refused before any connection", async () => {
    expect(await fetchGuarded(`${forbidden.url}/page`, allowed)).toEqual({ ok: false, reason: "refused-address" });
    expect(await fetchGuarded(`${forbiddenV6.url}/page`, allowed)).toEqual({ ok: false, reason: "refused-address" });
    expect(forbidden.connections()).toBe(0);
    expect(forbiddenV6.connections()).toBe(0);
  });

  it("when nothing is allow-listed, then even 127.0.0.1 and localhost are refused", async () => {
    const before = site.connections();
    const port = new URL(site.url).port;
    expect(await fetchGuarded(`${site.url}/page`, { kind: "html", allowedIps: [] })).toEqual({
      ok: false,
      reason: "refused-address",
    });
    expect(await fetchGuarded(`http://localhost:${port}/page`, { kind: "html", allowedIps: [] })).toEqual({
      ok: false,
      reason: "refused-address",
    });
    expect(site.connections()).toBe(before);
  });

  it("when an allowed page redirects to a refused address, then the redirect is refused before connecting", async () => {
    expect(await fetchGuarded(`${site.url}/to-forbidden`, allowed)).toEqual({ ok: false, reason: "refused-address" });
    expect(forbidden.connections()).toBe(0);
  });

  it("when redirects go on past 3, then the fetch gives up", async () => {
    expect(await fetchGuarded(`${site.url}/loop`, allowed)).toEqual({ ok: false, reason: "too-many-redirects" });
  });

  it("when the page is larger than 512 KiB, then it is refused", async () => {
    expect(await fetchGuarded(`${site.url}/big`, allowed)).toEqual({ ok: false, reason: "too-large" });
  });

  it("when the answer is not HTML, then it is refused", async () => {
    expect(await fetchGuarded(`${site.url}/json`, allowed)).toEqual({ ok: false, reason: "wrong-type" });
  });

  it("when the URL is not http(s), then nothing is fetched", async () => {
    expect(await fetchGuarded("file:///etc/passwd", allowed)).toEqual({ ok: false, reason: "bad-url" });
  });

  it("when the server never answers, then the fetch ends after 5 s", { timeout: 15_000 }, async () => {
    expect(await fetchGuarded(`${site.url}/slow`, allowed)).toEqual({ ok: false, reason: "timeout" });
  });
});

describe("firstUrl", () => {
  it("when a text has links, then the first http(s) one is taken, without trailing punctuation", () => {
    expect(firstUrl("see (https://example.test/a?b=1), and http://other.test")).toBe("https://example.test/a?b=1");
    expect(firstUrl("no links, ftp://x.test")).toBeUndefined();
  });
});

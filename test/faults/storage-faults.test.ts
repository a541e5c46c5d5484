import { createHash } from "node:crypto";
import { createServer, connect, type Server, type Socket } from "node:net";
import { Readable } from "node:stream";
import { Storage } from "@google-cloud/storage";
import { afterAll, describe, expect, it } from "vitest";
import { storeObject } from "../../functions/src/files/store-object.js";
import { adminBucket, objectNames } from "../helpers/admin.js";
import { bucketName, storageHost } from "../helpers/emulators.js";
import { faultPlan } from "../helpers/faults.js";

// Fault test 4 (README, "When a function fails"): the connection to Cloud Storage drops while a
// file is uploaded. Seen on a fresh-clone CI run: a photo upload failed with `write EPIPE` (a
// kept-alive connection the Storage emulator had closed) and the send answered 500.

/** What the proxy did to upload requests. */
interface ProxyLog {
  uploads: number;
  droppedBefore: number;
  droppedAfter: number;
}

type Drop = "before" | "after" | null;

/**
 * A loopback TCP proxy in front of the Storage emulator. For each connection whose first request
 * is an upload, `drop(key)` (key: the object's name) decides: `before` closes the connection
 * without passing anything on (the client sees EPIPE or ECONNRESET), `after` passes the request
 * on and closes the connection once the emulator answers, without the answer (a lost answer: the
 * object was written). Other requests pass through. Every request asks the emulator to close the
 * connection after its answer, so each one comes on a new connection and meets `drop`.
 */
async function flakyStorageProxy(drop: (key: string) => Drop): Promise<{ server: Server; origin: string; log: ProxyLog }> {
  const log: ProxyLog = { uploads: 0, droppedBefore: 0, droppedAfter: 0 };
  const [host, port] = storageHost.split(":");
  const server = createServer((client: Socket) => {
    client.once("data", (first: Buffer) => {
      const requestLine = first.subarray(0, first.indexOf("\r\n")).toString();
      const name = /^POST \/upload\/.*[?&]name=([^& ]+)/.exec(requestLine)?.[1];
      const fault = name ? drop(decodeURIComponent(name)) : null;
      if (name) log.uploads++;
      if (fault === "before") {
        log.droppedBefore++;
        client.destroy();
        return;
      }
      const upstream = connect(Number(port), host);
      upstream.write(oneRequestOnly(first));
      client.pipe(upstream);
      if (fault === "after") {
        log.droppedAfter++;
        upstream.once("data", () => {
          upstream.destroy();
          client.destroy();
        });
      } else upstream.pipe(client);
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
      client.on("close", () => upstream.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy: no port");
  return { server, origin: `http://127.0.0.1:${address.port}`, log };
}

/** `head` (a request's first bytes) with `Connection: close` in place of keep-alive. */
function oneRequestOnly(head: Buffer): Buffer {
  const end = head.indexOf("\r\n\r\n");
  if (end < 0) throw new Error("proxy: the first packet holds no whole request head");
  const lines = head
    .subarray(0, end)
    .toString("latin1")
    .split("\r\n")
    .filter((line) => !/^connection:/i.test(line));
  return Buffer.concat([Buffer.from([...lines, "Connection: close"].join("\r\n"), "latin1"), head.subarray(end)]);
}

const folder = `storage-faults/${Date.now()}`;
const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) server.close();
  await adminBucket().deleteFiles({ prefix: `${folder}/`, force: true });
});

/** A file of `size` bytes that differs per `i`, arriving as a stream in 64 KiB chunks. */
function fileBytes(i: number, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let at = 0; at < size; at += 32) createHash("sha256").update(`${i}:${at}`).digest().copy(bytes, at);
  return bytes;
}

describe("fault: the connection to Cloud Storage drops during uploads", () => {
  it("when 15% of upload connections close before the request and 15% before the answer, then every file is stored whole and the call succeeds", async () => {
    const plan = faultPlan(0.15, "storage-faults");
    const { server, origin, log } = await flakyStorageProxy((key) => {
      const short = key.slice(key.lastIndexOf("/") + 1);
      return plan(`${short}:before`) ? "before" : plan(`${short}:after`) ? "after" : null;
    });
    servers.push(server);
    const bucket = new Storage({ apiEndpoint: origin, projectId: "demo-parley" }).bucket(bucketName);

    const files = Array.from({ length: 20 }, (_, i) => ({ path: `${folder}/file-${i}.bin`, bytes: fileBytes(i, 200_000 + i) }));
    const stored = [];
    for (const { path, bytes } of files) {
      stored.push(
        await storeObject(
          bucket,
          path,
          Readable.from([bytes.subarray(0, 65_536), bytes.subarray(65_536)]),
          "application/octet-stream",
        ),
      );
    }
    console.log(`fault test 4: ${JSON.stringify(log)}`);

    expect(log.droppedBefore).toBeGreaterThan(0);
    expect(log.droppedAfter).toBeGreaterThan(0);
    expect(await objectNames(`${folder}/`)).toEqual(files.map((file) => file.path).sort());
    for (const [i, { path, bytes }] of files.entries()) {
      const [content] = await adminBucket().file(path).download();
      expect(content.equals(bytes), path).toBe(true);
      expect(stored[i]).toMatchObject({ path, size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });
    }
  });

  it("when every upload connection closes, then the call fails once the SDK's retries are spent and leaves no object", async () => {
    const { server, origin, log } = await flakyStorageProxy(() => "before");
    servers.push(server);
    const bucket = new Storage({ apiEndpoint: origin, projectId: "demo-parley" }).bucket(bucketName);
    const path = `${folder}/never.bin`;

    await expect(
      storeObject(bucket, path, Readable.from([fileBytes(0, 1000)]), "application/octet-stream"),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/^(ECONNRESET|EPIPE)$/),
    });
    expect(log.uploads).toBe(4); // the first try and the SDK's 3 retries
    expect(await objectNames(path)).toEqual([]);
  });
});

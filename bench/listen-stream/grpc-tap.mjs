// A TCP proxy in front of the Firestore emulator's gRPC port that checks the gRPC framing of
// everything the emulator sends: HTTP/2 DATA frames are reassembled per stream and each gRPC
// message's 5-byte prefix (compressed flag, 4-byte length) is checked. A bad prefix in the
// bytes as they left the emulator means the emulator wrote a corrupt stream. It also keeps
// every gRPC message of both directions, per connection and stream, for a timeline.
import net from "node:net";
import { appendFileSync } from "node:fs";

const MAX = 17 * 1024 * 1024;
const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/** Parses one direction of an HTTP/2 connection into gRPC messages. */
function direction(id, fromClient, report, keep, forward = () => undefined, corrupt = () => false) {
  let buf = Buffer.alloc(0);
  let preface = fromClient;
  const streams = new Map();
  const history = []; // last few DATA frames: [streamId, length, flags, first bytes]
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    if (preface) {
      if (buf.length < PREFACE.length) return;
      buf = buf.subarray(PREFACE.length);
      preface = false;
    }
    while (buf.length >= 9) {
      const length = buf.readUIntBE(0, 3);
      if (buf.length < 9 + length) break;
      const type = buf[3];
      const flags = buf[4];
      const streamId = buf.readUInt32BE(5) & 0x7fffffff;
      const frame = Buffer.from(buf.subarray(0, 9 + length));
      let payload = buf.subarray(9, 9 + length);
      buf = buf.subarray(9 + length);
      if (type !== 0) {
        forward(frame);
        continue;
      }
      const startsMessage = (streams.get(streamId)?.pending.length ?? 0) === 0 && !(flags & 0x8) && length >= 5;
      if (startsMessage && corrupt(streamId)) frame.writeUInt32BE(0x7fffffff, 10);
      forward(frame);
      if (flags & 0x8) payload = payload.subarray(1, payload.length - payload[0]);
      history.push([streamId, payload.length, flags, payload.subarray(0, 12).toString("hex")]);
      if (history.length > 12) history.shift();
      let s = streams.get(streamId);
      if (!s) streams.set(streamId, (s = { pending: Buffer.alloc(0), messages: 0, broken: false }));
      if (s.broken) continue;
      s.pending = Buffer.concat([s.pending, payload]);
      while (s.pending.length >= 5) {
        const compressed = s.pending[0];
        const size = s.pending.readUInt32BE(1);
        if (compressed > 1 || size > MAX) {
          report({
            connection: id,
            fromClient,
            stream: streamId,
            afterMessages: s.messages,
            prefix: s.pending.subarray(0, 16).toString("hex"),
            size,
            recentDataFrames: history.slice(),
          });
          s.pending = Buffer.alloc(0);
          s.broken = true;
          keep(streamId, fromClient, null);
          break;
        }
        if (s.pending.length < 5 + size) break;
        keep(streamId, fromClient, Buffer.from(s.pending.subarray(5, 5 + size)));
        s.pending = s.pending.subarray(5 + size);
        s.messages++;
      }
    }
  };
}

/** Starts the tap; resolves with its port and what it saw. Reports go to `onBad` and a file. */
export function startTap(upstreamHost, upstreamPort, onBad, file) {
  let connections = 0;
  const messages = []; // { connection, stream, fromClient, at, bytes }
  const broken = new Set(); // connection:stream whose framing broke
  let corruptRequested = false;
  const injected = [];
  const server = net.createServer((client) => {
    const id = ++connections;
    const upstream = net.connect(upstreamPort, upstreamHost);
    const report = (bad) => {
      onBad(bad);
      if (file) appendFileSync(file, JSON.stringify(bad) + "\n");
    };
    const keep = (stream, fromClient, bytes) =>
      bytes === null
        ? broken.add(`${id}:${stream}`)
        : messages.push({ connection: id, stream, fromClient, at: Date.now(), bytes });
    const fromServer = direction(
      id,
      false,
      report,
      keep,
      (frame) => client.write(frame),
      (stream) => {
        if (!corruptRequested || stream % 2 === 0) return false;
        corruptRequested = false;
        injected.push(`${id}:${stream}`);
        return true;
      },
    );
    const fromClient = direction(id, true, report, keep);
    client.on("data", (d) => {
      fromClient(d);
      upstream.write(d);
    });
    upstream.on("data", (d) => fromServer(d));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: server.address().port,
        server,
        count: () => connections,
        /** The connection:stream pairs whose server messages carried `text`. */
        carried: (text) => [
          ...new Set(messages.filter((m) => !m.fromClient && m.bytes.includes(text)).map((m) => `${m.connection}:${m.stream}`)),
        ],
        /** Every message of a stream whose requests mention `text`, in order. */
        streamOf: (text) => {
          const hit = messages.find((m) => m.fromClient && m.bytes.includes(text));
          if (!hit) return [];
          return messages.filter((m) => m.connection === hit.connection && m.stream === hit.stream);
        },
        all: () => messages,
        /** Corrupts the length prefix of the next gRPC message the emulator sends on any stream. */
        injectCorruption: () => (corruptRequested = true),
        injected: () => injected,
        clear: () => {
          messages.length = 0;
          broken.clear();
        },
        isBroken: (connection, stream) => broken.has(`${connection}:${stream}`),
      }),
    ),
  );
}

// The floor every send latency is compared with: an Admin SDK write of a message-sized doc until
// another user's `firebase` web SDK listener sees it (one commit and the listener, nothing else).
// Used by bench/run.mjs and bench/send-split.mjs, in rounds interleaved with the sends they
// compare, so drift of the machine lands in both.
import { randomUUID } from "node:crypto";
import { collection, onSnapshot } from "firebase/firestore";

const text = "x".repeat(120);

/**
 * A chat `chats/floor-<id>` whose members are `writerUid` and the listener's user, with the
 * listener on its messages. `round(samples)` writes that many messages one after another and
 * resolves with each one's write → listener time (ms); `stop()` ends the listener.
 * `admin`: an Admin SDK Firestore; `listenerDb`: the listening user's web SDK Firestore.
 */
export async function floorChat({ admin, listenerDb, writerUid, listenerUid }) {
  const chatId = `floor-${randomUUID()}`;
  await admin.doc(`chats/${chatId}`).set({ type: "direct", members: [writerUid, listenerUid], messageCount: 0 });
  const waiting = new Map();
  const stop = onSnapshot(collection(listenerDb, "chats", chatId, "messages"), (snap) => {
    for (const change of snap.docChanges()) {
      const resolve = waiting.get(change.doc.id);
      if (resolve) (waiting.delete(change.doc.id), resolve(performance.now()));
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  let written = 0;
  async function round(samples) {
    const ms = [];
    for (let i = 0; i < samples; i++) {
      const id = String(++written).padStart(6, "0");
      const seen = new Promise((resolve) => waiting.set(id, resolve));
      const t0 = performance.now();
      await admin
        .doc(`chats/${chatId}/messages/${id}`)
        .set({ number: written, from: writerUid, type: "text", text, clientMessageId: null, createdAt: new Date() });
      ms.push((await withinSeconds(seen, 30, `floor sample ${id}: the listener saw nothing`)) - t0);
    }
    return ms;
  }
  return { chatId, round, stop };
}

/** `promise`, or a failure saying `what` after `seconds`: a write the listener misses fails the bench, not hangs it. */
function withinSeconds(promise, seconds, what) {
  let timer;
  const late = new Promise(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} after ${seconds} s`)), seconds * 1000)),
  );
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The `p`th percentile of `values` (nearest rank). */
export const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** The median of a few numbers (the middle one; the mean of the two middle ones for an even count). */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

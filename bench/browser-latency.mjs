// Browser-to-browser latency of the web app, in Chromium: Enter in one window until the message
// shows in the other, and until it shows in the sender's own window (before the server answers:
// the outbox shows it pending). Both windows run in one browser on this machine, so the pages',
// the functions' and this process's clocks agree, and Enter → the other window splits into parts
// (ID token + request + proxy + listener + render = the total):
//
//   ID token   Enter → the page calls fetch (the keydown, the outbox, getIdToken)
//   request    fetch → the handler starts, less the proxy (page → Hosting emulator → worker)
//   proxy      what Hosting's rewrite adds: the same send from this process through Hosting,
//              less the same send straight to the functions origin (p50s of a side phase)
//   server     the handler's own time, its reply included (its `Server-Timing: handler;dur=`):
//              beside the path, not on it (the message commits before the handler ends)
//   listener   the handler's start → the receiver page's conversation callback (its User Timing
//              mark `parley:conversation-state`): the handler up to its commit, then Firestore;
//              of it, `stream` is the handler's start → the change reaching the page's Firestore
//              Listen channel, `sdk` the rest (the Firestore SDK's cache and snapshot, the client)
//   render     the callback → the message's node in the DOM (a MutationObserver)
//   paint      the node → the next animation frame (beside the total, not in it)
//
// The handler's start is the message's `createdAt` (the route's `now`, ms), from the reply body.
// Given an `api` pair of users (whom the windows don't watch), each browser sample is followed
// by an API sample: a REST send from this process straight to the functions origin until the
// other user's Firestore listener here sees it (as bench/run.mjs measures it), so the ratio
// compares the two under the same load.
import { randomUUID } from "node:crypto";
import { deleteApp, initializeApp } from "firebase/app";
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword } from "firebase/auth";
import { collection, connectFirestoreEmulator, getFirestore, onSnapshot, orderBy, query } from "firebase/firestore";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "../scripts/chromium.mjs";

const projectId = process.env.GCLOUD_PROJECT ?? "demo-parley";
const appUrl = "http://127.0.0.1:5000";
const functionsApi = `http://127.0.0.1:5001/${projectId}/us-central1/api/v1`;
/** The User Timing mark the web app makes when the client hands the conversation a new state. */
const STATE_MARK = "parley:conversation-state";
/** Browser samples before the measured ones: they warm up the windows' listeners and the workers. */
const WARM_UP = 2;

/**
 * Runs in each page before the app: records the app's sends (fetch of `POST …/messages`: when
 * called, answered, the reply's `Server-Timing`, number and `createdAt`), the conversation
 * states it renders (the app's marks), and when a wanted text first reaches the page's Firestore
 * Listen channel (its XMLHttpRequest's progress), in `window.__bench`.
 */
function instrument(stateMark) {
  const bench = { sends: [], states: [], arrivals: [], want: null };
  Object.defineProperty(window, "__bench", { value: bench });
  const realFetch = window.fetch.bind(window);
  const arrived = (text) => {
    const want = bench.want;
    if (want && text.includes(want)) {
      bench.arrivals.push({ text: want, at: Date.now() });
      bench.want = null;
    }
  };
  // Firestore's Listen channel, when it streams over fetch: a copy of the body is read as it comes.
  const watchStream = (response) => {
    if (!response.body) return response;
    const [kept, copy] = response.body.tee();
    const reader = copy.getReader();
    const decoder = new TextDecoder();
    let tail = "";
    const read = () =>
      reader.read().then(({ done, value }) => {
        if (done) return;
        const text = tail + decoder.decode(value, { stream: true });
        arrived(text);
        tail = text.slice(-200);
        return read();
      });
    void read().catch(() => undefined);
    return new Response(kept, response);
  };
  window.fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.includes("/Listen/channel")) return watchStream(await realFetch(input, init));
    if (init?.method !== "POST" || !/\/v1\/chats\/[^/]+\/messages$/.test(url)) return realFetch(input, init);
    const record = { calledAt: Date.now() };
    bench.sends.push(record);
    const response = await realFetch(input, init);
    record.answeredAt = Date.now();
    record.handlerMs = Number(/handler;dur=([\d.]+)/.exec(response.headers.get("server-timing") ?? "")?.[1] ?? NaN);
    void response
      .clone()
      .json()
      .then((body) => Object.assign(record, { number: body.message?.number, createdAt: Date.parse(body.message?.createdAt) }));
    return response;
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name === stateMark)
        bench.states.push({ at: performance.timeOrigin + entry.startTime, newest: entry.detail?.newest });
    }
  }).observe({ type: "mark" });
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (String(url).includes("/Listen/channel")) {
      let seen = 0;
      this.addEventListener("progress", () => {
        const text = typeof this.response === "string" ? this.response : "";
        arrived(text.slice(Math.max(0, seen - 200)));
        seen = text.length;
      });
    }
    return open.call(this, method, url, ...rest);
  };
}

/**
 * Waits for `text` in the page's message list: when its node is in the DOM (a MutationObserver)
 * and the animation frame after (ms since the epoch).
 */
function watchFor(page, text) {
  return page.evaluate((wanted) => {
    const list = document.querySelector('[aria-label="Messages"]');
    return new Promise((resolve) => {
      const check = () => {
        if (!list.textContent.includes(wanted)) return;
        observer.disconnect();
        const shownAt = Date.now();
        requestAnimationFrame(() => resolve({ shownAt, paintedAt: Date.now() }));
      };
      const observer = new MutationObserver(check);
      observer.observe(list, { subtree: true, childList: true, characterData: true });
      check();
    });
  }, text);
}

async function signedIn(browser, user, chatId) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
  await context.addInitScript(instrument, STATE_MARK);
  const page = await context.newPage();
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

/** Types `text` and presses Enter in the composer; returns when Enter was pressed (ms since the epoch). */
async function enter(page, text) {
  await page.getByLabel("Message", { exact: true }).fill(text);
  return page.evaluate(() => {
    const at = Date.now();
    document.getElementById("composer-text").dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    return at;
  });
}

/** One message from window `from` to window `to`: its timeline, all in ms since the epoch. */
async function browserSample(from, to, text) {
  await to.evaluate((wanted) => (window.__bench.want = wanted), text);
  const seen = watchFor(to, text);
  const own = watchFor(from, text);
  const enterAt = await enter(from, text);
  const [{ shownAt, paintedAt }, ownAt] = await Promise.all([seen, own]);
  // The reply's body is read after the reply; wait for its number.
  const send = await from.evaluate(async () => {
    const record = window.__bench.sends.at(-1);
    for (let i = 0; i < 200 && record.number === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    return record;
  });
  const { states, arrivals } = await to.evaluate(() => window.__bench);
  const stateAt = states.find((state) => state.newest !== null && state.newest >= send.number)?.at;
  const arrivalAt = arrivals.find((arrival) => arrival.text === text)?.at;
  return { enterAt, ...send, arrivalAt, stateAt, shownAt, paintedAt, ownShownAt: ownAt.shownAt };
}

/** `promise`, or a failure naming `what` after `ms` (a message that never shows fails the bench, not hangs it). */
function withTimeout(promise, what, ms = 60_000) {
  let timer;
  const late = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** A Firestore listener of `user` (signed in here) on chat `chatId`'s messages: `until(number)` resolves when it sees it. */
async function messageWatcher(user, chatId) {
  const app = initializeApp({ projectId, apiKey: "bench" }, `browser-bench-${randomUUID()}`);
  const auth = getAuth(app);
  connectAuthEmulator(auth, `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST ?? "127.0.0.1:9099"}`, { disableWarnings: true });
  const db = getFirestore(app);
  const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? "127.0.0.1:8080").split(":");
  connectFirestoreEmulator(db, host, Number(port));
  await signInWithEmailAndPassword(auth, user.email, user.password);
  const waiting = new Map();
  const seen = new Set();
  const stop = onSnapshot(query(collection(db, "chats", chatId, "messages"), orderBy("number")), (snap) => {
    const at = performance.now();
    for (const change of snap.docChanges()) seen.add(change.doc.data().number);
    for (const [number, resolve] of waiting) if (seen.has(number)) (waiting.delete(number), resolve(at));
  });
  return {
    until: (number) => new Promise((resolve) => (seen.has(number) ? resolve(performance.now()) : waiting.set(number, resolve))),
    stop: async () => {
      stop();
      await deleteApp(app);
    },
  };
}

/** A REST send of `text` by `user` to chat `chatId` at `base`: when it was made and the reply's message and handler time. */
async function restSend(base, user, chatId, text) {
  const calledAt = Date.now();
  const response = await fetch(`${base}/chats/${chatId}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
    body: JSON.stringify({ text }),
  });
  const { message } = await response.json();
  const handlerMs = Number(/handler;dur=([\d.]+)/.exec(response.headers.get("server-timing") ?? "")?.[1] ?? NaN);
  return { calledAt, createdAt: Date.parse(message.createdAt), number: message.number, handlerMs };
}

/**
 * Accepts the message request `opener` made by creating 1:1 chat `chatId`, as `recipient`: until
 * then the opener may send only REQUEST_MESSAGE_LIMIT (3) messages. A chat with no open request
 * answers 4xx, which is fine too.
 */
async function acceptRequest(recipient, chatId) {
  await fetch(`${functionsApi}/chats/${chatId}/accept`, {
    method: "POST",
    headers: { authorization: `Bearer ${recipient.token}` },
  });
}

/**
 * The proxy's share: `samples` sends from this process through Hosting's rewrite and as many
 * straight to the functions origin, alternately; per route, the call → the handler's start (ms).
 */
async function proxyPhase({ sender, chatId }, samples) {
  const toHandler = { hosting: [], direct: [] };
  for (let i = 0; i < samples + WARM_UP; i++) {
    for (const [route, base] of [
      ["hosting", `${appUrl}/v1`],
      ["direct", functionsApi],
    ]) {
      const send = await restSend(base, sender, chatId, `proxy bench ${route} ${i}`);
      if (i >= WARM_UP) toHandler[route].push(send.createdAt - send.calledAt);
    }
  }
  return toHandler;
}

const percentile = (values, p) => {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const p50 = (values) => round(percentile(values, 50));

/** The parts of each browser sample (ms), as the header of this file defines them. */
function partsOf(samples, proxyMs) {
  const part = (of) => samples.map(of);
  return {
    idToken: part((s) => s.calledAt - s.enterAt),
    request: part((s) => s.createdAt - s.calledAt - proxyMs),
    proxy: part(() => proxyMs),
    server: part((s) => s.handlerMs),
    listener: part((s) => s.stateAt - s.createdAt),
    stream: part((s) => s.arrivalAt - s.createdAt),
    sdk: part((s) => s.stateAt - s.arrivalAt),
    render: part((s) => s.shownAt - s.stateAt),
    paint: part((s) => s.paintedAt - s.shownAt),
  };
}

/**
 * `samples` messages from `sender` to `receiver` (each `{ email, password, token }`) in chat
 * `chatId` through the web app, in Chromium (found as `npm test` finds it: scripts/chromium.mjs).
 * With `api` (`{ sender, receiver, chatId }`, another pair), an API send → listener sample after
 * each browser sample. `pauseMs` waits between samples (default 0); `log` hears of each sample.
 * @returns `toReceiver` and `toSender` (per message, Enter → shown in the other window and in the
 *   sender's own, ms); `parts` (per message, the parts above) and `partsP50`; `proxyToHandlerMs`
 *   (`hosting`/`direct`, per send); with `api`, `apiSendToListener` (per send, ms) and
 *   `ratioToApiP50` (Enter → the other window p50 over the API's send → listener p50); `null`
 *   when no Chromium is found.
 */
export async function browserLatency({ sender, receiver, chatId, samples, api, pauseMs = 0, log = () => undefined }) {
  const executablePath = chromiumPath();
  if (!executablePath) return null;
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  await acceptRequest(receiver, chatId);
  if (api) await acceptRequest(api.receiver, api.chatId);
  const listener = api && (await messageWatcher(api.receiver, api.chatId));
  try {
    const [from, to] = [await signedIn(browser, sender, chatId), await signedIn(browser, receiver, chatId)];
    const timelines = [];
    const apiSendToListener = [];
    for (let i = 0; i < samples + WARM_UP; i++) {
      const timeline = await withTimeout(browserSample(from, to, `browser bench ${i} ${Date.now()}`), `browser sample ${i}`);
      if (i >= WARM_UP) timelines.push(timeline);
      log(`browser sample ${i}: ${timeline.shownAt - timeline.enterAt} ms`);
      if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
      if (listener) {
        const t0 = performance.now();
        const { number } = await restSend(functionsApi, api.sender, api.chatId, "x".repeat(120));
        const seenAt = await withTimeout(listener.until(number), `API sample ${i}`);
        if (i >= WARM_UP) apiSendToListener.push(seenAt - t0);
        log(`API sample ${i}: ${round(seenAt - t0)} ms`);
        if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
      }
    }
    const proxyToHandlerMs = await proxyPhase({ sender, chatId }, Math.min(samples, 20));
    const proxyMs = Math.max(0, percentile(proxyToHandlerMs.hosting, 50) - percentile(proxyToHandlerMs.direct, 50));
    const toReceiver = timelines.map((t) => t.shownAt - t.enterAt);
    const parts = partsOf(timelines, proxyMs);
    const apiP50 = listener ? p50(apiSendToListener) : undefined;
    return {
      toReceiver,
      toSender: timelines.map((t) => t.ownShownAt - t.enterAt),
      parts,
      partsP50: Object.fromEntries(Object.entries(parts).map(([name, values]) => [name, p50(values)])),
      toReceiverP50: p50(toReceiver),
      proxyToHandlerMs,
      ...(listener && { apiSendToListener, apiSendToListenerP50: apiP50, ratioToApiP50: round(p50(toReceiver) / apiP50, 2) }),
    };
  } finally {
    await listener?.stop();
    await browser.close();
  }
}

// One sample of bench/function-load.mjs, in a fresh process: how long loading one function takes
// and how much memory, alone or with its first request, or the bare SDK import to compare with.
//
//   node bench/first-use.cjs bare                            firebase-admin/firestore + firebase-functions/v2/https
//   FUNCTION_TARGET=<name> node bench/first-use.cjs load     require functions/lib/index.js, read that export
//   FUNCTION_TARGET=<name> node bench/first-use.cjs first-use api|callable   ... and serve its first request
//
// A first request is served as the Functions Framework serves one, over loopback HTTP with the
// JSON body parsed, signed in with an emulator ID token (unsigned). In emulator mode the Admin SDK
// looks the user up in Auth for every token; the same loopback server answers that lookup (so no
// emulator is needed, and a running one is not used), and `CHECK_REVOKED_TOKENS=false` spares
// Parley's own. The request is refused at input validation, so it reaches no Firestore, but
// only after loading all its operation needs; a second, warm request then shows what serving
// alone costs, and that is taken off, so `ms` is the time to load the function and what its
// first request loads:
// `api` gets `POST /v1/chats/{id}/messages` without a body (sendMessage: the messages capability),
// a callable `data` with an unknown field. A trigger or job loads all its code with its module.
// `cpuMs` is the CPU time of the same span (all threads): unlike `ms`, it hardly grows when other
// work on the machine keeps this process waiting.
// Prints one JSON line, last (the functions' logs go to stdout too): {ms, cpuMs, rssMiB, status?,
// firstRequestMs?, warmRequestMs?, modules?} (`modules`: the files loaded, with LIST_MODULES=1,
// for test/unit/function-load.test.ts).
"use strict";
const started = process.hrtime.bigint();
const startedCpu = process.cpuUsage();
const http = require("node:http");
const path = require("node:path");

// PARLEY_FUNCTIONS_DIR: another build to measure (e.g. an older commit's, to compare).
const functionsDir = process.env.PARLEY_FUNCTIONS_DIR ?? path.join(__dirname, "../functions");
const mode = process.argv[2];
const target = process.env.FUNCTION_TARGET;

/** An ID token the Admin SDK accepts in emulator mode: unsigned, for `demo-parley`'s user `bench`. */
function emulatorIdToken() {
  const project = process.env.GCLOUD_PROJECT;
  const now = Math.floor(Date.now() / 1000);
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const claims = {
    iss: `https://securetoken.google.com/${project}`,
    aud: project,
    auth_time: now,
    user_id: "bench",
    firebase: { identities: {}, sign_in_provider: "custom" },
  };
  return `${part({ alg: "none", typ: "JWT" })}.${part({ ...claims, sub: "bench", iat: now, exp: now + 3600 })}.`;
}

/** What the Functions Framework adds to Node's request and response, as far as `onCall` uses it. */
function frameworkLike(req, res, rawBody) {
  req.rawBody = rawBody;
  req.body = rawBody.length > 0 ? JSON.parse(rawBody.toString()) : undefined;
  req.header = req.get = (name) => req.headers[name.toLowerCase()];
  res.status = (code) => ((res.statusCode = code), res);
  res.send = (body) => res.end(typeof body === "string" ? body : JSON.stringify(body));
}

/** The Auth emulator's answer to the Admin SDK's lookup of user `bench`. */
const benchUser = JSON.stringify({
  kind: "identitytoolkit#GetAccountInfoResponse",
  users: [{ localId: "bench", createdAt: "0" }],
});

/**
 * A loopback server that hands requests to `serve.handler` once it is set, and answers the
 * Admin SDK's Auth lookups itself; `FIREBASE_AUTH_EMULATOR_HOST` points at it.
 */
function listen() {
  const serve = { handler: undefined, port: 0, close: () => server.close() };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      if (req.url.startsWith("/identitytoolkit.googleapis.com/")) {
        res.setHeader("content-type", "application/json");
        res.end(benchUser);
        return;
      }
      frameworkLike(req, res, Buffer.concat(chunks));
      serve.handler(req, res);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      serve.port = server.address().port;
      process.env.FIREBASE_AUTH_EMULATOR_HOST = `127.0.0.1:${serve.port}`;
      resolve(serve);
    }),
  );
}

/** Sends `request` to the server; resolves to the response's status. */
function send(serve, { method, url, body }) {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${emulatorIdToken()}`, "content-type": "application/json" };
    const request = http.request({ host: "127.0.0.1", port: serve.port, method, path: url, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** The first request of a function of `kind` (`api`, `callable`), or none (a trigger or job). */
function firstRequest(kind) {
  if (kind === "api") return { method: "POST", url: "/v1/chats/bench/messages" };
  if (kind === "callable") return { method: "POST", url: "/", body: JSON.stringify({ data: { benchUnknownField: 1 } }) };
  return undefined;
}

/** Milliseconds since `from` (a `process.hrtime.bigint()`). */
const since = (from) => Number(process.hrtime.bigint() - from) / 1e6;

/** CPU milliseconds (user and system, all threads) since `from` (a `process.cpuUsage()`). */
const cpuSince = (from) => {
  const { user, system } = process.cpuUsage(from);
  return (user + system) / 1000;
};

async function main() {
  let status;
  let requests;
  if (mode === "bare") {
    require(require.resolve("firebase-admin/firestore", { paths: [functionsDir] }));
    require(require.resolve("firebase-functions/v2/https", { paths: [functionsDir] }));
  } else if (mode === "first-use") {
    process.env.GCLOUD_PROJECT ??= "demo-parley";
    process.env.CHECK_REVOKED_TOKENS = "false";
    const serve = await listen();
    serve.handler = require(path.join(functionsDir, "lib/index.js"))[target];
    const request = firstRequest(process.argv[3]);
    if (request) {
      const first = process.hrtime.bigint();
      status = await send(serve, request);
      const firstRequestMs = since(first);
      const warm = process.hrtime.bigint();
      const warmCpu = process.cpuUsage();
      const endCpuMs = cpuSince(startedCpu);
      await send(serve, request);
      const warmCpuMs = cpuSince(warmCpu);
      requests = { firstRequestMs, warmRequestMs: since(warm), endMs: Number(warm - started) / 1e6, cpuMs: endCpuMs - warmCpuMs };
    }
    serve.close();
  } else {
    require(path.join(functionsDir, "lib/index.js"))[target];
  }
  const result = {
    ms: requests ? requests.endMs - requests.warmRequestMs : since(started),
    cpuMs: requests ? requests.cpuMs : cpuSince(startedCpu),
    rssMiB: process.resourceUsage().maxRSS / 1024,
    ...(status !== undefined && { status, firstRequestMs: requests.firstRequestMs, warmRequestMs: requests.warmRequestMs }),
    ...(process.env.LIST_MODULES === "1" && { modules: Object.keys(require.cache) }),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

// Loaded into a Functions Framework process by bench/send-split.mjs (`node --require`), never by
// production code: wraps the Admin SDK's methods a send goes through and the HTTP server, and
// reports each call's start and end (epoch ms, sub-millisecond) to the bench over the process's
// IPC channel. The function's own code is untouched.
const http = require("node:http");
const { createRequire } = require("node:module");

// Resolve the SDKs from the served functions, so the wrapped classes are the ones they use.
const fromFunctions = createRequire(`${process.cwd()}/package.json`);
const { BaseAuth } = fromFunctions("firebase-admin/auth");
const { Firestore, WriteBatch } = fromFunctions("firebase-admin/firestore");

const clock = () => performance.timeOrigin + performance.now();
const report = (kind, start) => process.send?.({ kind, start, end: clock() });

function wrap(target, name, kind) {
  const original = target[name];
  target[name] = function (...args) {
    const start = clock();
    let result;
    try {
      result = original.apply(this, args);
    } finally {
      if (!(result instanceof Promise)) report(kind, start);
    }
    if (result instanceof Promise) {
      const done = () => report(kind, start);
      result.then(done, done);
    }
    return result;
  };
}

// verifyIdToken under the Auth emulator calls getUser itself: the bench subtracts the nested lookup.
wrap(BaseAuth.prototype, "verifyIdToken", "verify");
// Against the Auth emulator, functions/src/api/id-token.ts checks an (unsigned) token's claims with jsonwebtoken.
wrap(fromFunctions("jsonwebtoken"), "verify", "verify");
wrap(BaseAuth.prototype, "getUser", "lookup");
wrap(Firestore.prototype, "getAll", "read");
wrap(WriteBatch.prototype, "commit", "commit");

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, request, response) {
  if (event === "request") {
    const start = clock();
    response.once("finish", () => report("request", start));
  }
  return emit.apply(this, arguments);
};

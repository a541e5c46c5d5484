import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpHook } from "../../functions/src/messages/before-send-http.js";
import {
  BeforeSendFailure,
  parseHookAnswer,
  screenMessage,
  type BeforeSend,
  type BeforeSendAnswer,
  type BeforeSendRequest,
  type HookOutcome,
} from "../../functions/src/messages/before-send.js";
import { maskProfanity, profanityAnswer, PROFANITY_REFUSAL } from "../../functions/src/messages/profanity-hook.js";
import { AppError } from "../../functions/src/shared/errors.js";
import { signPayload } from "../../functions/src/shared/signature.js";

const now = new Date("2026-12-01T10:00:00Z");
const request: BeforeSendRequest = { kind: "new", chatId: "a_b", from: "a", type: "text", text: "hello" };

/** Hooks that answer as given (a failure is thrown), and the outcomes they reported. */
function hooksOf(...answers: (BeforeSendAnswer | BeforeSendFailure)[]): { beforeSend: BeforeSend; outcomes: HookOutcome[] } {
  const outcomes: HookOutcome[] = [];
  const hooks = answers.map((answer, i) => ({
    name: `hook${i}`,
    failClosed: false,
    ask: () => (answer instanceof BeforeSendFailure ? Promise.reject(answer) : Promise.resolve(answer)),
  }));
  return { beforeSend: { hooks, report: (_request, _hook, outcome) => outcomes.push(outcome) }, outcomes };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("a hook's answer (parseHookAnswer)", () => {
  it("when the endpoint answers 2xx JSON of the three shapes, then they are read; anything else is a failure", () => {
    expect(parseHookAnswer(200, '{"action":"allow"}')).toEqual({ action: "allow" });
    expect(parseHookAnswer(200, '{"action":"reject","reason":"No spam"}')).toEqual({ action: "reject", reason: "No spam" });
    expect(parseHookAnswer(201, '{"action":"rewrite","text":"h*llo"}')).toEqual({ action: "rewrite", text: "h*llo" });

    const failures: [number, string, string][] = [
      [500, '{"action":"allow"}', "http-status"],
      [302, "", "http-status"],
      [200, "allow", "malformed"],
      [200, '{"action":"maybe"}', "malformed"],
      [200, '{"action":"reject"}', "malformed"],
      [200, '{"action":"reject","reason":"  "}', "malformed"],
      [200, '{"action":"rewrite"}', "malformed"],
      [200, JSON.stringify({ action: "rewrite", text: "x".repeat(10_001) }), "malformed"],
    ];
    for (const [status, body, reason] of failures) {
      expect(() => parseHookAnswer(status, body), `${status} ${body.slice(0, 40)}`).toThrow(
        new BeforeSendFailure(reason as never),
      );
    }
  });
});

describe("screening a message (screenMessage)", () => {
  it("when hooks allow and rewrite in turn, then each sees the text the one before let through, and the last text is kept", async () => {
    const { beforeSend, outcomes } = hooksOf({ action: "allow" }, { action: "rewrite", text: "hi there" }, { action: "allow" });
    const seen: string[] = [];
    beforeSend.hooks = beforeSend.hooks.map((hook) => ({
      ...hook,
      ask: (asked, at) => (seen.push(asked.text), hook.ask(asked, at)),
    }));

    expect(await screenMessage(beforeSend, request, now)).toEqual({ text: "hi there" });
    expect(seen).toEqual(["hello", "hello", "hi there"]);
    expect(outcomes).toEqual(["allow", "rewrite", "allow"]);
  });

  it("when a hook rejects, then permission-denied with its reason, and no later hook is asked", async () => {
    const { beforeSend, outcomes } = hooksOf(
      { action: "reject", reason: "Links to that site are not allowed." },
      { action: "allow" },
    );

    const error = await refusal(screenMessage(beforeSend, request, now));
    expect([error.code, error.message]).toEqual(["permission-denied", "Links to that site are not allowed."]);
    expect(outcomes).toEqual(["reject"]);
  });

  it("when a hook fails, then it lets the message through when it fails open, and refuses it with unavailable when closed", async () => {
    const open = hooksOf(new BeforeSendFailure("timeout"));
    expect(await screenMessage(open.beforeSend, request, now)).toEqual({ text: "hello" });
    expect(open.outcomes).toEqual(["failed-open:timeout"]);

    const closed = hooksOf(new BeforeSendFailure("http-status"));
    closed.beforeSend.hooks[0].failClosed = true;
    expect((await refusal(screenMessage(closed.beforeSend, request, now))).code).toBe("unavailable");
    expect(closed.outcomes).toEqual(["failed-closed:http-status"]);

    const thrown = hooksOf();
    thrown.beforeSend.hooks = [{ name: "odd", failClosed: false, ask: () => Promise.reject(new TypeError("boom")) }];
    await screenMessage(thrown.beforeSend, request, now);
    expect(thrown.outcomes).toEqual(["failed-open:network"]);
  });

  it("when a rewrite doesn't fit the message (blank text, other poll options), then it counts as a failure", async () => {
    const blank = hooksOf({ action: "rewrite", text: "  " });
    expect(await screenMessage(blank.beforeSend, request, now)).toEqual({ text: "hello" });
    expect(blank.outcomes).toEqual(["failed-open:bad-rewrite"]);

    const caption = hooksOf({ action: "rewrite", text: "" });
    expect(await screenMessage(caption.beforeSend, { ...request, type: "image", text: "damn" }, now)).toEqual({ text: "" });

    const poll = { ...request, type: "poll" as const, text: "Lunch?", pollOptions: ["Yes", "No"] };
    const fewer = hooksOf({ action: "rewrite", text: "Lunch?", pollOptions: ["Yes"] });
    expect(await screenMessage(fewer.beforeSend, poll, now)).toEqual({ text: "Lunch?", pollOptions: ["Yes", "No"] });
    const masked = hooksOf({ action: "rewrite", text: "L*nch?", pollOptions: ["Y*s", "No"] });
    expect(await screenMessage(masked.beforeSend, poll, now)).toEqual({ text: "L*nch?", pollOptions: ["Y*s", "No"] });
  });
});

describe("the built-in profanity filter (obscenity)", () => {
  it("when a text has profanity or a variant of it, then each match is masked with *, and innocent words stay", () => {
    expect(maskProfanity("what the fuck")).toBe("what the ****");
    expect(maskProfanity("what the sh1t")).toBe("what the ****");
    expect(maskProfanity("Scunthorpe has an assassin class")).toBe("Scunthorpe has an assassin class");
    expect(maskProfanity("hello")).toBe("hello");
  });

  it("when asked about a message, then it allows a clean one, masks text and poll options, or refuses in reject mode", () => {
    expect(profanityAnswer(request, "mask")).toEqual({ action: "allow" });
    const poll = { ...request, type: "poll" as const, text: "Best word?", pollOptions: ["shit", "nice"] };
    expect(profanityAnswer(poll, "mask")).toEqual({ action: "rewrite", text: "Best word?", pollOptions: ["****", "nice"] });
    expect(profanityAnswer({ ...request, text: "fuck" }, "reject")).toEqual({ action: "reject", reason: PROFANITY_REFUSAL });
  });
});

describe("the signature (signPayload)", () => {
  it("when a body is signed, then the header is t=<seconds>,v1=<hex HMAC-SHA256 of t.body>", () => {
    const expected = createHmac("sha256", "s3cret").update('1700000000.{"a":1}').digest("hex");
    expect(signPayload("s3cret", 1_700_000_000, '{"a":1}')).toBe(`t=1700000000,v1=${expected}`);
  });
});

describe("the hook over HTTP (httpHook)", () => {
  let server: Server;
  let port = 0;
  const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
  let respond: (response: ServerResponse) => void = (response) => response.end('{"action":"allow"}');

  beforeAll(async () => {
    server = createServer((incoming, response) => {
      let body = "";
      incoming.on("data", (chunk: Buffer) => (body += chunk.toString()));
      incoming.on("end", () => {
        received.push({ headers: incoming.headers, body });
        respond(response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  const hook = (overrides: { host?: string; allowedIps?: string[]; timeoutMs?: number } = {}) =>
    httpHook({
      url: `http://${overrides.host ?? "127.0.0.1"}:${port}/hook`,
      secret: "s3cret",
      allowedIps: overrides.allowedIps ?? ["127.0.0.1"],
      timeoutMs: overrides.timeoutMs,
    });

  it("when the endpoint is on the allow-list, then it gets the request as JSON, signed, and its answer is read", async () => {
    respond = (response) => response.end('{"action":"rewrite","text":"h*llo"}');

    expect(await hook()(request, now)).toEqual({ action: "rewrite", text: "h*llo" });
    const { headers, body } = received.at(-1)!;
    expect(JSON.parse(body)).toEqual(request);
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["x-parley-signature"]).toBe(signPayload("s3cret", now.getTime() / 1000, body));
  });

  it("when the endpoint is slow, answers 500, or is at an address not on the allow-list, then the failure says which", async () => {
    respond = (response) => setTimeout(() => response.end('{"action":"allow"}'), 400);
    await expect(hook({ timeoutMs: 100 })(request, now)).rejects.toEqual(new BeforeSendFailure("timeout"));

    respond = (response) => response.writeHead(500).end("oops");
    await expect(hook()(request, now)).rejects.toEqual(new BeforeSendFailure("http-status"));

    const count = received.length;
    await expect(hook({ allowedIps: [] })(request, now)).rejects.toEqual(new BeforeSendFailure("refused-address"));
    await expect(hook({ host: "127.0.0.2" })(request, now)).rejects.toEqual(new BeforeSendFailure("refused-address"));
    expect(received.length).toBe(count);
  });
});

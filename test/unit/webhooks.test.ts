import { Timestamp } from "firebase-admin/firestore";
import { describe, expect, it } from "vitest";
import type { MessageDoc } from "../../functions/src/shared/model.js";
import { MAX_ATTEMPTS, MAX_DELIVERY_AGE_MS, nextAttemptAt } from "../../functions/src/webhooks/backoff.js";
import { eventOfMessageUpdate, eventOfNewMessage, orderKey, payloadOf } from "../../functions/src/webhooks/events.js";
import { signPayload, verifySignature } from "../../functions/src/shared/signature.js";

const secret = "test-secret";
const body = JSON.stringify({ id: "evt_1", type: "message.new" });
const at = new Date("2026-12-07T12:00:00Z");
const seconds = at.getTime() / 1000;

describe("webhook signatures", () => {
  it("when a body is signed, then the header is t=<seconds>,v1=<64 hex> and it verifies", () => {
    const header = signPayload(secret, seconds, body);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature({ header, body, secret, now: at })).toBe(true);
  });

  it("when the body, the timestamp or the secret differ, then it does not verify", () => {
    const header = signPayload(secret, seconds, body);
    expect(verifySignature({ header, body: body.replace("new", "old"), secret, now: at })).toBe(false);
    expect(verifySignature({ header: header.replace(`t=${seconds}`, `t=${seconds + 1}`), body, secret, now: at })).toBe(false);
    expect(verifySignature({ header, body, secret: "other", now: at })).toBe(false);
  });

  it("when the timestamp is older (or later) than the tolerance, then it does not verify", () => {
    const header = signPayload(secret, seconds, body);
    expect(verifySignature({ header, body, secret, now: new Date(at.getTime() + 299_000) })).toBe(true);
    expect(verifySignature({ header, body, secret, now: new Date(at.getTime() + 301_000) })).toBe(false);
    expect(verifySignature({ header, body, secret, now: new Date(at.getTime() - 301_000) })).toBe(false);
    expect(verifySignature({ header, body, secret, now: new Date(at.getTime() + 3_600_000), toleranceSeconds: 3_600 })).toBe(
      true,
    );
  });

  it("when the header is missing or malformed, then it does not verify and does not throw", () => {
    for (const header of [undefined, "", "t=abc,v1=00", `v1=${"0".repeat(64)}`, `t=${seconds}`, `t=${seconds},v1=zz`]) {
      expect(verifySignature({ header, body, secret, now: at })).toBe(false);
    }
  });

  it("when a header carries a second v1 (a secret being rotated), then either matching verifies", () => {
    const header = `${signPayload("new-secret", seconds, body)},v1=${signPayload(secret, seconds, body).split("v1=")[1]}`;
    expect(verifySignature({ header, body, secret, now: at })).toBe(true);
  });
});

describe("webhook retry schedule", () => {
  it("when attempts fail, then the first retry is due at once (the job's next run, within a minute), then 5, 15 and 40 min later: 5 attempts in about an hour", () => {
    let now = at;
    const times: number[] = [];
    for (let attempts = 1; ; attempts++) {
      const next = nextAttemptAt(at, attempts, now);
      if (!next) break;
      times.push((next.getTime() - at.getTime()) / 1000);
      now = next;
    }
    expect(times).toEqual([0, 300, 1_200, 3_600]);
    expect(times.length + 1).toBe(MAX_ATTEMPTS);
  });

  it("when a delivery waited behind others for 2 h, then its first failure gives it up", () => {
    expect(nextAttemptAt(at, 1, new Date(at.getTime() + MAX_DELIVERY_AGE_MS))).toBeNull();
    expect(nextAttemptAt(at, 1, new Date(at.getTime() + MAX_DELIVERY_AGE_MS - 1))).not.toBeNull();
  });
});

const message = (fields: Partial<MessageDoc>): MessageDoc => ({
  number: 7,
  from: "alice",
  type: "text",
  text: "hi",
  clientMessageId: null,
  createdAt: Timestamp.fromDate(at),
  ...fields,
});

describe("webhook events", () => {
  it("when a message or system message is new, then its type, id and order follow from the chat and number", () => {
    const sent = eventOfNewMessage("c1", message({}), at);
    expect(sent).toMatchObject({ type: "message.new", chatId: "c1", uids: ["alice"], order: orderKey(at, 7) });
    expect(eventOfNewMessage("c1", message({}), new Date(at.getTime() + 5)).id).toBe(sent.id);
    expect(eventOfNewMessage("c2", message({}), at).id).not.toBe(sent.id);
    // Whom it mentions is named too: erasing their account finds the delivery.
    expect(eventOfNewMessage("c1", message({ mentions: ["bob", "alice"] }), at).uids).toEqual(["alice", "bob"]);
    const joined = eventOfNewMessage(
      "r1",
      message({ type: "system", from: null, event: { type: "member-joined", uid: "bob" } }),
      at,
    );
    expect(joined).toMatchObject({ type: "member.joined", data: { uid: "bob", removed: false }, uids: ["bob"] });
    const removed = eventOfNewMessage(
      "r1",
      message({ type: "system", from: null, event: { type: "member-removed", uid: "bob" } }),
      at,
    );
    expect(removed).toMatchObject({ type: "member.left", data: { removed: true } });
    const ended = eventOfNewMessage(
      "c1",
      message({ type: "system", from: null, event: { type: "chat-ended", uid: "alice" } }),
      at,
    );
    expect(ended).toMatchObject({ type: "chat.ended", data: { endedBy: "alice" } });
    expect(JSON.parse(payloadOf(sent))).toEqual({
      id: sent.id,
      type: "message.new",
      occurredAt: at.toISOString(),
      chatId: "c1",
      data: { message: { number: 7, from: "alice", type: "text", text: "hi", createdAt: at.toISOString() } },
    });
  });

  it("when a message is edited or deleted, then the update tells it; other updates tell nothing", () => {
    const before = message({});
    const edited = eventOfMessageUpdate("c1", { before, after: message({ text: "hey", editCount: 1 }) }, at);
    expect(edited).toMatchObject({ type: "message.updated", data: { message: { text: "hey", editCount: 1 } } });
    const again = eventOfMessageUpdate("c1", { before: message({ editCount: 1 }), after: message({ editCount: 2 }) }, at);
    expect(again?.id).not.toBe(edited?.id);
    const deleted = eventOfMessageUpdate("c1", { before, after: message({ text: "", deleted: true }) }, at);
    expect(deleted).toMatchObject({ type: "message.deleted", data: { message: { number: 7, from: "alice" } } });
    expect(eventOfMessageUpdate("c1", { before, after: message({ reactions: { "👍": 1 } }) }, at)).toBeUndefined();
  });

  it("when events of one chat are ordered, then commit time comes first, then the message number", () => {
    const keys = [orderKey(new Date(2_000), 1), orderKey(new Date(1_000), 9), orderKey(new Date(1_000), 10)];
    expect([...keys].sort()).toEqual([keys[1], keys[2], keys[0]]);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { callableInput, restInput } from "../../functions/src/api/input.js";
import { operations } from "../../functions/src/contract.js";
import { directChatId, exportMailId, fanOutId, reactionId, reportId } from "../../functions/src/shared/docs.js";
import type { OperationSpec } from "../../functions/src/shared/operation.js";
import {
  chatDocId,
  documentId,
  MAX_CHAT_ID_BYTES,
  MAX_ID_BYTES,
  MAX_UID_BYTES,
  uid,
  utf8Length,
} from "../../functions/src/shared/schemas.js";
import { illFormedStringAt, parseInput } from "../../functions/src/shared/validation.js";
import { BAD_SHAPES, LONE_SURROGATES, ODD_STRINGS, ofBytes, UNITS, type Unit } from "../helpers/odd-ids.js";
import type { Request } from "express";
import type { z } from "zod";

/** The message `schema` refuses `value` with, or `null` when it takes it. */
function refusal(schema: z.ZodType, value: unknown): string | null {
  const result = schema.safeParse(value);
  return result.success ? null : result.error.issues.map((issue) => issue.message).join("; ");
}

const units = Object.keys(UNITS) as Unit[];

describe("the byte length of an id", () => {
  it("when a string is well-formed, then utf8Length counts what Buffer encodes", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => utf8Length(text) === Buffer.byteLength(text)));
  });

  it("when a string holds a lone surrogate, then it counts 3 bytes, as its replacement U+FFFD", () => {
    expect(utf8Length("a\ud800b")).toBe(5);
    expect(utf8Length("\udc00\ud800")).toBe(6);
  });
});

describe("id schemas: Firestore's limits, in bytes of UTF-8", () => {
  const bounds: [string, z.ZodType, number][] = [
    ["documentId", documentId, MAX_ID_BYTES],
    ["chatDocId", chatDocId, MAX_CHAT_ID_BYTES],
  ];
  for (const [name, schema, max] of bounds) {
    it(`when ${name} is exactly ${max} bytes, in any width of character, then it is taken; one byte more is refused`, () => {
      for (const u of units) {
        expect(refusal(schema, ofBytes(max, u)), u).toBeNull();
        expect(refusal(schema, ofBytes(max + 1, u)), u).toBe(`must be at most ${max} bytes (UTF-8)`);
      }
    });
  }

  it("when an id is 512 characters of 3 bytes (1,536 bytes, the room route's old 500), then both refuse it", () => {
    const id = "€".repeat(512);
    expect(refusal(documentId, id)).toBe("must be at most 1500 bytes (UTF-8)");
    expect(refusal(chatDocId, id)).toBe("must be at most 1024 bytes (UTF-8)");
  });

  it("when an id is empty, has `/`, is `.`/`..` or `__x__`, then it is refused with one message", () => {
    expect(refusal(documentId, "")).toBe("must not be empty");
    for (const shape of BAD_SHAPES) expect(refusal(chatDocId, shape), shape).toBe("is not a valid id");
    expect(refusal(chatDocId, `${ofBytes(1500)}/`)).toBe("must be at most 1024 bytes (UTF-8)");
    for (const fine of ["...", "__", "___", "__x", "x__", "_x_", "a.b", "😀"]) expect(refusal(documentId, fine), fine).toBeNull();
  });

  it("when an id or a uid holds a lone surrogate, then it is refused: it has no UTF-8 form", () => {
    for (const text of LONE_SURROGATES) {
      expect(refusal(documentId, text)).toBe("must be valid Unicode (it holds a lone surrogate)");
      expect(refusal(uid, text)).toBe("must be valid Unicode (it holds a lone surrogate)");
    }
  });

  it("when a uid is 128 characters (at most 384 bytes), then it is taken; 129 are refused", () => {
    expect(refusal(uid, "€".repeat(128))).toBeNull();
    expect(utf8Length("€".repeat(128))).toBe(MAX_UID_BYTES);
    expect(utf8Length("😀".repeat(64))).toBeLessThan(MAX_UID_BYTES);
    expect(refusal(uid, "a".repeat(129))).toBe("must be at most 128 characters");
  });
});

describe("ids built from ids stay within Firestore's 1,500 bytes", () => {
  const longestUid = "€".repeat(128);
  const longestChatId = ofBytes(MAX_CHAT_ID_BYTES, "euro");
  const biggestNumber = Number.MAX_SAFE_INTEGER;
  const latestMillis = 8_640_000_000_000_000; // the last time a Date can hold

  it("when every part is the longest its schema takes, then each composite id fits", () => {
    const composites: Record<string, string> = {
      "a 1:1 chat": directChatId(longestUid, `${longestUid.slice(1)}x`),
      "a fan-out marker and its push event": fanOutId(longestChatId, biggestNumber, 99_999),
      "a push outbox entry": `${fanOutId(longestChatId, biggestNumber, 99_999)}-499`,
      "a report": reportId(longestChatId, biggestNumber, longestUid),
      "an export mail": exportMailId(longestChatId, latestMillis, longestUid),
      "a reaction": reactionId(longestUid, biggestNumber, "👩🏽‍❤️‍💋‍👨🏿"),
      "a block": `${longestUid}_${longestUid}`,
    };
    for (const [name, id] of Object.entries(composites)) expect(utf8Length(id), name).toBeLessThanOrEqual(MAX_ID_BYTES);
  });

  it("when a 1:1 chat id is the longest two uids make, then chatDocId takes it; a report of it is a valid documentId", () => {
    const chatId = directChatId(longestUid, `${longestUid.slice(1)}x`);
    expect(refusal(chatDocId, chatId)).toBeNull();
    expect(refusal(documentId, reportId(chatId, biggestNumber, longestUid))).toBeNull();
  });
});

describe("every declared operation refuses odd ids in its path, query and body", () => {
  const specs = Object.values(operations) as (OperationSpec & { name: string })[];
  const idFields = new Set(["chatId", "uid", "reportId", "deviceId", "emoji", "toChatId", "memberUid", "cursor", "number"]);

  it("when a field that names a doc gets an odd id, then its schema refuses it", () => {
    const checked = new Set<string>();
    for (const op of specs) {
      for (const part of [op.params, op.query, op.body]) {
        for (const [field, schema] of Object.entries(part?.shape ?? {})) {
          if (!idFields.has(field)) continue;
          for (const odd of ODD_STRINGS) {
            // A cursor or a report id is any Firestore id: 1,025 bytes (too long for a chat id) fit.
            if ((field === "cursor" || field === "reportId") && documentId.safeParse(odd).success) continue;
            expect(
              refusal(schema as z.ZodType, odd),
              `${op.name}.${field} = ${JSON.stringify(odd.slice(0, 20))}…`,
            ).not.toBeNull();
            checked.add(field);
          }
        }
      }
    }
    expect([...checked].sort()).toEqual([...idFields].sort());
  });

  it("when any string of the input holds a lone surrogate, then REST and callables refuse it, naming the field", () => {
    const request = { params: { chatId: "c1" }, query: {}, body: { text: "a\ud800b" } } as unknown as Request;
    expect(() => restInput(operations.sendMessage, request)).toThrow("text: must be valid Unicode (it holds a lone surrogate)");
    expect(() => callableInput(operations.sendMessage, { chatId: "c1", text: "hi", mentions: ["u1", "\udc00"] })).toThrow(
      "mentions.1: must be valid Unicode (it holds a lone surrogate)",
    );
    expect(() => callableInput(operations.createRoom, { title: "\ud83d" })).toThrow("title: must be valid Unicode");
  });

  it("when a body nests 30,000 arrays deep, then the lone-surrogate check neither overflows the stack nor misses the string", () => {
    let deep: unknown = "\ud800";
    for (let i = 0; i < 30_000; i++) deep = [deep];
    expect(illFormedStringAt(deep)).toHaveLength(30_000);
    expect(illFormedStringAt({ a: [1, { b: "fine" }], c: "😀" })).toBeUndefined();
    expect(() => parseInput(documentId, "\ud800", "path")).toThrow("path: must be valid Unicode");
  });
});

import { describe, expect, it } from "vitest";
import { operationUrl } from "../../client/src/rest.js";
import { operations } from "../../functions/src/contract.js";

describe("the client's URLs, from the declarations", () => {
  it("when an operation has path parameters and a query, then they are filled in and encoded; body fields stay out", () => {
    const base = "https://example.test/api/v1";

    expect(operationUrl(base, operations.listMessages, { chatId: "a/b", before: 5, limit: undefined })).toBe(
      "https://example.test/api/v1/chats/a%2Fb/messages?before=5",
    );
    expect(operationUrl(base, operations.removeRoomMember, { chatId: "r", uid: "u 1" })).toBe(
      "https://example.test/api/v1/rooms/r/members/u%201",
    );
    expect(operationUrl(base, operations.sendMessage, { chatId: "c", text: "hi" })).toBe(
      "https://example.test/api/v1/chats/c/messages",
    );
  });
});

describe("path parameters a URL can't carry", () => {
  it("when a path parameter is empty, `.` or `..`, then the client refuses it before sending: the URL would name another route", () => {
    const base = "https://example.test/api/v1";
    for (const emoji of ["", ".", ".."]) {
      expect(() => operationUrl(base, operations.removeReaction, { chatId: "c", number: 1, emoji })).toThrow(
        expect.objectContaining({ code: "invalid-argument", status: 400 }),
      );
    }
    // What `..` would have become: the message itself, which DELETE deletes.
    expect(new URL(`${base}/chats/c/messages/1/reactions/..`).pathname).toBe("/api/v1/chats/c/messages/1/");
    expect(operationUrl(base, operations.getChat, { chatId: "..." })).toBe(`${base}/chats/...`);
  });
});

describe("e-mail hashes", () => {
  it("when the client and the server hash an address, then they agree, whatever its case and spaces", async () => {
    const { emailHash: clientHash } = await import("../../client/src/email-hash.js");
    const { emailHash: serverHash, toEmailHash } = await import("../../functions/src/users/email-hash.js");

    expect(await clientHash(" Bob@Example.COM ")).toBe(serverHash("bob@example.com"));
    expect(serverHash("bob@example.com")).toMatch(/^[0-9a-f]{64}$/);
    expect(toEmailHash(serverHash("bob@example.com"))).toBe(serverHash("bob@example.com"));
    expect(toEmailHash("BOB@example.com")).toBe(serverHash("bob@example.com"));
  });
});

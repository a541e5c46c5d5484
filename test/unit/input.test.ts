import type { Request } from "express";
import { describe, expect, it } from "vitest";
import { callableInput, restInput } from "../../functions/src/api/input.js";
import { operations } from "../../functions/src/contract.js";
import { AppError } from "../../functions/src/shared/errors.js";

/** The AppError `run` throws (fails the test when it throws none). */
function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("nothing was thrown");
}

const request = (parts: Partial<Pick<Request, "params" | "query" | "body">>) => ({ params: {}, query: {}, ...parts }) as Request;

describe("an operation's input, from a REST request or a callable's data", () => {
  it("when REST parts are valid, then they are merged into one object, with query numbers coerced", () => {
    const input = restInput(operations.listMessages, request({ params: { chatId: "c1" }, query: { limit: "5", before: "9" } }));

    expect(input).toEqual({ chatId: "c1", limit: 5, before: 9 });
  });

  it("when a body with only optional fields is left out, then it counts as empty; a required one is reported", () => {
    expect(restInput(operations.markRead, request({ params: { chatId: "c1" } }))).toEqual({ chatId: "c1" });
    expect(refusal(() => restInput(operations.createChat, request({}))).message).toBe("body: is required");
  });

  it("when a REST part is wrong, then the message names the field", () => {
    const error = refusal(() => restInput(operations.getMessage, request({ params: { chatId: "c1", number: "0" } })));

    expect(error).toMatchObject({ code: "invalid-argument", message: "number: must be at least 1" });
  });

  it("when a callable gets the REST fields in one object, then it takes them, and refuses unknown ones", () => {
    expect(callableInput(operations.forwardMessage, { chatId: "a", number: 2, toChatId: "b" })).toEqual({
      chatId: "a",
      number: 2,
      toChatId: "b",
    });
    expect(refusal(() => callableInput(operations.getChat, { chatId: "a", extra: 1 })).message).toBe(
      'data: Unrecognized key: "extra"',
    );
    expect(refusal(() => callableInput(operations.getChat, undefined)).message).toBe("chatId: is required");
  });

  it("when a check spans fields (before and after), then callables apply it as REST does", () => {
    const rest = refusal(() =>
      restInput(operations.listMessages, request({ params: { chatId: "c" }, query: { before: "5", after: "1" } })),
    );
    const callable = refusal(() => callableInput(operations.listMessages, { chatId: "c", before: 5, after: 1 }));

    expect(rest.message).toBe("query: use either before or after, not both");
    expect(callable.message).toBe("data: use either before or after, not both");
  });
});

import { describe, expect, it } from "vitest";
import { toHttpsError } from "../../functions/src/api/callable-errors.js";
import { toHttpError } from "../../functions/src/api/http-errors.js";
import { isTransient } from "../../functions/src/shared/failures.js";

// A transaction Firestore closed under the caller (the emulator times transactions out under
// contention and says "Transaction is invalid or closed", firebase-tools #4473; production says
// "transaction has expired") lost a race: 409 `aborted` to callers, a retry for triggers, never 500.

/** An error as the Admin SDK throws it for a gRPC status. */
const grpcError = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details });

describe("a transaction Firestore closed", () => {
  it("when the emulator or production closed it, then REST answers 409 aborted, callables aborted, triggers retry", () => {
    for (const details of [
      "INVALID_ARGUMENT: Transaction is invalid or closed.",
      "INVALID_ARGUMENT: The transaction has expired.",
    ]) {
      const error = grpcError(3, details);

      expect(toHttpError(error, "POST /chats/:chatId/read")).toMatchObject({ status: 409, body: { error: { code: "aborted" } } });
      expect(toHttpsError(error, "markRead")).toMatchObject({ code: "aborted", details: { code: "aborted" } });
      expect(isTransient(error)).toBe(true);
    }
  });

  it("when another INVALID_ARGUMENT comes back, then it stays internal: a bug of ours, not a race", () => {
    const error = grpcError(3, "INVALID_ARGUMENT: Property name is invalid.");

    expect(toHttpError(error, "test").status).toBe(500);
    expect(isTransient(error)).toBe(false);
  });
});

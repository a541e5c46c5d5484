import { describe, expect, it } from "vitest";
import { errorCode, grpcStatus, hasGrpcStatus, isAlreadyExists } from "../../functions/src/shared/errors.js";
import { isConflict } from "../../functions/src/shared/optimistic.js";

/** An error as the Admin SDK throws it: Firestore's carry the gRPC status number in `code`. */
const failedWith = (code: unknown) => Object.assign(new Error(`failed with ${String(code)}`), { code });

describe("errorCode (shared/errors.ts): the one reader of an error's code", () => {
  it("when an error carries a gRPC number or an SDK string, then that is its code", () => {
    expect(errorCode(failedWith(6))).toBe(6);
    expect(errorCode(failedWith("auth/user-not-found"))).toBe("auth/user-not-found");
    expect(errorCode({ code: "ECONNRESET" })).toBe("ECONNRESET");
  });

  it("when a value has no code, or a code of another kind, then it has none", () => {
    expect(errorCode(new Error("plain"))).toBeUndefined();
    expect(errorCode(failedWith({ status: 6 }))).toBeUndefined();
    expect(errorCode(failedWith(undefined))).toBeUndefined();
    expect(errorCode("6")).toBeUndefined();
    expect(errorCode(6)).toBeUndefined();
    expect(errorCode(null)).toBeUndefined();
    expect(errorCode(undefined)).toBeUndefined();
  });
});

describe("hasGrpcStatus, isAlreadyExists and isConflict: which Firestore failures Parley tells apart", () => {
  it("when the statuses are named, then they are gRPC's NOT_FOUND, ALREADY_EXISTS and FAILED_PRECONDITION", () => {
    expect(grpcStatus).toEqual({ notFound: 5, alreadyExists: 6, failedPrecondition: 9 });
  });

  it("when an error has one of the statuses asked for, then it matches; another status or a text code does not", () => {
    expect(hasGrpcStatus(failedWith(5), grpcStatus.notFound)).toBe(true);
    expect(hasGrpcStatus(failedWith(9), grpcStatus.alreadyExists, grpcStatus.failedPrecondition)).toBe(true);
    expect(hasGrpcStatus(failedWith(6), grpcStatus.notFound)).toBe(false);
    expect(hasGrpcStatus(failedWith("6"), grpcStatus.alreadyExists)).toBe(false);
    expect(hasGrpcStatus(new Error("no code"), grpcStatus.notFound)).toBe(false);
    expect(hasGrpcStatus(failedWith(5))).toBe(false);
  });

  it("when a create finds its doc (6), then it already exists; nothing else does", () => {
    expect(isAlreadyExists(failedWith(6))).toBe(true);
    expect(isAlreadyExists(failedWith(9))).toBe(false);
    expect(isAlreadyExists(failedWith("already-exists"))).toBe(false);
    expect(isAlreadyExists(undefined)).toBe(false);
  });

  it("when another writer broke a precondition first (6 or 9), then it is a conflict to retry; 5, 10 and 14 are not", () => {
    expect(isConflict(failedWith(6))).toBe(true);
    expect(isConflict(failedWith(9))).toBe(true);
    for (const other of [5, 10, 14, "aborted"]) expect(isConflict(failedWith(other))).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { RevocationCache, verdictOf, type AccountState } from "../../functions/src/api/revocation-cache.js";

/** A lookup that answers from `states` and counts its calls. */
function lookupOf(states: Map<string, AccountState>) {
  const lookup = (uid: string): Promise<AccountState> => {
    lookup.calls++;
    const state = states.get(uid);
    if (!state) return Promise.reject(Object.assign(new Error("no user"), { code: "auth/user-not-found" }));
    return Promise.resolve({ ...state });
  };
  lookup.calls = 0;
  return lookup;
}

const at = (iso: string) => new Date(iso).getTime();

describe("verdictOf (the Admin SDK's revocation rule)", () => {
  it("refuses a disabled user's tokens and tokens issued before tokensValidAfterTime; passes the rest", () => {
    const revokedAt = "2026-12-01T10:00:00.000Z";
    expect(verdictOf({ disabled: true }, at(revokedAt) / 1000)).toBe("disabled");
    expect(verdictOf({ disabled: false, tokensValidAfterTime: revokedAt }, at(revokedAt) / 1000 - 1)).toBe("revoked");
    expect(verdictOf({ disabled: false, tokensValidAfterTime: revokedAt }, at(revokedAt) / 1000)).toBe("ok");
    expect(verdictOf({ disabled: false }, 0)).toBe("ok");
  });
});

describe("RevocationCache", () => {
  it("looks a user up once per window, and again once the window has passed: a revocation shows within it", async () => {
    const states = new Map<string, AccountState>([["alice", { disabled: false }]]);
    const lookup = lookupOf(states);
    const cache = new RevocationCache(lookup, 5000);
    const t0 = at("2026-12-01T10:00:00.000Z");
    const authTime = t0 / 1000 - 60;

    expect(await cache.check("alice", authTime, t0)).toBe("ok");
    states.set("alice", { disabled: false, tokensValidAfterTime: new Date(t0 + 1000).toUTCString() });
    expect(await cache.check("alice", authTime, t0 + 4999)).toBe("ok");
    expect(lookup.calls).toBe(1);
    expect(await cache.check("alice", authTime, t0 + 5000)).toBe("revoked");
    expect(lookup.calls).toBe(2);
  });

  it("shares one lookup among overlapping checks of a user, and keeps users apart", async () => {
    const lookup = lookupOf(
      new Map([
        ["alice", { disabled: false }],
        ["bob", { disabled: true }],
      ]),
    );
    const cache = new RevocationCache(lookup, 5000);
    const verdicts = await Promise.all([cache.check("alice", 1, 0), cache.check("alice", 1, 0), cache.check("bob", 1, 0)]);
    expect(verdicts).toEqual(["ok", "ok", "disabled"]);
    expect(lookup.calls).toBe(2);
  });

  it("with a window of 0, looks up on every check", async () => {
    const lookup = lookupOf(new Map([["alice", { disabled: false }]]));
    const cache = new RevocationCache(lookup, 0);
    await cache.check("alice", 1, 0);
    await cache.check("alice", 1, 0);
    expect(lookup.calls).toBe(2);
  });

  it("passes a failed lookup on and does not keep it", async () => {
    const states = new Map<string, AccountState>();
    const lookup = lookupOf(states);
    const cache = new RevocationCache(lookup, 5000);
    await expect(cache.check("ghost", 1, 0)).rejects.toMatchObject({ code: "auth/user-not-found" });
    states.set("ghost", { disabled: false });
    expect(await cache.check("ghost", 1, 1)).toBe("ok");
    expect(lookup.calls).toBe(2);
  });

  it("keeps at most maxUsers users, dropping the oldest lookup first", async () => {
    const lookup = lookupOf(new Map(["a", "b", "c"].map((uid) => [uid, { disabled: false }])));
    const cache = new RevocationCache(lookup, 5000, 2);
    for (const uid of ["a", "b", "c", "b", "c"]) await cache.check(uid, 1, 0);
    expect(lookup.calls).toBe(3);
    await cache.check("a", 1, 0);
    expect(lookup.calls).toBe(4);
  });
});

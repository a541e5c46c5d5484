/**
 * What the revocation check needs of a Firebase Auth user record: whether it is disabled, and
 * `tokensValidAfterTime` (a date string; set by `revokeRefreshTokens`), absent when never revoked.
 */
export interface AccountState {
  disabled: boolean;
  tokensValidAfterTime?: string;
}

/** A token's fate against its user's {@link AccountState}. */
export type RevocationVerdict = "ok" | "revoked" | "disabled";

/**
 * The Admin SDK's own rule (`verifyIdToken(token, true)`): a disabled user's tokens are refused,
 * and so is a token whose `auth_time` (seconds) is before the user's `tokensValidAfterTime`.
 */
export function verdictOf(state: AccountState, authTimeSeconds: number): RevocationVerdict {
  if (state.disabled) return "disabled";
  const validSince = state.tokensValidAfterTime ? new Date(state.tokensValidAfterTime).getTime() : Number.NaN;
  return authTimeSeconds * 1000 < validSince ? "revoked" : "ok";
}

interface Entry {
  state: Promise<AccountState>;
  fetchedAt: number;
}

/**
 * Each user's {@link AccountState}, looked up (`lookup`, one Firebase Auth call) at most once per
 * `windowMs` per instance: a revocation or a disabling made in Auth is seen within `windowMs`
 * (plus the lookup's own time). A window of 0 looks up on every check. Lookups for one user that
 * overlap share one call; a failed lookup is not kept. Keeps at most `maxUsers` users (the
 * oldest lookups go first).
 */
export class RevocationCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly lookup: (uid: string) => Promise<AccountState>,
    private readonly windowMs: number,
    private readonly maxUsers = 10_000,
  ) {}

  /**
   * The verdict on a token of `uid` issued at `authTimeSeconds`, at `nowMs` (epoch ms).
   * @throws whatever `lookup` throws (e.g. `auth/user-not-found` for a deleted user).
   */
  async check(uid: string, authTimeSeconds: number, nowMs: number): Promise<RevocationVerdict> {
    return verdictOf(await this.stateOf(uid, nowMs), authTimeSeconds);
  }

  private stateOf(uid: string, nowMs: number): Promise<AccountState> {
    const cached = this.entries.get(uid);
    if (cached && nowMs - cached.fetchedAt < this.windowMs) return cached.state;
    const state = this.lookup(uid);
    if (this.windowMs <= 0) return state;
    const entry = { state, fetchedAt: nowMs };
    this.entries.delete(uid);
    this.entries.set(uid, entry);
    if (this.entries.size > this.maxUsers) this.entries.delete(this.entries.keys().next().value ?? uid);
    state.catch(() => {
      if (this.entries.get(uid) === entry) this.entries.delete(uid);
    });
    return state;
  }
}

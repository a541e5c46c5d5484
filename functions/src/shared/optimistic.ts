import { grpcStatus, hasGrpcStatus, type AppError } from "./errors.js";

/**
 * `true` when a commit failed on a precondition another writer broke first: a `create` of a
 * doc that now exists (gRPC 6, ALREADY_EXISTS) or an update whose `lastUpdateTime` is stale
 * (gRPC 9, FAILED_PRECONDITION).
 */
export function isConflict(error: unknown): boolean {
  return hasGrpcStatus(error, grpcStatus.alreadyExists, grpcStatus.failedPrecondition);
}

/**
 * Optimistic concurrency without locks: runs `attempt` (read, check, commit a batch whose
 * writes carry preconditions) until it commits without a conflict, waiting a short random,
 * growing time between tries. Parley avoids read-write transactions on the hot chat doc: on
 * the emulator they serialise behind a lock and abort under contention (README, "How sends
 * get gapless numbers").
 * `conflict` says which failures are lost races ({@link isConflict} unless given).
 * @throws whatever `attempt` throws that is not a conflict; `exhausted()` after `maxAttempts`.
 */
export async function retryOnConflict<T>(
  maxAttempts: number,
  attempt: (attemptNumber: number) => Promise<T>,
  exhausted: () => AppError,
  conflict: (error: unknown) => boolean = isConflict,
): Promise<T> {
  for (let n = 1; n <= maxAttempts; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!conflict(error)) throw error;
      await backoff(n);
    }
  }
  throw exhausted();
}

/** Random wait that grows with the attempt, capped at 100 ms, to spread competing writers apart. */
export function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(100, 5 * 2 ** Math.min(attempt, 5));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

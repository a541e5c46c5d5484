/**
 * Retries `check` (an assertion, or a read that throws until the state is there) every
 * `intervalMs` (default 200 ms) until it passes, and rethrows its last error after `timeoutMs`;
 * for effects of triggers, which run after the write that caused them. The one way the test
 * helpers poll (listeners are waited on with `listen.ts`).
 */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

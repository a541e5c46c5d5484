import { afterEach, describe, expect, it, vi } from "vitest";
import { next, watch } from "../helpers/listen.js";

// The test helper that confines the emulator's listen-stream workaround: a wait with no match
// after 15 s listens afresh, keeps what it saw, and re-runs its action on the new listener.
type Listener = { emit: (state: number) => void; fail: (error: Error) => void; stopped: boolean };

function fakeSubscribe() {
  const listeners: Listener[] = [];
  const subscribe = (callback: (state: number) => void, onError: (error: Error) => void) => {
    const listener: Listener = { emit: callback, fail: onError, stopped: false };
    listeners.push(listener);
    return () => void (listener.stopped = true);
  };
  return { listeners, subscribe };
}

afterEach(() => vi.useRealTimers());

describe("test helper watch()", () => {
  it("when a listener never shows a matching state, then after 15 s a fresh listener does, and the wait's action runs on it", async () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { listeners, subscribe } = fakeSubscribe();
    const watcher = watch(subscribe);
    listeners[0].emit(1);
    const acted: number[] = [];
    const wait = watcher.until(
      (state) => (state === 3 ? "three" : undefined),
      () => acted.push(listeners.length),
    );
    await vi.advanceTimersByTimeAsync(14_999);
    expect(listeners).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(listeners[0].stopped).toBe(true);
    expect(listeners).toHaveLength(2);
    listeners[0].emit(3); // the old listener is ignored
    listeners[1].emit(2);
    listeners[1].emit(3);
    await expect(wait).resolves.toBe("three");
    expect(acted).toEqual([1, 2]);
    expect(watcher.states).toEqual([1, 2, 3]);
    expect(warn).toHaveBeenCalledOnce();
    watcher.stop();
    expect(listeners[1].stopped).toBe(true);
    warn.mockRestore();
  });

  it("when a state matches at once or the listener fails, then next() settles and stops without listening afresh", async () => {
    vi.useFakeTimers();
    const { listeners, subscribe } = fakeSubscribe();
    const found = next(subscribe, (state) => (state > 1 ? state : undefined));
    let ready = false;
    void found.ready.then(() => (ready = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(ready).toBe(false);
    listeners[0].emit(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(ready).toBe(true);
    listeners[0].emit(2);
    await expect(found).resolves.toBe(2);
    const refused = next(subscribe, () => undefined);
    listeners[1].fail(Object.assign(new Error("denied"), { code: "permission-denied" }));
    await expect(refused).rejects.toMatchObject({ code: "permission-denied" });
    await expect(refused.ready).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(listeners.map((listener) => listener.stopped)).toEqual([true, true]);
  });
});

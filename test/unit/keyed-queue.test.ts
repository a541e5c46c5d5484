import { describe, expect, it } from "vitest";
import { KeyedQueue } from "../../functions/src/timeline/keyed-queue.js";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("KeyedQueue (sends to one chat queue up inside an instance)", () => {
  it("when tasks share a key, then they run one at a time in arrival order, even after a failure", async () => {
    const queue = new KeyedQueue();
    const events: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        events.push(`start ${name}`);
        await tick(5);
        events.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      queue.run("chat", task("a")),
      queue.run("chat", task("b", true)),
      queue.run("chat", task("c")),
    ]);
    expect(events).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  });

  it("when tasks have different keys, then they run at the same time", async () => {
    const queue = new KeyedQueue();
    let running = 0;
    let most = 0;
    const task = async () => {
      most = Math.max(most, ++running);
      await tick(5);
      running--;
    };
    await Promise.all([queue.run("one", task), queue.run("two", task), queue.run("three", task)]);
    expect(most).toBe(3);
  });
});

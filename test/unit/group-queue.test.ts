import { describe, expect, it } from "vitest";
import { GroupQueue } from "../../functions/src/timeline/group-queue.js";

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A queue that records each group it handles, taking `ms` per group. */
function recorder(maxGroup: number, ms = 5) {
  const groups: string[][] = [];
  let running = 0;
  let most = 0;
  const queue = new GroupQueue<string>(
    maxGroup,
    (item) => item.startsWith("!"),
    async (key, group) => {
      most = Math.max(most, ++running);
      groups.push(group.map((item) => `${key}:${item}`));
      await tick(ms);
      running--;
    },
  );
  return { queue, groups, most: () => most };
}

describe("GroupQueue (group commit: sends to one chat that arrive together commit together)", () => {
  it("when items arrive while a group is handled, then they form the next group, in arrival order", async () => {
    const { queue, groups } = recorder(10);

    for (const item of ["a", "b", "c", "d"]) queue.add("chat", item);
    await tick(20);

    expect(groups).toEqual([["chat:a"], ["chat:b", "chat:c", "chat:d"]]);
  });

  it("when more items wait than a group holds, then they go in groups of at most maxGroup", async () => {
    const { queue, groups } = recorder(2);

    for (const item of ["a", "b", "c", "d", "e", "f"]) queue.add("chat", item);
    await tick(40);

    expect(groups.map((group) => group.length)).toEqual([1, 2, 2, 1]);
    expect(groups.flat()).toEqual(["a", "b", "c", "d", "e", "f"].map((item) => `chat:${item}`));
  });

  it("when an item must go alone (a system message with a chat change), then it is a group by itself, in its place", async () => {
    const { queue, groups } = recorder(10);

    for (const item of ["a", "b", "!join", "c", "d"]) queue.add("chat", item);
    await tick(30);

    expect(groups).toEqual([["chat:a"], ["chat:b"], ["chat:!join"], ["chat:c", "chat:d"]]);
  });

  it("when items have different keys, then their groups are handled at the same time", async () => {
    const { queue, groups, most } = recorder(10);

    queue.add("one", "a");
    queue.add("two", "a");
    queue.add("three", "a");
    await tick(20);

    expect(most()).toBe(3);
    expect(groups.flat().sort()).toEqual(["one:a", "three:a", "two:a"]);
  });
});

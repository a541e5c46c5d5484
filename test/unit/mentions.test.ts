import { describe, expect, it } from "vitest";
import { keptMentions, MAX_UNREAD_MENTIONS } from "../../functions/src/timeline/append-message.js";

describe("keptMentions", () => {
  it("when a member has read up to 5, then mentions up to 5 are dropped and the new ones appended", () => {
    expect(keptMentions({ lastRead: 5, mentioned: [2, 5, 7] }, [9, 10])).toEqual([7, 9, 10]);
  });

  it("when the list would pass the cap, then only the latest 100 are kept", () => {
    const mentioned = Array.from({ length: MAX_UNREAD_MENTIONS }, (_, i) => i + 1);
    const kept = keptMentions({ lastRead: 0, mentioned }, [101, 102]);
    expect(kept).toHaveLength(MAX_UNREAD_MENTIONS);
    expect(kept.slice(0, 2)).toEqual([3, 4]);
    expect(kept.at(-1)).toBe(102);
  });

  it("when nothing is known of the member, then the new mentions are the list", () => {
    expect(keptMentions(undefined, [4])).toEqual([4]);
  });
});

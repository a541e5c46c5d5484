import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideStreakPush, wasChosen } from "../../functions/src/push/streak.js";
import type { BadgeShare } from "../../functions/src/shared/model.js";
import { BadgeEdit, isRoomId } from "../../functions/src/timeline/badge.js";

const ROOM = "room1";
const at = 1_000_000;

/** What happens to one member of a room, in order. */
type Step = { kind: "send"; mention: boolean } | { kind: "read" } | { kind: "retell" };

/** Tells the member message `number` as the fan-out does: count it, decide, write `pushedUpTo`. */
function tell(badge: BadgeEdit, number: number, mentioned: boolean): boolean {
  badge.count(ROOM, { number, at });
  const decision = decideStreakPush(badge.share(ROOM), { number, mentioned });
  if (decision.pushedUpTo !== undefined) badge.pushed(ROOM, decision.pushedUpTo);
  return decision.push;
}

const steps: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant("send" as const), mention: fc.boolean() }),
    fc.record({ kind: fc.constant("read" as const) }),
    fc.record({ kind: fc.constant("retell" as const) }),
  ),
  { maxLength: 60 },
);

describe("one notification per unread streak, pure parts", () => {
  it("when messages, reads and mentions come in any order, then a member is pushed exactly for each streak's first message and each mention", () => {
    fc.assert(
      fc.property(steps, (sequence) => {
        const badge = new BadgeEdit(undefined, isRoomId);
        badge.join(ROOM, 0);
        let number = 0;
        let unreadPushed = false;
        let readUpTo = 0;
        const pushed: number[] = [];
        const expected: number[] = [];
        const mentions = new Set<number>();
        for (const step of sequence) {
          if (step.kind === "read") {
            badge.read(ROOM, number);
            readUpTo = number;
            unreadPushed = false;
          } else if (step.kind === "send") {
            number++;
            if (step.mention) mentions.add(number);
            if (!unreadPushed || step.mention) expected.push(number);
            unreadPushed = true;
            if (tell(badge, number, step.mention)) pushed.push(number);
          } else if (number > 0 && pushed.at(-1) === number) {
            // The newest message's page told again (a run died after its write): the same choice,
            // unless the member read it since.
            const unread = number > readUpTo;
            expect(wasChosen(badge.share(ROOM), { number, mentioned: mentions.has(number) })).toBe(unread);
            expect(tell(badge, number, mentions.has(number))).toBe(unread);
          }
        }
        expect(pushed).toEqual(expected);
      }),
    );
  });

  it("when fan-outs of a streak's messages arrive out of order, then the member is pushed once for them", () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray([1, 2, 3, 4, 5, 6, 7, 8], { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 0, max: 8 }),
        (order, readFirst) => {
          const badge = new BadgeEdit(undefined, isRoomId);
          badge.join(ROOM, 0);
          badge.read(ROOM, readFirst);
          const pushed = order.filter((number) => tell(badge, number, false));
          // Read messages push nothing; of the unread ones exactly one does.
          expect(pushed.length).toBe(readFirst === 8 ? 0 : 1);
          expect(pushed.every((number) => number > readFirst)).toBe(true);
        },
      ),
    );
  });

  it("when a redelivery reads back the choice, then it pushes what the tell chose and no one who read since", () => {
    const share: BadgeShare = { readUpTo: 3, pushedUpTo: 5 };
    expect(wasChosen(share, { number: 5, mentioned: false })).toBe(true);
    expect(wasChosen(share, { number: 6, mentioned: false })).toBe(false);
    expect(wasChosen(share, { number: 6, mentioned: true })).toBe(true);
    expect(wasChosen({ ...share, readUpTo: 5 }, { number: 5, mentioned: false })).toBe(false);
    expect(wasChosen({ left: true }, { number: 7, mentioned: true })).toBe(false);
  });

  it("when a member left, read the message already, or has a mute that reset the share, then the rule says so", () => {
    expect(decideStreakPush({ left: true }, { number: 3, mentioned: true })).toEqual({ push: false });
    expect(decideStreakPush({ readUpTo: 4 }, { number: 4, mentioned: true })).toEqual({ push: false });
    expect(decideStreakPush(undefined, { number: 1, mentioned: false })).toEqual({ push: true, pushedUpTo: 1 });
    expect(decideStreakPush({ readUpTo: 2, pushedUpTo: 2 }, { number: 3, mentioned: false })).toEqual({
      push: true,
      pushedUpTo: 3,
    });
    // A mute resets the share (BadgeEdit.mute keeps only the read position): the next message after it opens a streak.
    const badge = new BadgeEdit(undefined, isRoomId);
    badge.join(ROOM, 0);
    tell(badge, 1, false);
    badge.mute(ROOM, null);
    expect(badge.share(ROOM)?.pushedUpTo).toBeUndefined();
  });
});

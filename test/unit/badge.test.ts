import fc from "fast-check";
import { Timestamp } from "firebase-admin/firestore";
import { describe, expect, it } from "vitest";
import type { ExternalEventDoc } from "../../functions/src/shared/model.js";
import {
  BadgeEdit,
  isRoomId,
  MAX_BADGE_RUNS,
  readTo,
  shareCount,
  threadKey,
  withCounted,
} from "../../functions/src/timeline/badge.js";

const ROOM = "room1";
const DIRECT = "alice_bob";
const at = 1_000_000;

/** A badge edited from `doc` with the same rooms test as the product's. */
const edit = (doc?: ExternalEventDoc) => new BadgeEdit(doc, isRoomId);

/** The doc a write of `badge` leaves. */
const written = (badge: BadgeEdit): ExternalEventDoc => ({ notifyNewMessage: false, lastEvent: null, ...badge.fields() });

describe("the app badge, pure parts", () => {
  it("when messages are counted in any order and some twice, then each counts once", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 150 }), (numbers) => {
        const badge = edit();
        for (const number of numbers) badge.count(ROOM, { number, at });
        const distinct = new Set(numbers);
        expect(badge.total).toBeLessThanOrEqual(distinct.size);
        // Exact while the runs fit: they always do below MAX_BADGE_RUNS gaps.
        const runs = written(badge).badge?.[ROOM]?.runs ?? [];
        if (runs.length / 3 < MAX_BADGE_RUNS) expect(badge.total).toBe(distinct.size);
        expect(written(badge).unreadTotal).toBe(badge.total);
      }),
    );
  });

  it("when a read ends anywhere, then exactly the counted messages after it stay", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 300 }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 320 }),
        (numbers, upTo) => {
          let share = undefined as ReturnType<typeof readTo> | undefined;
          for (const number of numbers) share = withCounted(share, { number, at }, undefined) ?? share;
          const after = readTo(share, upTo);
          expect(shareCount(after)).toBe(numbers.filter((number) => number > upTo).length);
          // Nothing at or before the read counts later (a fan-out after the read).
          for (const number of numbers.filter((n) => n <= upTo)) expect(withCounted(after, { number, at }, undefined)).toBeNull();
        },
      ),
    );
  });

  it("when more gaps come than a share keeps, then the count stays exact and a read past them clears it", () => {
    const badge = edit();
    for (let number = 2; number <= 200; number += 2) badge.count(ROOM, { number, at });
    expect(badge.total).toBe(100);
    expect((written(badge).badge?.[ROOM]?.runs?.length ?? 0) / 3).toBe(MAX_BADGE_RUNS);
    badge.read(ROOM, 200);
    expect(badge.total).toBe(0);
  });

  it("when a chat is muted, then it leaves the total and what arrives before the mute ends does not count", () => {
    const badge = edit();
    badge.count(DIRECT, { number: 1, at });
    badge.count(threadKey(DIRECT, 1), { number: 1, at });
    expect(badge.total).toBe(2);
    badge.mute(DIRECT, Timestamp.fromMillis(at + 1000));
    expect(badge.total).toBe(0);
    expect(badge.count(DIRECT, { number: 2, at: at + 500 })).toBe(false);
    expect(badge.count(threadKey(DIRECT, 1), { number: 2, at: at + 500 })).toBe(false);
    // The mute ended by itself: no write was needed.
    expect(badge.count(DIRECT, { number: 3, at: at + 1000 })).toBe(true);
    expect(badge.total).toBe(1);
  });

  it("when a chat is muted until unmuted, then nothing created before the unmute counts, also when it is counted later", () => {
    const badge = edit();
    badge.mute(ROOM, null);
    expect(badge.count(ROOM, { number: 1, at: at * 1000 })).toBe(false);
    badge.unmute(ROOM, Timestamp.fromMillis(at));
    // A fan-out that comes after the unmute, of a message sent during the mute.
    expect(badge.count(ROOM, { number: 2, at: at - 1 })).toBe(false);
    expect(badge.count(ROOM, { number: 3, at })).toBe(true);
    expect(badge.total).toBe(1);
  });

  it("when a member leaves a room, then it and its threads leave the total, and a late fan-out counts nothing", () => {
    const badge = edit();
    badge.count(ROOM, { number: 5, at });
    badge.count(threadKey(ROOM, 5), { number: 1, at });
    badge.count(DIRECT, { number: 1, at });
    badge.leave(ROOM);
    expect(badge.total).toBe(1);
    expect(badge.count(ROOM, { number: 6, at })).toBe(false);
    expect(badge.count(threadKey(ROOM, 5), { number: 2, at })).toBe(false);
    badge.join(ROOM, 9);
    expect(badge.count(ROOM, { number: 8, at })).toBe(false);
    expect(badge.count(ROOM, { number: 10, at })).toBe(true);
    expect(badge.total).toBe(2);
  });

  it("when a room's share is read to empty, then it stays to hold the read position; a 1:1 chat's goes", () => {
    const badge = edit();
    badge.count(ROOM, { number: 3, at });
    badge.count(DIRECT, { number: 3, at });
    badge.read(ROOM, 3);
    badge.read(DIRECT, 3);
    expect(written(badge).badge).toEqual({ [ROOM]: { readUpTo: 3 } });
  });

  it("when a chat is dropped, then its shares and its threads' go and nothing else changes", () => {
    const badge = edit();
    badge.count(DIRECT, { number: 1, at });
    badge.count(threadKey(DIRECT, 1), { number: 1, at });
    badge.count(ROOM, { number: 1, at });
    badge.drop(DIRECT);
    expect(Object.keys(written(badge).badge ?? {})).toEqual([ROOM]);
    expect(badge.total).toBe(1);
  });

  it("when nothing changes, then the edit says so", () => {
    const badge = edit(written(edit()));
    badge.read(DIRECT, 10);
    badge.unmute(DIRECT, Timestamp.fromMillis(at));
    expect(badge.changed).toBe(false);
  });
});

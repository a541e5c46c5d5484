import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface FieldOverride {
  collectionGroup: string;
  fieldPath: string;
  indexes: unknown[];
}

const { fieldOverrides } = JSON.parse(readFileSync("firestore.indexes.json", "utf8")) as { fieldOverrides: FieldOverride[] };

describe("firestore.indexes.json (the emulator ignores it; production applies it)", () => {
  it("when a chat holds per-member maps, then none of them is indexed: each member would add index entries to every write", () => {
    const exempt = fieldOverrides
      .filter((override) => override.collectionGroup === "chats" && override.indexes.length === 0)
      .map((override) => override.fieldPath);

    expect(exempt.sort()).toEqual(["delivered", "lastRead", "mentioned", "mutedUntil", "unread"]);
  });

  it("when a doc is written on every message (a sender's read position, a recipient's external event), then its changing fields are not indexed", () => {
    const exempt = fieldOverrides
      .filter((override) => override.indexes.length === 0)
      .map((override) => `${override.collectionGroup}.${override.fieldPath}`);

    expect(exempt).toEqual(
      expect.arrayContaining([
        "members.mutedUntil",
        "members.mentioned",
        "users-external-event.lastEvent",
        // A map with a share per chat and thread: up to 40,000 index entries otherwise.
        "users-external-event.badge",
        "messages.reactions",
        "messages.poll",
      ]),
    );
  });

  it("when a user's settings hold their private state of every 1:1 chat, then that map is not indexed: no query reads it", () => {
    const direct = fieldOverrides.find(
      (override) => override.collectionGroup === "user-settings" && override.fieldPath === "direct",
    );

    expect(direct?.indexes).toEqual([]);
  });

  it("when a room's roster shard holds a map of up to ~160 members, then the map is not indexed: no query reads it", () => {
    const members = fieldOverrides.find((override) => override.collectionGroup === "rosters" && override.fieldPath === "members");

    expect(members?.indexes).toEqual([]);
  });

  it("when read receipts ask who read a room message, then members.lastRead has one ascending index, for one room only", () => {
    const lastRead = fieldOverrides.find(
      (override) => override.collectionGroup === "members" && override.fieldPath === "lastRead",
    );

    expect(lastRead?.indexes).toEqual([{ order: "ASCENDING", queryScope: "COLLECTION" }]);
  });

  it("when receipts ask who has a room message delivered, then members.deliveredUpTo has one ascending index, for one room only", () => {
    const delivered = fieldOverrides.find(
      (override) => override.collectionGroup === "members" && override.fieldPath === "deliveredUpTo",
    );

    expect(delivered?.indexes).toEqual([{ order: "ASCENDING", queryScope: "COLLECTION" }]);
  });

  it("when a user's rooms are listed, then members.uid has a collection-group index", () => {
    const uid = fieldOverrides.find((override) => override.collectionGroup === "members" && override.fieldPath === "uid");

    expect(uid?.indexes).toContainEqual({ order: "ASCENDING", queryScope: "COLLECTION_GROUP" });
  });

  it("when an account is erased, then every collection-group field its sweeps query has a collection-group index", () => {
    const grouped = fieldOverrides
      .filter((override) => JSON.stringify(override.indexes).includes("COLLECTION_GROUP"))
      .map((override) => `${override.collectionGroup}.${override.fieldPath}`);

    expect(grouped).toEqual(
      expect.arrayContaining([
        "members.uid",
        "messages.from",
        "messages.event.uid",
        "messages.mentions",
        "messages.reference.from",
        "messages.thread.repliers",
        "replies.from",
        "replies.mentions",
        "replies.reference.from",
        "threads.participants",
        "threads.repliers",
        "reactions.uid",
        "votes.uid",
        "hidden.uid",
        "typing.uid",
        "bans.uid",
        "bans.bannedBy",
      ]),
    );
  });
});

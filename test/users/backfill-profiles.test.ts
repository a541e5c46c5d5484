import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { backfillProfiles, type ListAuthUsers } from "../../functions/src/users/backfill-profiles.js";
import { newUserProfile } from "../../functions/src/users/create-user-profile.js";
import { toNewAuthUser, type AuthRecord } from "../../functions/src/users/find-auth-user.js";
import { adminAuth, adminDb } from "../helpers/admin.js";
import { authHost, firestoreHost, projectId, withoutBackgroundTriggers } from "../helpers/emulators.js";

/** Runs `node scripts/backfill-profiles.mjs` against the emulators; its report (the last line of stdout). */
function runBackfill(): { users: number; created: number; existing: number; pages: number; nextPageToken: string | null } {
  const run = spawnSync("node", ["scripts/backfill-profiles.mjs"], {
    encoding: "utf8",
    env: {
      ...process.env,
      GCLOUD_PROJECT: projectId,
      FIRESTORE_EMULATOR_HOST: firestoreHost,
      FIREBASE_AUTH_EMULATOR_HOST: authHost,
    },
  });
  if (run.status !== 0) throw new Error(`backfill-profiles.mjs exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "") as ReturnType<typeof runBackfill>;
}

/** Every uid in the Auth emulator, 1,000 a page. */
async function allAuthUids(): Promise<string[]> {
  const uids: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await adminAuth().listUsers(1000, pageToken);
    uids.push(...page.users.map((user) => user.uid));
    pageToken = page.pageToken;
  } while (pageToken);
  return uids;
}

const profiles = async (uids: string[]) =>
  (await adminDb().getAll(...uids.map((uid) => adminDb().doc(`users/${uid}`)))).map((snap) => snap.data());

describe("backfilling profiles", () => {
  it("when Auth users have no profile, then the script gives every Auth user one, and a second run changes nothing", async () => {
    await withoutBackgroundTriggers(async () => {
      const id = randomUUID().slice(0, 8);
      const made = await Promise.all([
        adminAuth().createUser({ email: `old-${id}-1@example.com`, displayName: `Old ${id}` }),
        adminAuth().createUser({ email: `old-${id}-2@example.com` }),
        adminAuth().createUser({}),
      ]);
      const uids = made.map((user) => user.uid);
      expect(await profiles(uids)).toEqual([undefined, undefined, undefined]);

      const first = runBackfill();

      const everyone = await allAuthUids();
      expect(first).toMatchObject({
        users: everyone.length,
        nextPageToken: null,
        pages: Math.max(1, Math.ceil(everyone.length / 1000)),
      });
      expect(first.created).toBeGreaterThanOrEqual(3);
      expect(first.created + first.existing).toBe(first.users);
      const missing = (await profiles(everyone)).flatMap((profile, i) => (profile ? [] : [everyone[i]]));
      expect(missing).toEqual([]);
      const records = await Promise.all(uids.map((uid) => adminAuth().getUser(uid)));
      const once = await profiles(uids);
      expect(once).toEqual(records.map((record) => newUserProfile(toNewAuthUser(record), new Date(0))));
      expect(once.map((profile) => profile?.displayName)).toEqual([`Old ${id}`, `old-${id}-2`, "Parley user"]);

      const again = runBackfill();

      expect(again).toMatchObject({ users: everyone.length, created: 0, existing: everyone.length, nextPageToken: null });
      expect(await profiles(uids)).toEqual(once);
    });
  });

  it("when a run stops after some pages, then going on from its page token does the rest", async () => {
    const id = randomUUID().slice(0, 8);
    const records: AuthRecord[] = Array.from({ length: 5 }, (_, i) => ({ uid: `paged-${id}-${i}`, displayName: `Paged ${i}` }));
    // A fake Auth for paging only: 5 records, the page token being the next index.
    const listAuthUsers: ListAuthUsers = (maxResults, pageToken) => {
      const start = Number(pageToken ?? 0);
      const next = start + maxResults;
      return Promise.resolve({ users: records.slice(start, next), ...(next < records.length && { pageToken: String(next) }) });
    };
    await adminDb()
      .doc(`users/${records[1].uid}`)
      .set({ displayName: "Had one", photoURL: null, createdAt: new Date(0) });

    const stopped = await backfillProfiles(adminDb(), new Date(), listAuthUsers, { pageSize: 2, maxPages: 1 });
    const rest = await backfillProfiles(adminDb(), new Date(), listAuthUsers, {
      pageSize: 2,
      pageToken: stopped.nextPageToken ?? "",
    });

    expect(stopped).toEqual({ users: 2, created: 1, existing: 1, pages: 1, nextPageToken: "2" });
    expect(rest).toEqual({ users: 3, created: 3, existing: 0, pages: 2, nextPageToken: null });
    const stored = await profiles(records.map((record) => record.uid));
    expect(stored.map((profile) => profile?.displayName)).toEqual(["Paged 0", "Had one", "Paged 2", "Paged 3", "Paged 4"]);
  });
});

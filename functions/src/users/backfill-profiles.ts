import type { Firestore } from "firebase-admin/firestore";
import { getAll, refs } from "../shared/model.js";
import { ensureProfile } from "./ensure-profile.js";
import { toNewAuthUser, type AuthRecord } from "./find-auth-user.js";

/** Auth users per page: the most the Admin SDK's `auth.listUsers` answers at once. */
export const AUTH_PAGE = 1000;
/** Missing profiles created at once (each its own batch of 1-2 writes). */
const CONCURRENT_CREATES = 20;

/** One page of Firebase Auth users, as the Admin SDK's `auth.listUsers(maxResults, pageToken)`. */
export type ListAuthUsers = (maxResults: number, pageToken?: string) => Promise<{ users: AuthRecord[]; pageToken?: string }>;

/** What a backfill run did. */
export interface ProfileBackfillReport {
  /** Auth users read. */
  users: number;
  /** Profiles this run created. */
  created: number;
  /** Users who had a profile (or got one from another writer, such as the trigger, meanwhile). */
  existing: number;
  /** Auth pages read. */
  pages: number;
  /** Where to go on when the run stopped at `maxPages` (pass it as `pageToken`); `null` when done. */
  nextPageToken: string | null;
}

/**
 * Gives every Firebase Auth user a profile, for a project that had users before Parley or whose
 * user-created trigger failed: pages through Auth ({@link AUTH_PAGE} users a page, from
 * `pageToken`), reads the page's `users/{uid}` in one `getAll`, and creates each missing one
 * with `ensureProfile` from the page's Auth record (no further Auth lookup). Idempotent (a
 * profile is a `create`; one that exists is left as it is) and resumable: run it again, or go
 * on from a page's token. Cost: 1 read per Auth user, 1-2 writes per profile created.
 * @param options.maxPages stop after this many pages (`nextPageToken` says where to go on).
 * @param options.onPage called after each page with the totals so far.
 */
export async function backfillProfiles(
  db: Firestore,
  now: Date,
  listAuthUsers: ListAuthUsers,
  options: { pageToken?: string; maxPages?: number; pageSize?: number; onPage?: (report: ProfileBackfillReport) => void } = {},
): Promise<ProfileBackfillReport> {
  const report: ProfileBackfillReport = { users: 0, created: 0, existing: 0, pages: 0, nextPageToken: options.pageToken ?? null };
  do {
    if (options.maxPages !== undefined && report.pages >= options.maxPages) return report;
    const page = await listAuthUsers(options.pageSize ?? AUTH_PAGE, report.nextPageToken ?? undefined);
    const created = await backfillPage(db, now, page.users);
    report.pages += 1;
    report.users += page.users.length;
    report.created += created;
    report.existing += page.users.length - created;
    report.nextPageToken = page.pageToken ?? null;
    options.onPage?.({ ...report });
  } while (report.nextPageToken !== null);
  return report;
}

/** Creates the missing profiles of one page of Auth users; returns how many this call created. */
async function backfillPage(db: Firestore, now: Date, users: AuthRecord[]): Promise<number> {
  if (users.length === 0) return 0;
  const snaps = await getAll(db, ...users.map((user) => refs.user(db, user.uid)));
  const missing = users.flatMap((user, i) => (snaps[i].exists ? [] : [{ user, snap: snaps[i] }]));
  let created = 0;
  for (let i = 0; i < missing.length; i += CONCURRENT_CREATES) {
    const made = await Promise.all(
      missing
        .slice(i, i + CONCURRENT_CREATES)
        .map(({ user, snap }) =>
          ensureProfile(db, { now, uid: user.uid, findUser: () => Promise.resolve(toNewAuthUser(user)), known: snap }),
        ),
    );
    created += made.filter((ensured) => ensured?.created).length;
  }
  return created;
}

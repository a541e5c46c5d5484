import type { Bucket } from "@google-cloud/storage";

/** Deletes the objects at `paths` in `bucket`; objects already gone are fine. */
export function objectDeleter(bucket: Bucket): (paths: string[]) => Promise<void> {
  return async (paths) => {
    await Promise.all(paths.map((path) => bucket.file(path).delete({ ignoreNotFound: true })));
  };
}

/** Deletes every object whose name starts with the given prefix (a "folder" such as `chats/{id}/`). */
export function prefixDeleter(bucket: Bucket): (prefix: string) => Promise<void> {
  return async (prefix) => {
    await bucket.deleteFiles({ prefix, force: true });
  };
}

import { DELETED_USER, refs } from "@parley/client";
import { getDoc } from "firebase/firestore";
import { useEffect, useState } from "react";
import { parley } from "./parley.js";

const cache = new Map<string, Promise<string>>();

/** A user's display name from `users/{uid}` (readable by any signed-in user), cached; "Deleted user" for a deleted account. */
export function displayName(uid: string): Promise<string> {
  if (uid === DELETED_USER) return Promise.resolve("Deleted user");
  let name = cache.get(uid);
  if (!name) {
    name = getDoc(refs.user(parley.db, uid)).then((snap) => snap.data()?.displayName || "Someone");
    cache.set(uid, name);
  }
  return name;
}

/** The display names of `uids`, filled in as they load. */
export function useNames(uids: string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = [...new Set(uids)].sort().join(",");
  useEffect(() => {
    let live = true;
    for (const uid of key ? key.split(",") : []) {
      void displayName(uid).then(
        (name) => live && setNames((known) => (known[uid] === name ? known : { ...known, [uid]: name })),
      );
    }
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}

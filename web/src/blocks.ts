import { useEffect, useState } from "react";
import { parley } from "./parley.js";

/** The uids the signed-in user blocked, live. */
export function useBlocks(): Set<string> {
  const [blocked, setBlocked] = useState<Set<string>>(new Set());
  useEffect(() => parley.watchBlocks(setBlocked), []);
  return blocked;
}

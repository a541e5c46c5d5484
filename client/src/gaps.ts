/**
 * The runs of message numbers missing between `from` and the highest of `seen` (both ends
 * included), as `[first, last]` pairs in order: the holes a listener left, which the client then
 * fetches. Numbers are gapless on the server, so any hole is a message this device never got.
 */
export function missingRanges(seen: Iterable<number>, from: number): [number, number][] {
  const numbers = [...seen].filter((n) => n >= from).sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  let expected = from;
  for (const n of numbers) {
    if (n > expected) ranges.push([expected, n - 1]);
    expected = Math.max(expected, n + 1);
  }
  return ranges;
}

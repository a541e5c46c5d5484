// The duration of a Matroska/WebM file from its blocks, for files whose header has no
// `Duration`: a browser's MediaRecorder writes WebM as a live stream, so its `Info` never gets
// one, and music-metadata reads only that element. This walks the elements (EBML: an ID, a
// size, the data) and reads the time of every block instead.

/** Element IDs (with their length marker, as written). */
const ids = {
  segment: 0x18538067,
  info: 0x1549a966,
  timecodeScale: 0x2ad7b1,
  cluster: 0x1f43b675,
  timecode: 0xe7,
  blockGroup: 0xa0,
  block: 0xa1,
  simpleBlock: 0xa3,
};

/** Elements whose children are read in place (the rest are skipped by their size). */
const containers = new Set([ids.segment, ids.info, ids.cluster, ids.blockGroup]);

/** A variable-length integer at `pos`: its value (the marker bit kept for IDs), its length, and whether all its value bits are 1 ("unknown size"). */
function readVint(bytes: Uint8Array, pos: number, keepMarker: boolean) {
  const first = bytes[pos];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (pos + length > bytes.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + bytes[pos + i];
    allOnes &&= bytes[pos + i] === 0xff;
  }
  return { value, length, unknown: allOnes };
}

function readUint(bytes: Uint8Array, start: number, size: number): number {
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 256 + bytes[start + i];
  return value;
}

/** A block's time in ticks: its cluster's timecode plus its own signed 16-bit offset (after the track number). */
function blockTime(bytes: Uint8Array, start: number, clusterTime: number): number | undefined {
  const track = readVint(bytes, start, false);
  if (!track || start + track.length + 2 > bytes.length) return undefined;
  const offset = (bytes[start + track.length] << 8) | bytes[start + track.length + 1];
  return clusterTime + (offset >= 0x8000 ? offset - 0x10000 : offset);
}

/** What {@link readMatroskaBlocks} found: where the first Cluster starts, and the blocks' duration. */
export interface MatroskaBlocks {
  /** Byte offset of the first Cluster: the header (EBML, Info, Tracks) is what comes before. */
  firstCluster: number | undefined;
  /** Seconds from the first block's start to the last block's end; `undefined` without blocks. */
  seconds: number | undefined;
}

/** Whether `bytes` start with an EBML header (Matroska, WebM). */
export function isEbml(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3;
}

/**
 * Walks a Matroska/WebM file's elements. The duration runs from the first block's time to the
 * last block's time plus the gap before it (the length of one block, as a recorder writes them
 * evenly), in `TimecodeScale` units (1 ms unless the file says otherwise). Stops at the first
 * element that runs past the end of `bytes` (a cut-off file is measured up to there).
 */
export function readMatroskaBlocks(bytes: Uint8Array): MatroskaBlocks {
  let firstCluster: number | undefined;
  let scale = 1_000_000;
  let clusterTime = 0;
  const times: { first?: number; before?: number; last?: number } = {};
  for (let pos = 0; pos < bytes.length;) {
    const id = readVint(bytes, pos, true);
    const size = id && readVint(bytes, pos + id.length, false);
    if (!id || !size) break;
    const start = pos + id.length + size.length;
    if (id.value === ids.cluster) firstCluster ??= pos;
    if (containers.has(id.value)) {
      pos = start;
      continue;
    }
    if (size.unknown || start + size.value > bytes.length) break;
    if (id.value === ids.timecodeScale) scale = readUint(bytes, start, size.value);
    else if (id.value === ids.timecode) clusterTime = readUint(bytes, start, size.value);
    else if (id.value === ids.simpleBlock || id.value === ids.block) {
      const time = blockTime(bytes, start, clusterTime);
      if (time !== undefined) {
        times.first ??= time;
        times.before = times.last ?? time;
        times.last = time;
      }
    }
    pos = start + size.value;
  }
  const { first, before, last } = times;
  if (first === undefined || before === undefined || last === undefined) return { firstCluster, seconds: undefined };
  return { firstCluster, seconds: ((last + (last - before) - first) * scale) / 1e9 };
}

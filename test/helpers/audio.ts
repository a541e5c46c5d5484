// Small, valid audio files built byte by byte (no encoder, no network), for voice messages.
// Each is silence: decoders play it, and its duration is what its frames add up to.

/** CRC-32 as Ogg computes it (polynomial 0x04C11DB7, not reflected, initial 0). */
function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}

/** One Ogg page of `packets` (each under 255 bytes), with its granule position and flags. */
function oggPage(packets: Buffer[], page: { sequence: number; granule: number; flags: number }): Buffer {
  const header = Buffer.alloc(27 + packets.length);
  header.write("OggS", 0, "latin1");
  header.writeUInt8(page.flags, 5);
  header.writeBigUInt64LE(BigInt(page.granule), 6);
  header.writeUInt32LE(0x5041524c, 14); // stream serial number: "PARL"
  header.writeUInt32LE(page.sequence, 18);
  header.writeUInt8(packets.length, 26);
  packets.forEach((packet, i) => header.writeUInt8(packet.length, 27 + i));
  const bytes = Buffer.concat([header, ...packets]);
  bytes.writeUInt32LE(oggCrc(bytes), 22);
  return bytes;
}

/** An Opus packet of 20 ms of silence (TOC 0xF8: CELT fullband, 20 ms, mono, one frame). */
const OPUS_SILENCE = Buffer.from([0xf8, 0xff, 0xfe]);

/**
 * An Ogg Opus file of `seconds` of mono silence (a multiple of 0.02): an `OpusHead` page, an
 * `OpusTags` page, then pages of up to 250 packets of 20 ms (960 samples at 48 kHz) each, the
 * last flagged end of stream. Pre-skip 0, so the duration is the last granule position / 48000.
 */
export function oggOpus(seconds: number): Buffer {
  const head = Buffer.alloc(19);
  head.write("OpusHead", 0, "latin1");
  head.writeUInt8(1, 8); // version
  head.writeUInt8(1, 9); // channels
  head.writeUInt16LE(0, 10); // pre-skip
  head.writeUInt32LE(48000, 12); // input sample rate
  const vendor = "parley-test";
  const tags = Buffer.alloc(8 + 4 + vendor.length + 4);
  tags.write("OpusTags", 0, "latin1");
  tags.writeUInt32LE(vendor.length, 8);
  tags.write(vendor, 12, "latin1");
  const pages = [
    oggPage([head], { sequence: 0, granule: 0, flags: 0x02 }),
    oggPage([tags], { sequence: 1, granule: 0, flags: 0 }),
  ];
  const total = Math.round(seconds * 50);
  for (let sent = 0; sent < total;) {
    const count = Math.min(250, total - sent);
    sent += count;
    const flags = sent === total ? 0x04 : 0;
    pages.push(oggPage(Array<Buffer>(count).fill(OPUS_SILENCE), { sequence: pages.length, granule: sent * 960, flags }));
  }
  return Buffer.concat(pages);
}

/**
 * An MP3 of about `seconds` of silence: MPEG-1 Layer III frames, 128 kbit/s, 44.1 kHz, mono,
 * without CRC (header FF FB 90 C4), each 417 bytes and 1152 samples (26.12 ms), whose side
 * information and main data are all zero (no bits: silence).
 */
export function mp3(seconds: number): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0xc4]);
  const frames = Math.round((seconds * 44100) / 1152);
  return Buffer.concat(Array<Buffer>(frames).fill(frame));
}

/** An MP4 box: 32-bit size, 4-character type, then `parts`. */
function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, "latin1");
  return Buffer.concat([header, body]);
}

const u32 = (...values: number[]) => {
  const bytes = Buffer.alloc(4 * values.length);
  values.forEach((value, i) => bytes.writeUInt32BE(value, 4 * i));
  return bytes;
};

/**
 * An M4A (MPEG-4 audio, AAC-LC, 44.1 kHz mono) of `seconds` as its header says: `ftyp` M4A,
 * `moov` with `mvhd` and one sound track (`tkhd`, `mdhd`, `hdlr soun`, `stsd` with `mp4a` and
 * its `esds`), and an empty `mdat`. Enough for a parser to read the codec and the duration.
 */
export function m4a(seconds: number): Buffer {
  const rate = 44100;
  const length = Math.round(seconds * rate);
  const ftyp = box("ftyp", Buffer.from("M4A ", "latin1"), u32(0), Buffer.from("M4A isommp42", "latin1"));
  const matrix = u32(0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000);
  const mvhd = box(
    "mvhd",
    u32(0, 0, 0, rate, length, 0x10000),
    Buffer.from([1, 0]),
    Buffer.alloc(10),
    matrix,
    Buffer.alloc(24),
    u32(2),
  );
  const tkhd = box("tkhd", u32(3, 0, 0, 1, 0, length, 0, 0, 0), Buffer.from([1, 0, 0, 0]), matrix, u32(0, 0));
  const mdhd = box("mdhd", u32(0, 0, 0, rate, length), Buffer.from([0x55, 0xc4, 0, 0]));
  const hdlr = box("hdlr", u32(0, 0), Buffer.from("soun", "latin1"), u32(0, 0, 0), Buffer.from("Sound\0", "latin1"));
  // esds: ES descriptor, decoder config (object type 0x40: MPEG-4 audio), AudioSpecificConfig
  // 0x12 0x08 (AAC-LC, 44.1 kHz, mono), SL config.
  const esds = box(
    "esds",
    u32(0),
    Buffer.from([
      0x03, 0x19, 0, 1, 0, 0x04, 0x11, 0x40, 0x15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x05, 0x02, 0x12, 0x08, 0x06, 0x01, 0x02,
    ]),
  );
  const mp4a = box(
    "mp4a",
    Buffer.alloc(6),
    Buffer.from([0, 1]),
    u32(0, 0),
    Buffer.from([0, 1, 0, 16]),
    u32(0),
    u32(rate * 0x10000),
    esds,
  );
  const stsd = box("stsd", u32(0, 1), mp4a);
  const stbl = box(
    "stbl",
    stsd,
    box("stts", u32(0, 0)),
    box("stsc", u32(0, 0)),
    box("stsz", u32(0, 0, 0)),
    box("stco", u32(0, 0)),
  );
  const minf = box("minf", box("smhd", u32(0, 0)), stbl);
  const moov = box("moov", mvhd, box("trak", tkhd, box("mdia", mdhd, hdlr, minf)));
  return Buffer.concat([ftyp, moov, box("mdat")]);
}

/** An EBML element: its ID (as written, marker included), an 8-byte size (or "unknown"), its data. */
function ebml(id: number, ...parts: Buffer[]): Buffer {
  const idBytes = Buffer.from(id.toString(16).padStart(id > 0xffffff ? 8 : id > 0xffff ? 6 : id > 0xff ? 4 : 2, "0"), "hex");
  const body = Buffer.concat(parts);
  const size = Buffer.alloc(8);
  size.writeBigUInt64BE(BigInt(body.length), 0);
  size[0] = 0x01; // 8-byte vint marker (sizes here stay far below 2^56)
  return Buffer.concat([idBytes, size, body]);
}

/** An element of unknown size (all value bits 1), as live recorders write Segment and Cluster. */
function ebmlOpen(id: number, ...children: Buffer[]): Buffer {
  const idBytes = Buffer.from(id.toString(16), "hex");
  return Buffer.concat([idBytes, Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), ...children]);
}

const uint = (value: number) => Buffer.from([value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]);
const float64 = (value: number) => {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleBE(value, 0);
  return bytes;
};

/**
 * A WebM file of `seconds` of Opus silence (mono, 48 kHz), laid out as Chrome's MediaRecorder
 * writes one: EBML header (DocType webm), a Segment and Clusters of unknown size, `Info`
 * without `Duration` unless `withDuration`, one audio track (`A_OPUS`, with its OpusHead), and
 * a SimpleBlock of 20 ms per Opus packet, a new Cluster every 5 s.
 */
export function webmOpus(seconds: number, withDuration = false): Buffer {
  const header = ebml(
    0x1a45dfa3,
    ebml(0x4286, Buffer.from([1])),
    ebml(0x42f7, Buffer.from([1])),
    ebml(0x42f2, Buffer.from([4])),
    ebml(0x42f3, Buffer.from([8])),
    ebml(0x4282, Buffer.from("webm", "latin1")),
    ebml(0x4287, Buffer.from([4])),
    ebml(0x4285, Buffer.from([2])),
  );
  const info = ebml(
    0x1549a966,
    ebml(0x2ad7b1, uint(1_000_000)),
    ebml(0x4d80, Buffer.from("parley-test", "latin1")),
    ebml(0x5741, Buffer.from("parley-test", "latin1")),
    ...(withDuration ? [ebml(0x4489, float64(seconds * 1000))] : []),
  );
  const opusHead = Buffer.alloc(19);
  opusHead.write("OpusHead", 0, "latin1");
  opusHead.set([1, 1, 0, 0], 8);
  opusHead.writeUInt32LE(48000, 12);
  const track = ebml(
    0xae,
    ebml(0xd7, Buffer.from([1])),
    ebml(0x73c5, Buffer.from([1])),
    ebml(0x83, Buffer.from([2])),
    ebml(0x86, Buffer.from("A_OPUS", "latin1")),
    ebml(0x63a2, opusHead),
    ebml(0xe1, ebml(0xb5, float64(48000)), ebml(0x9f, Buffer.from([1]))),
  );
  const clusters: Buffer[] = [];
  const blocks = Math.round(seconds * 50);
  for (let first = 0; first < blocks; first += 250) {
    const simpleBlocks = [];
    for (let i = 0; i < Math.min(250, blocks - first); i++) {
      simpleBlocks.push(ebml(0xa3, Buffer.from([0x81, (i * 20) >> 8, (i * 20) & 0xff, 0x80]), OPUS_SILENCE));
    }
    clusters.push(ebmlOpen(0x1f43b675, ebml(0xe7, uint(first * 20)), ...simpleBlocks));
  }
  return Buffer.concat([header, ebmlOpen(0x18538067, info, ebml(0x1654ae6b, track), ...clusters)]);
}

/**
 * 2 MiB that keep an MP3 parser busy: MPEG sync words (`FF FB`) with no valid frame behind
 * them. file-type calls it `audio/mpeg`; music-metadata 11 takes about 7 s a MiB to give up.
 */
export function mp3SyncFlood(): Buffer {
  const bytes = Buffer.alloc(2 * 1024 * 1024);
  for (let i = 0; i < bytes.length; i += 2) bytes.set([0xff, 0xfb], i);
  return bytes;
}

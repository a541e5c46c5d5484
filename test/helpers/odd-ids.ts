import fc from "fast-check";

// Ids no route may answer 5xx to: over-long (to 2 KiB, in bytes of UTF-8, ASCII and multi-byte),
// holding `/`, `.` or `..`, reserved (`__x__`), or not UTF-8 at all. A path segment carries them
// percent-encoded; a callable's data or a JSON body carries them as strings, where "not UTF-8"
// is a lone surrogate (JSON's `"\ud800"`).

/** An odd id as a path segment: `segment` goes into the URL as it is (already percent-encoded). */
export interface OddSegment {
  label: string;
  segment: string;
  /** The id the segment decodes to; `null` when its escapes are not UTF-8. */
  value: string | null;
}

/** Characters of 1, 2, 3 and 4 bytes of UTF-8. */
export const UNITS = { ascii: "a", latin: "é", euro: "€", emoji: "😀" } as const;
export type Unit = keyof typeof UNITS;

/** Lengths in bytes around every bound that matters: uids (128 characters, 384 bytes), chat ids (1,024), Firestore ids (1,500). */
export const EDGE_BYTES = [0, 1, 128, 129, 384, 385, 512, 513, 769, 1023, 1024, 1025, 1499, 1500, 1501, 1536, 2047, 2048];

/** A string of exactly `bytes` bytes of UTF-8: `unit` repeated, padded with `a`. */
export function ofBytes(bytes: number, unit: Unit = "ascii"): string {
  const char = UNITS[unit];
  const size = Buffer.byteLength(char);
  return char.repeat(Math.floor(bytes / size)) + "a".repeat(bytes % size);
}

/** Escapes that decode to no UTF-8: a bad byte, a bad continuation, an encoded surrogate, cut short, overlong `/`, past U+10FFFF, a bare `%`. */
export const INVALID_ESCAPES = ["%FF", "%C3%28", "%ED%A0%80", "%C3", "%C0%AF", "%F4%90%80%80", "%", "%zz"];

/** Ids of a valid form that Firestore forbids or that a path would misread. */
export const BAD_SHAPES = ["/", "a/b", ".", "..", "__x__", "____", "__a/b__"];

/** Strings with lone surrogates: valid JSON (`"\ud800"`), no UTF-8 form. */
export const LONE_SURROGATES = ["\ud800", "a\udc00b", "😀".slice(0, 1), `${ofBytes(100)}\udfff`];

const segmentOf = (label: string, value: string): OddSegment => ({ label, segment: encodeURIComponent(value), value });

/** A fixed set of odd path segments, one of each kind, for explicit tests. */
export const ODD_SEGMENTS: OddSegment[] = [
  segmentOf("1,536 bytes of 3-byte characters", ofBytes(1536, "euro")),
  segmentOf("2,048 bytes of ASCII", ofBytes(2048)),
  segmentOf("2,048 bytes of emoji", ofBytes(2048, "emoji")),
  segmentOf("1,501 bytes of ASCII", ofBytes(1501)),
  segmentOf("1,025 bytes of 2-byte characters", ofBytes(1025, "latin")),
  ...BAD_SHAPES.map((shape) => segmentOf(JSON.stringify(shape), shape)),
  { label: "`..` as %2E%2E", segment: "%2E%2E", value: ".." },
  ...INVALID_ESCAPES.map((escape) => ({ label: `the escape ${escape}`, segment: `x${escape}y`, value: null })),
];

/** A fixed set of odd ids as strings (callables' data, JSON bodies), one of each kind. */
export const ODD_STRINGS: string[] = [
  ...ODD_SEGMENTS.flatMap(({ value }) => (value === null ? [] : [value])),
  ...LONE_SURROGATES,
];

/**
 * Counts of characters (UTF-16 code units) around the bounds that count characters: a uid's 128,
 * the 512 that chat ids once had (512 three-byte characters are 1,536 bytes, past Firestore's 1,500).
 */
export const EDGE_CHARS = [128, 129, 500, 501, 512, 513];

/** The id that escaped the fuzzer before byte lengths: 512 characters, 1,536 bytes. */
export const BYTES_NOT_CHARACTERS = "€".repeat(512);

const anyBytes = fc.oneof(fc.integer({ min: 0, max: 2048 }), fc.constantFrom(...EDGE_BYTES));
const unit = fc.constantFrom(...(Object.keys(UNITS) as Unit[]));
const edgeChars = fc
  .tuple(fc.constantFrom(...EDGE_CHARS), unit)
  .map(([count, u]) => UNITS[u].repeat(u === "emoji" ? count / 2 : count).slice(0, count))
  .filter((text) => Buffer.byteLength(text) <= 2048);
const idChars = fc.string({ maxLength: 6, unit: fc.constantFrom(..."abcXYZ019-_.~é😀") });

/** Generated odd ids as strings: every length to 2 KiB (in bytes, and in characters near their bounds) in every unit, bad shapes, lone surrogates. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(anyBytes, unit).map(([bytes, u]) => ofBytes(bytes, u)) },
  { weight: 2, arbitrary: edgeChars },
  { weight: 1, arbitrary: fc.tuple(idChars, fc.constantFrom(...BAD_SHAPES), idChars).map(([a, s, b]) => `${a}${s}${b}`) },
  { weight: 1, arbitrary: fc.constantFrom(...BAD_SHAPES) },
  { weight: 1, arbitrary: fc.tuple(idChars, fc.constantFrom(...LONE_SURROGATES)).map(([a, s]) => `${a}${s}`) },
);

/** Whether `text` has a UTF-8 form (no lone surrogate): Buffer turns a lone one into U+FFFD. */
const hasUtf8 = (text: string) => Buffer.from(text, "utf8").toString("utf8") === text;

/** Generated odd path segments: {@link oddString}'s (bar lone surrogates) percent-encoded, encoded dots, invalid escapes. */
export const oddSegment: fc.Arbitrary<OddSegment> = fc.oneof(
  { weight: 4, arbitrary: oddString.filter(hasUtf8).map((s) => segmentOf("generated", s)) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(["%2E", "."], ["%2E%2E", ".."])
      .map(([segment, value]) => ({ label: "encoded dots", segment, value })),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(idChars, fc.constantFrom(...INVALID_ESCAPES), idChars).map(([a, e, b]) => ({
      label: "invalid escape",
      segment: `${encodeURIComponent(a)}${e}${encodeURIComponent(b)}`,
      value: null,
    })),
  },
);

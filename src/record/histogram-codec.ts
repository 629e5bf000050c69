// HdrHistogram's V2 compressed encoding (the base64 text the Java, Go and JS libraries exchange),
// written here for hdr-histogram-js's JsHistogram: the package's codec module also loads pako and its
// WebAssembly build (about 25 ms of CPU at start-up), although under Node it compresses with zlib.
// The output is byte for byte the package's (a test compares them).
import { deflateSync, inflateSync } from 'node:zlib';

/** The parts of a JsHistogram the codec reads and writes (public in the package's JS, not in its types). */
export interface CountsHistogram {
  numberOfSignificantValueDigits: number;
  lowestDiscernibleValue: number;
  highestTrackableValue: number;
  maxValue: number;
  countsArrayIndex(value: number): number;
  getCountAtIndex(index: number): number;
  setCountAtIndex(index: number, count: number): void;
  establishInternalTackingValues(lengthToCover?: number): void;
}

const V2_COOKIE = 0x1c849303 | 0x10;
const V2_COMPRESSED_COOKIE = 0x1c849304 | 0x10;
const HEADER_BYTES = 40;
/** A ZigZag LEB128 word takes up to 9 bytes. */
const MAX_WORD_BYTES = 9;
const TWO_POW_32 = 2 ** 32;

/** ZigZag LEB128 of `value` (a count, or minus a run of zero counts) at `at`; returns the next position. */
function putWord(out: Uint8Array, at: number, value: number): number {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  for (let i = 0; i < 8 && v >= 0x80; i++) {
    out[at++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  out[at++] = v; // the 9th byte carries 8 bits
  return at;
}

function putInt64(view: DataView, at: number, value: number): void {
  view.setUint32(at, Math.floor(value / TWO_POW_32));
  view.setUint32(at + 4, value >>> 0);
}

function grown(data: Uint8Array): Uint8Array {
  const bigger = new Uint8Array(data.length * 2);
  bigger.set(data);
  return bigger;
}

/** The uncompressed V2 form: header, then the counts up to the max value, runs of zeros as one negative word. */
function encodeCounts(h: CountsHistogram): Uint8Array {
  const limit = h.countsArrayIndex(h.maxValue) + 1;
  // Mostly runs of zeros: start small, grow when a word might not fit.
  let out: Uint8Array = new Uint8Array(1024);
  let at = HEADER_BYTES;
  for (let i = 0; i < limit; ) {
    const count = h.getCountAtIndex(i++);
    if (count < 0) throw new Error(`cannot encode a histogram with a negative count (${count}) at index ${i}`);
    let zeros = count === 0 ? 1 : 0;
    while (zeros > 0 && i < limit && h.getCountAtIndex(i) === 0) {
      zeros += 1;
      i += 1;
    }
    if (at + MAX_WORD_BYTES > out.length) out = grown(out);
    at = putWord(out, at, zeros > 1 ? -zeros : count);
  }
  const view = new DataView(out.buffer);
  view.setInt32(0, V2_COOKIE);
  view.setInt32(4, at - HEADER_BYTES);
  view.setInt32(8, 1); // normalizing index offset
  view.setInt32(12, h.numberOfSignificantValueDigits);
  putInt64(view, 16, h.lowestDiscernibleValue);
  putInt64(view, 24, h.highestTrackableValue);
  putInt64(view, 32, 1); // integer to double conversion ratio
  return out.subarray(0, at);
}

export function encodeCompressed(h: CountsHistogram): string {
  const compressed = deflateSync(encodeCounts(h));
  // The package writes into a buffer of at least 16 bytes: kept, so that the text is the same.
  const out = Buffer.alloc(Math.max(16, 8 + compressed.byteLength));
  out.writeInt32BE(V2_COMPRESSED_COOKIE, 0);
  out.writeInt32BE(compressed.byteLength, 4);
  compressed.copy(out, 8);
  return out.toString('base64');
}

const int64At = (data: Buffer, at: number): number => data.readUInt32BE(at) * TWO_POW_32 + data.readUInt32BE(at + 4);

/** The histogram `text` encodes, built by `make` for the encoded range and precision, then filled. */
export function decodeCompressed(text: string, make: (lowest: number, highest: number, digits: number) => CountsHistogram): CountsHistogram {
  const packed = Buffer.from(text.trim(), 'base64');
  if (packed.length < 8 || (packed.readInt32BE(0) & ~0xf0) !== 0x1c849304) throw new Error('not a compressed V2 HdrHistogram encoding');
  const data = inflateSync(packed.subarray(8, 8 + packed.readInt32BE(4)));
  if (data.length < HEADER_BYTES || (data.readInt32BE(0) & ~0xf0) !== 0x1c849303) throw new Error('not a V2 HdrHistogram encoding');
  const h = make(int64At(data, 16), int64At(data, 24), data.readInt32BE(12));
  const end = HEADER_BYTES + data.readInt32BE(4);
  let index = 0;
  for (let at = HEADER_BYTES; at < end; ) {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < MAX_WORD_BYTES; i++) {
      const byte = data[at++]!;
      v += (byte & 0x7f) * scale;
      scale *= 0x80;
      if ((byte & 0x80) === 0) break;
    }
    const word = v % 2 === 0 ? v / 2 : -(v + 1) / 2;
    if (word < 0) index += -word;
    else h.setCountAtIndex(index++, word);
  }
  h.establishInternalTackingValues(index);
  return h;
}

/**
 * The byte layers under a browser sync item (format 1): text → bytes with
 * the common Chinese characters in one or two bytes, deflate, and an ASCII
 * encoding of the result that costs one byte a character in the browser's
 * quota. Each decoder checks everything and throws {@link DamagedItemError}
 * on input no encoder could have made.
 */
import { CHARACTER_TABLE } from './browser-sync-hanzi';

/** What a decoder throws on input that is not what the encoder makes. */
export class DamagedItemError extends Error {
  override name = 'DamagedItemError';
}

// --- Text ↔ bytes -----------------------------------------------------------
// 0x20–0x7F: ASCII as itself (JSON structure, ids, digits, English).
// 0x80–0xFF: the 128 most frequent characters of the table.
// 0x01–LEADS, then one byte: the rest of the table, 256 per lead byte.
// 0x00, then two bytes: any other UTF-16 code unit, big-endian. JSON text
// has no raw control characters, so bytes below 0x20 are free for this.
const SINGLE_BYTE_RANKS = 128;
const LEADS = Math.ceil((CHARACTER_TABLE.length - SINGLE_BYTE_RANKS) / 256);
const ESCAPE = 0x00;

let ranks: Map<number, number> | undefined;
function rankOf(codeUnit: number): number | undefined {
  ranks ??= new Map([...CHARACTER_TABLE].map((char, rank) => [char.charCodeAt(0), rank]));
  return ranks.get(codeUnit);
}

/** Any string (lone surrogates included) as bytes; {@link bytesToText} restores it exactly. */
export function textToBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 3);
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x20 && unit < 0x80) {
      out[length++] = unit;
      continue;
    }
    const rank = rankOf(unit);
    if (rank !== undefined && rank < SINGLE_BYTE_RANKS) {
      out[length++] = 0x80 + rank;
    } else if (rank !== undefined) {
      const offset = rank - SINGLE_BYTE_RANKS;
      out[length++] = 1 + (offset >> 8);
      out[length++] = offset & 0xff;
    } else {
      out[length++] = ESCAPE;
      out[length++] = unit >> 8;
      out[length++] = unit & 0xff;
    }
  }
  return out.subarray(0, length);
}

/** The inverse of {@link textToBytes}. */
export function bytesToText(bytes: Uint8Array): string {
  const units = new Uint16Array(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x80) {
      units[length++] = CHARACTER_TABLE.charCodeAt(byte - 0x80);
    } else if (byte >= 0x20) {
      units[length++] = byte;
    } else if (byte === ESCAPE) {
      if (i + 2 >= bytes.length) throw new DamagedItemError('text ends inside an escape');
      units[length++] = (bytes[i + 1]! << 8) | bytes[i + 2]!;
      i += 2;
    } else if (byte <= LEADS) {
      if (i + 1 >= bytes.length) throw new DamagedItemError('text ends inside a character');
      const rank = SINGLE_BYTE_RANKS + ((byte - 1) << 8) + bytes[i + 1]!;
      if (rank >= CHARACTER_TABLE.length) throw new DamagedItemError('unknown character code');
      units[length++] = CHARACTER_TABLE.charCodeAt(rank);
      i += 1;
    } else {
      throw new DamagedItemError('unknown text byte');
    }
  }
  // In slices: String.fromCharCode takes its arguments on the stack.
  let text = '';
  for (let start = 0; start < length; start += 8192) {
    text += String.fromCharCode(...units.subarray(start, Math.min(start + 8192, length)));
  }
  return text;
}

// --- Bytes ↔ ASCII (base 85) ------------------------------------------------
// Four bytes in five characters: 6.4 bits a quota byte, against base64's 6.
// Chrome counts the JSON text of a value, so the alphabet leaves out `"` and
// `\` (escaped by any JSON writer) and `<` (written as \u003C by Chrome's).
const ALPHABET = '!#$%&()*+,-./0123456789:;=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz';
const DIGIT = new Map([...ALPHABET].map((char, value) => [char.charCodeAt(0), value]));

/** Bytes as base-85 text: full groups of four bytes as five characters, a last group of n bytes as n + 1. */
export function bytesToAscii(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const group = Math.min(4, bytes.length - i);
    let value = 0;
    for (let j = 0; j < 4; j++) value = value * 256 + (j < group ? bytes[i + j]! : 0);
    const digits = new Array<string>(5);
    for (let j = 4; j >= 0; j--) {
      digits[j] = ALPHABET[value % 85]!;
      value = Math.floor(value / 85);
    }
    out += digits.slice(0, group + 1).join('');
  }
  return out;
}

/** The inverse of {@link bytesToAscii}. */
export function asciiToBytes(text: string): Uint8Array {
  if (text.length % 5 === 1) throw new DamagedItemError('base-85 text has a stray character');
  const out = new Uint8Array(Math.floor(text.length / 5) * 4 + Math.max(0, (text.length % 5) - 1));
  let length = 0;
  for (let i = 0; i < text.length; i += 5) {
    const chars = Math.min(5, text.length - i);
    let value = 0;
    for (let j = 0; j < 5; j++) {
      // A short last group is padded with the largest digit, as in Ascii85.
      const digit = j < chars ? DIGIT.get(text.charCodeAt(i + j)) : 84;
      if (digit === undefined) throw new DamagedItemError('not a base-85 character');
      value = value * 85 + digit;
    }
    if (value > 0xffffffff) throw new DamagedItemError('base-85 group out of range');
    for (let j = 0; j < chars - 1; j++) out[length++] = Math.floor(value / 256 ** (3 - j)) % 256;
  }
  return out;
}

// --- Deflate ----------------------------------------------------------------

/** Raw deflate through the platform's CompressionStream (service workers, pages, Node 18+). */
export async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  return pipe(bytes, new CompressionStream('deflate-raw'), Infinity);
}

/** Raw inflate that stops at `maxBytes` of output, so a crafted item cannot exhaust memory. */
export async function inflate(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  try {
    return await pipe(bytes, new DecompressionStream('deflate-raw'), maxBytes);
  } catch (error) {
    throw error instanceof DamagedItemError ? error : new DamagedItemError(`not deflate data (${String(error)})`);
  }
}

async function pipe(bytes: Uint8Array, transform: TransformStream<BufferSource, Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const writer = transform.writable.getWriter();
  // Not awaited before reading: a full output queue would block the write.
  const written = writer.write(bytes as BufferSource).then(() => writer.close());
  written.catch(() => undefined); // the reader below reports the same failure
  const reader = transform.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new DamagedItemError(`expands past ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  await written;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

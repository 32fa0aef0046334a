/**
 * Reading untrusted JSON text within limits (issue #5: a bad import file
 * gets a clear error, never a hung or poisoned background). Everything that
 * can be checked without building objects is checked first, in one linear
 * scan of the text: its size, how deeply it nests, how long its strings are
 * and which keys it uses (escapes decoded as JSON.parse decodes them). Only
 * then is it parsed — without a reviver, which would call back for every
 * value and triple the parse time of a large library (and JSON.parse makes
 * `__proto__` an ordinary own key anyway; the scan has refused it already).
 */

/** What a text may hold. */
export interface JsonLimits {
  /** Largest size in UTF-8 bytes. */
  maxBytes: number;
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
  /** Longest string, in characters (UTF-16 code units, as JavaScript counts). */
  maxStringLength: number;
  /** Keys that are refused anywhere (`__proto__` and friends). */
  forbiddenKeys: ReadonlySet<string>;
}

/** Why a text was refused; `message` is a sentence for the reader. */
export class JsonLimitError extends Error {
  override readonly name = 'JsonLimitError';
}

/** Parses `text` after checking it against `limits`; throws {@link JsonLimitError} in words. */
export function parseLimitedJson(text: string, limits: JsonLimits): unknown {
  checkSize(text, limits.maxBytes);
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const start = body.search(/\S/);
  if (start === -1) throw new JsonLimitError('The file is empty.');
  if (body[start] !== '{' && body[start] !== '[') {
    const opening = body.slice(start, start + 30).replace(/\s+/g, ' ');
    throw new JsonLimitError(`The file is not JSON: it begins with “${opening}”.`);
  }
  scanJson(body, limits);
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    throw new JsonLimitError(`The file is not valid JSON: ${describeSyntaxError(body, error)}.`);
  }
}

/** Refuses a text over the size limit before looking at its content. */
function checkSize(text: string, maxBytes: number): void {
  // Each UTF-16 code unit is at least one UTF-8 byte and at most three.
  if (text.length * 3 <= maxBytes) return;
  const bytes = utf8Length(text);
  if (bytes <= maxBytes) return;
  const limit = `${megabytes(maxBytes, 0)} MB`;
  // A file just over the limit must not read as being the limit.
  const size = Number(megabytes(bytes)) > maxBytes / MEGABYTE ? `${megabytes(bytes)} MB` : `just over ${limit}`;
  throw new JsonLimitError(`The file is ${size}; the largest import accepted is ${limit}.`);
}

/** UTF-8 size, measured natively (a Blob encodes its text as UTF-8): a loop in script took ~40 ms per 10 MB. */
function utf8Length(text: string): number {
  return new Blob([text]).size;
}

const MEGABYTE = 1024 * 1024;

function megabytes(bytes: number, digits = 1): string {
  return (bytes / MEGABYTE).toFixed(digits);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const COLON = 0x3a;

/**
 * One pass over the text outside and inside strings: counts nesting and
 * lines, measures each string as JSON.parse will decode it, and checks each
 * key. Malformed JSON is left for JSON.parse to report.
 */
function scanJson(text: string, limits: JsonLimits): void {
  let depth = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === QUOTE) {
      const end = scanString(text, i, line, limits.maxStringLength);
      if (isKey(text, end + 1)) checkKey(text.slice(i, end + 1), line, limits.forbiddenKeys);
      i = end;
    } else if (unit === NEWLINE) {
      line += 1;
    } else if (unit === 0x7b || unit === 0x5b) {
      depth += 1;
      if (depth > limits.maxDepth) {
        throw new JsonLimitError(`Line ${line}: the file nests more than ${limits.maxDepth} levels deep; an export never does.`);
      }
    } else if (unit === 0x7d || unit === 0x5d) {
      depth -= 1;
    }
  }
}

/** The index of the quote closing the string opened at `open`; refuses one longer than `max`. */
function scanString(text: string, open: number, line: number, max: number): number {
  let length = 0;
  let i = open + 1;
  for (; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === QUOTE) break;
    if (unit === NEWLINE) return i - 1; // a raw newline ends a malformed string; the caller counts the line
    // An escape decodes to one code unit: `\uXXXX` spans six characters, the others two.
    if (unit === BACKSLASH) i += text.charCodeAt(i + 1) === 0x75 ? 5 : 1;
    length += 1;
  }
  if (length > max) {
    throw new JsonLimitError(
      `Line ${line}: a text is ${length.toLocaleString('en-US')} characters long; the longest accepted is ${max.toLocaleString('en-US')}.`,
    );
  }
  return Math.min(i, text.length - 1);
}

/** Whether the string ending before `from` is an object key (a colon follows it). */
function isKey(text: string, from: number): boolean {
  let i = from;
  // JSON's whitespace is these four (a regex test per string cost a third of the scan).
  for (let unit = text.charCodeAt(i); unit === 0x20 || unit === 0x0a || unit === 0x0d || unit === 0x09; unit = text.charCodeAt(++i));
  return text.charCodeAt(i) === COLON;
}

function checkKey(quoted: string, line: number, forbidden: ReadonlySet<string>): void {
  let key = quoted.slice(1, -1);
  if (key.includes('\\')) {
    // Escapes could spell a forbidden key; decode them as JSON.parse will.
    try {
      key = String(JSON.parse(quoted));
    } catch {
      return; // a malformed escape: JSON.parse reports it with its position
    }
  }
  if (forbidden.has(key)) throw new JsonLimitError(`Line ${line}: the key "${key}" is not allowed.`);
}

/** JSON.parse's complaint with a line and column instead of a character position. */
function describeSyntaxError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  const detail = message.replace(/\s*in JSON at position \d+.*$/s, '').slice(0, 160);
  if (!position) return detail;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${detail}`;
}

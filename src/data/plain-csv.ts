/**
 * A column-wise, typed reader for plain CSV files: the fast path of readTable (read-table.ts).
 * It reads the bytes itself, keeps only the wanted columns, and parses numbers straight from the
 * bytes into Float64Arrays: no DuckDB round trip, no string per numeric cell, no row objects.
 *
 * Inputs:  the path (uncompressed .csv/.tsv/.txt), the header's column names as csvTextSource
 *          (csv-text.ts) split them, the names wanted, and the delimiter.
 * Output:  { nrow, columns } typed exactly as read-table.ts's DuckDB path types them
 *          (typedCsvColumn: numbers, else R logicals, else text; "NA" and empty are missing),
 *          or null when the file is not "plain" and the DuckDB path must read it.
 * Method:  "plain" is a file this reader is sure to split as DuckDB's read_csv with the fixed
 *          dialect does (quote and escape '"', header line, strict): valid UTF-8 without NUL
 *          bytes; one line ending throughout (LF, or CRLF as the header has it); every record
 *          on one line (a quoted field holding a line break is left to DuckDB); a quote only
 *          opening a field and closing it before a delimiter or the line end; every record
 *          with exactly the header's number of fields (no blank lines). Anything else returns
 *          null, so every malformed file keeps DuckDB's own error, with its line.
 *          Pass 1 parses each wanted column as numbers while every non-missing cell is one, by
 *          read.csv's rule (csv-text.ts NUMBER: blanks, sign, digits, point, exponent). A
 *          number with at most 15 significant digits and a decimal exponent within +-22 is
 *          mantissa x 10^e or mantissa / 10^e: both operands are exact doubles, so the one
 *          rounding is the correctly rounded value, as Number(text) gives (Clinger's fast
 *          path); any other number goes through Number(text). Pass 2, only for the columns a
 *          non-number made text, reads their cells as strings.
 *          The file is read in chunks cut after a line feed, so memory holds one chunk plus the
 *          columns.
 * Reference: RFC 4180; W. D. Clinger, "How to read floating point numbers accurately", PLDI
 *          1990 (the exact fast path); R utils::read.csv / type.convert.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import type { Column } from '../core/types.js';
import { isCsvMissing } from './csv-text.js';
import { GrowableFloat64 } from './growable-float64.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const SPACE = 0x20;
const TAB = 0x09;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** 10^0 .. 10^22: every one an exact double. */
const POW10 = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

const CHUNK_BYTES = 8 << 20;

/** Why a file is not plain: the caller falls back to DuckDB, which reports the real problem. */
class NotPlain extends Error {}
const NOT_PLAIN = new NotPlain('not a plain CSV');

/**
 * The number read.csv reads from bytes [a, z) of `b` (no quotes inside), or NaN when the cell is
 * not a number by csv-text.ts's rule. Equal to parseCsvNumber(text) for every text.
 */
export function parseNumberBytes(b: Buffer, a: number, z: number): number {
  let p = a;
  while (p < z && (b[p] === SPACE || b[p] === TAB)) p++;
  let negative = false;
  if (p < z && (b[p] === PLUS || b[p] === MINUS)) { negative = b[p] === MINUS; p++; }
  let mantissa = 0;
  let significant = 0;
  let digits = 0;
  let fractionDigits = 0;
  while (p < z) {
    const c = b[p]!;
    if (c < ZERO || c > NINE) break;
    if (significant > 0 || c !== ZERO) { significant++; if (significant <= 15) mantissa = mantissa * 10 + (c - ZERO); }
    digits++;
    p++;
  }
  if (p < z && b[p] === DOT) {
    p++;
    while (p < z) {
      const c = b[p]!;
      if (c < ZERO || c > NINE) break;
      if (significant > 0 || c !== ZERO) { significant++; if (significant <= 15) { mantissa = mantissa * 10 + (c - ZERO); fractionDigits++; } }
      else fractionDigits++;
      digits++;
      p++;
    }
  }
  if (digits === 0) return NaN;
  let exponent = 0;
  if (p < z && (b[p] === LOWER_E || b[p] === UPPER_E)) {
    p++;
    let expNegative = false;
    if (p < z && (b[p] === PLUS || b[p] === MINUS)) { expNegative = b[p] === MINUS; p++; }
    let expDigits = 0;
    while (p < z) {
      const c = b[p]!;
      if (c < ZERO || c > NINE) break;
      if (exponent < 100_000) exponent = exponent * 10 + (c - ZERO);
      expDigits++;
      p++;
    }
    if (expDigits === 0) return NaN;
    if (expNegative) exponent = -exponent;
  }
  while (p < z && (b[p] === SPACE || b[p] === TAB)) p++;
  if (p !== z) return NaN;
  // Past 15 significant digits the mantissa above is incomplete: Number() reads those.
  const e10 = exponent - fractionDigits;
  if (significant <= 15 && e10 >= -22 && e10 <= 22) {
    const value = e10 >= 0 ? mantissa * POW10[e10]! : mantissa / POW10[-e10]!;
    return negative ? -value : value;
  }
  return Number(b.toString('latin1', a, z));
}

/** Receives each wanted cell of one record: slot (index into `wanted`), value bytes [a, z) (quotes removed), whether it holds "" escapes. */
type CellSink = (slot: number, b: Buffer, a: number, z: number, escaped: boolean) => void;

/**
 * Splits every data record of the file (see the header for what "plain" requires) and hands the
 * wanted cells to `sink`; the number of data records. Throws NOT_PLAIN for anything else.
 * `slotOf[j]` is the wanted slot of field j, or -1.
 */
function scanPlainCsv(path: string, fields: number, delim: number, slotOf: Int32Array, sink: CellSink): number {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let have = 0; // bytes in buf
    let eof = false;
    let header = true;
    let crlf = false;
    let records = 0;
    let first = true;
    for (;;) {
      if (!eof && have < buf.length) {
        const n = readSync(fd, buf, have, buf.length - have, null);
        if (n === 0) eof = true;
        have += n;
      }
      let start = 0;
      if (first) {
        first = false;
        if (have >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
      }
      // The region handed to the splitter ends after the last line feed (or at the end of file).
      let end = buf.lastIndexOf(LF, have - 1) + 1;
      if (eof) end = have;
      if (end <= start) {
        if (eof) break;
        // One line longer than the buffer: grow it and read on.
        if (have === buf.length) { const bigger = Buffer.allocUnsafe(buf.length * 2); buf.copy(bigger, 0, 0, have); buf = bigger; }
        continue;
      }
      const region = buf.subarray(start, end);
      if (region.indexOf(0) >= 0 || !isUtf8(region)) throw NOT_PLAIN;
      let p = start;
      while (p < end) {
        // One record: `fields` fields, then LF (or CRLF), or the end of the file.
        let field = 0;
        for (;;) {
          let a: number;
          let z: number;
          let escaped = false;
          if (p < end && buf[p] === QUOTE) {
            a = p + 1;
            let q = a;
            for (;;) {
              if (q >= end) throw NOT_PLAIN; // unterminated, or a line break inside quotes
              const c = buf[q]!;
              if (c === QUOTE) {
                if (q + 1 < end && buf[q + 1] === QUOTE) { escaped = true; q += 2; continue; }
                break;
              }
              if (c === LF || c === CR) throw NOT_PLAIN;
              q++;
            }
            z = q;
            p = q + 1;
          } else {
            a = p;
            while (p < end) {
              const c = buf[p]!;
              if (c === delim || c === LF || c === CR) break;
              if (c === QUOTE) throw NOT_PLAIN;
              p++;
            }
            z = p;
          }
          if (!header) {
            const slot = field < fields ? slotOf[field]! : -1;
            if (slot >= 0) sink(slot, buf, a, z, escaped);
          }
          field++;
          if (p < end && buf[p] === delim) { p++; continue; }
          // The end of the record.
          let lineEnd: 'lf' | 'crlf' | 'eof';
          if (p >= end) lineEnd = 'eof';
          else if (buf[p] === LF) { lineEnd = 'lf'; p++; }
          else if (buf[p] === CR && p + 1 < end && buf[p + 1] === LF) { lineEnd = 'crlf'; p += 2; }
          else throw NOT_PLAIN; // a lone CR, or text after a closing quote
          if (header) crlf = lineEnd === 'crlf';
          else if (lineEnd !== 'eof' && (lineEnd === 'crlf') !== crlf) throw NOT_PLAIN;
          if (lineEnd === 'eof' && !eof) throw NOT_PLAIN; // cannot happen: regions end after a line feed
          break;
        }
        if (field !== fields) throw NOT_PLAIN;
        if (header) header = false;
        else records++;
      }
      if (eof) break;
      // Keep the bytes after the region (a partial line) for the next read.
      buf.copy(buf, 0, end, have);
      have -= end;
    }
    if (header) throw NOT_PLAIN; // no header record at all: DuckDB's message applies
    return records;
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the wanted columns of a plain CSV (see the header), or returns null when the file is
 * not plain (the caller then reads it with DuckDB).
 */
export function readPlainCsv(path: string, names: readonly string[], wanted: readonly string[], delimiter: string): { nrow: number; columns: Map<string, Column> } | null {
  // A one-column file may hold blank lines (one empty field each): DuckDB decides what they are.
  if (/\.gz$/i.test(path) || delimiter.length !== 1 || wanted.length === 0 || names.length < 2) return null;
  const slotOf = new Int32Array(names.length).fill(-1);
  wanted.forEach((name, k) => { slotOf[names.indexOf(name)] = k; });
  const delim = delimiter.charCodeAt(0);
  const numbers = wanted.map(() => new GrowableFloat64(1 << 16));
  const text = wanted.map(() => false);
  let nrow: number;
  try {
    nrow = scanPlainCsv(path, names.length, delim, slotOf, (slot, b, a, z, escaped) => {
      if (text[slot]) return;
      const out = numbers[slot]!;
      // Missing: an empty field (quoted or not) or NA.
      if (z === a || (z - a === 2 && b[a] === 0x4e && b[a + 1] === 0x41)) { out.push(NaN); return; }
      const x = escaped ? NaN : parseNumberBytes(b, a, z);
      if (Number.isNaN(x)) text[slot] = true;
      else out.push(x);
    });
    if (text.some((t) => t)) {
      const strings = wanted.map((_, k) => (text[k] ? new Array<string | null>(nrow) : null));
      const row = new Int32Array(wanted.length);
      scanPlainCsv(path, names.length, delim, slotOf, (slot, b, a, z, escaped) => {
        const out = strings[slot];
        if (out === null || out === undefined) return;
        let s = b.toString('utf8', a, z);
        if (escaped) s = s.replaceAll('""', '"');
        out[row[slot]!++] = isCsvMissing(s) ? null : s;
      });
      const columns = new Map<string, Column>();
      wanted.forEach((name, k) => columns.set(name, text[k] ? textColumn(strings[k]!) : { kind: 'number', values: numbers[k]!.finish(nrow) }));
      return { nrow, columns };
    }
  } catch (err) {
    if (err === NOT_PLAIN) return null;
    throw err;
  }
  const columns = new Map<string, Column>();
  wanted.forEach((name, k) => columns.set(name, { kind: 'number', values: numbers[k]!.finish(nrow) }));
  return { nrow, columns };
}

const R_TRUE = new Set(['TRUE', 'true', 'True', 'T']);
const R_FALSE = new Set(['FALSE', 'false', 'False', 'F']);

/** A column of cells that are not all numbers: R logical when every value is a logical spelling, else text. */
export function textColumn(values: (string | null)[]): Column {
  let any = false;
  for (const v of values) {
    if (v === null) continue;
    if (!R_TRUE.has(v) && !R_FALSE.has(v)) return { kind: 'string', values };
    any = true;
  }
  if (!any) return { kind: 'string', values };
  return { kind: 'logical', values: Float64Array.from(values, (v) => (v === null ? NaN : R_TRUE.has(v) ? 1 : 0)) };
}

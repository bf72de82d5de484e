/**
 * The PUF validation report: what an ingest found wrong or notable in a .dat, so that nothing is
 * dropped or altered silently.
 *
 * Input:  (1) every record's bytes, as they stream past (LineChecks: record length, bytes that are
 *         not UTF-8, control bytes), and (2) the written `puf` table, queried with SQL afterwards
 *         (codes outside closed value-label lists, items blank in every row, diagnosis years,
 *         blank PUF_VITAL_STATUS by year).
 * Output: a plain ValidationReport (JSON-ready) and formatValidationSummary's readable text.
 * Policy (documented in `policy` of the report, for the user):
 *   - every line is written; none is dropped. A line shorter than lrecl is written with the items
 *     it does not reach left blank (NULL), as SAS INFILE TRUNCOVER reads it; a longer line is
 *     written with the bytes past lrecl ignored, as SAS reads it with lrecl. Both are listed.
 *   - bytes >= 0x80 are read as Latin-1, one character per byte, so columns keep their byte
 *     positions; lines with bytes that are not valid UTF-8 are listed with the first bad column.
 *   - control bytes (< 0x20, other than the line ending) become U+FFFD and are listed.
 *   Lists are capped at `listLimit` entries; counts are always complete.
 * Reference: NCDB PUF 2021 data dictionary (closed code lists via the import script's formats).
 */
import { isUtf8 } from 'node:buffer';

export const DEFAULT_LIST_LIMIT = 100;

export interface LineIssue {
  line: number;
  /** Record length in bytes (wrong-length lines), or the 1-based column of the first bad byte. */
  length?: number;
  column?: number;
  /** The offending byte in hex, e.g. "e9". */
  byte?: string;
}

export interface CodeCount {
  code: string;
  count: number;
}

export interface ValidationReport {
  file: string;
  layout: string;
  recordLength: number;
  /** Lines read and rows written (always equal: nothing is dropped). */
  lines: number;
  written: number;
  bytes: number;
  policy: string[];
  listLimit: number;
  wrongLength: { count: number; shorter: number; longer: number; lines: LineIssue[] };
  nonUtf8: { count: number; lines: LineIssue[] };
  /** Lines with bytes >= 0x80 that do form valid UTF-8: still read one byte per character. */
  nonAsciiUtf8: { count: number; lines: LineIssue[] };
  controlBytes: { count: number; lines: LineIssue[] };
  /** Items with a closed code list holding codes that have no label. */
  unknownCodes: { item: string; format: string; rows: number; codes: CodeCount[] }[];
  /** Items blank in every row. */
  blankItems: string[];
  diagnosisYears: { min: number | null; max: number | null; rowsByYear: { year: string | null; rows: number }[] };
  /** Rows with blank PUF_VITAL_STATUS, by diagnosis year (NCDB blanks survival for the last year). */
  blankVitalStatusByYear: { year: string | null; blank: number; rows: number }[];
  notes: string[];
}

export const INGEST_POLICY: readonly string[] = [
  'Every line of the .dat is written as one row; the row keeps its line number in column _LINE.',
  'Codes are kept exactly as given, except that trailing blanks are removed; an all-blank field is NULL.',
  'A line shorter than the record length is written with the items it does not reach as NULL (SAS TRUNCOVER); a longer line is written ignoring bytes past the record length. Both are listed under wrongLength.',
  'Bytes >= 0x80 are read as Latin-1 (one character per byte) so columns keep their positions; lines that are not valid UTF-8 are listed under nonUtf8, and lines whose non-ASCII bytes are valid UTF-8 (which then read as two or more Latin-1 characters) under nonAsciiUtf8.',
  'Control bytes inside a record are written as U+FFFD and listed under controlBytes.',
];

/** Line-level checks, fed every record as it streams past. */
export class LineChecks {
  lines = 0;
  readonly wrongLength = { count: 0, shorter: 0, longer: 0, lines: [] as LineIssue[] };
  readonly nonUtf8 = { count: 0, lines: [] as LineIssue[] };
  readonly nonAsciiUtf8 = { count: 0, lines: [] as LineIssue[] };
  /** Counts of the wrong lengths seen (at most 1,000 distinct), to spot a wrong import script. */
  readonly wrongLengths = new Map<number, number>();
  readonly controlBytes = { count: 0, lines: [] as LineIssue[] };
  constructor(readonly recordLength: number, readonly listLimit = DEFAULT_LIST_LIMIT) {}

  /** A 32-bit view of the last buffer seen, for printableAscii. */
  private words: { buf: Buffer; view: Uint32Array; first: number } | null = null;

  /**
   * True when every byte of buf[start, end) is printable ASCII (0x20-0x7e), the case of nearly
   * every record: tested four bytes at a time with the bit tricks "has a byte >= 0x80", "has a
   * byte < 0x20" (exact when no byte is >= 0x80) and "has a byte equal to 0x7f"
   * (S. E. Anderson, Bit Twiddling Hacks: haszero / hasless).
   */
  private printableAscii(buf: Buffer, start: number, end: number): boolean {
    let w = this.words;
    if (w === null || w.buf !== buf) {
      const first = (buf.byteOffset + 3) & ~3; // first 4-aligned byte offset in the ArrayBuffer
      const count = Math.max(0, Math.floor((buf.byteOffset + buf.length - first) / 4));
      w = { buf, view: new Uint32Array(buf.buffer, first, count), first: first - buf.byteOffset };
      this.words = w;
    }
    const printable = (b: number): boolean => b >= 0x20 && b < 0x7f;
    let k = start;
    // bytes before the first aligned word
    while (k < end && ((k - w.first) & 3) !== 0) { if (!printable(buf[k]!)) return false; k++; }
    const view = w.view;
    let word = (k - w.first) >> 2;
    const lastWord = ((end - w.first) >> 2) - 1;
    for (; word <= lastWord; word++) {
      const v = view[word]!;
      const t = v ^ 0x7f7f7f7f;
      if (((v & 0x80808080) | ((v - 0x20202020) & ~v & 0x80808080) | ((t - 0x01010101) & ~t & 0x80808080)) !== 0) return false;
    }
    for (k = Math.max(k, w.first + 4 * word); k < end; k++) if (!printable(buf[k]!)) return false;
    return true;
  }

  /**
   * Checks one record; returns true when it holds bytes that cannot be copied as they are
   * (non-ASCII or control bytes), which the writer then transcodes.
   */
  check(buf: Buffer, start: number, end: number, line: number): boolean {
    this.lines++;
    const len = end - start;
    if (len !== this.recordLength) {
      const w = this.wrongLength;
      w.count++;
      if (len < this.recordLength) w.shorter++;
      else w.longer++;
      if (w.lines.length < this.listLimit) w.lines.push({ line, length: len });
      if (this.wrongLengths.size < 1000 || this.wrongLengths.has(len)) this.wrongLengths.set(len, (this.wrongLengths.get(len) ?? 0) + 1);
    }
    if (this.printableAscii(buf, start, end)) return false;
    let special = -1;
    for (let k = start; k < end; k++) {
      const b = buf[k]!;
      if (b >= 0x80 || b < 0x20 || b === 0x7f) { special = k; break; }
    }
    if (special < 0) return false;
    let firstControl = -1;
    for (let k = special; k < end; k++) {
      const b = buf[k]!;
      if (b < 0x20 || b === 0x7f) { firstControl = k; break; }
    }
    if (firstControl >= 0) {
      this.controlBytes.count++;
      if (this.controlBytes.lines.length < this.listLimit) this.controlBytes.lines.push({ line, column: firstControl - start + 1, byte: buf[firstControl]!.toString(16).padStart(2, '0') });
    }
    const rec = buf.subarray(start, end);
    let firstHigh = -1;
    for (let k = 0; k < rec.length; k++) if (rec[k]! >= 0x80) { firstHigh = k; break; }
    if (firstHigh < 0) return true;
    if (!isUtf8(rec)) {
      this.nonUtf8.count++;
      if (this.nonUtf8.lines.length < this.listLimit) {
        const k = firstInvalidUtf8(rec);
        this.nonUtf8.lines.push({ line, column: k + 1, byte: rec[k]!.toString(16).padStart(2, '0') });
      }
    } else {
      this.nonAsciiUtf8.count++;
      if (this.nonAsciiUtf8.lines.length < this.listLimit) this.nonAsciiUtf8.lines.push({ line, column: firstHigh + 1, byte: rec[firstHigh]!.toString(16).padStart(2, '0') });
    }
    return true;
  }
}

/** 0-based index of the first byte that starts an invalid UTF-8 sequence (RFC 3629). */
export function firstInvalidUtf8(b: Uint8Array): number {
  let k = 0;
  while (k < b.length) {
    const c = b[k]!;
    if (c < 0x80) { k++; continue; }
    let n: number;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) n = 2;
    else if (c >= 0xf0 && c <= 0xf4) n = 3;
    else return k;
    if (k + n >= b.length) return k; // sequence cut short by the end of the record
    for (let j = 1; j <= n; j++) if ((b[k + j]! & 0xc0) !== 0x80) return k;
    const c1 = b[k + 1]!;
    // Overlong forms and UTF-16 surrogates are invalid too (RFC 3629 table 3-7).
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f) || (c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f)) return k;
    k += n + 1;
  }
  return b.length > 0 ? b.length - 1 : 0;
}

/** A short readable summary of a report, for the terminal. */
export function formatValidationSummary(r: ValidationReport): string {
  const out: string[] = [];
  const lines = (xs: LineIssue[], what: (x: LineIssue) => string): string => xs.slice(0, 10).map(what).join(', ') + (xs.length > 10 ? ', ...' : '');
  out.push(`${r.file}: ${r.lines} lines read, ${r.written} rows written (record length ${r.recordLength}, layout ${r.layout})`);
  if (r.diagnosisYears.min !== null) out.push(`diagnosis years ${r.diagnosisYears.min}-${r.diagnosisYears.max}`);
  if (r.wrongLength.count > 0) out.push(`${r.wrongLength.count} line(s) of the wrong length (${r.wrongLength.shorter} short, ${r.wrongLength.longer} long): line ${lines(r.wrongLength.lines, (x) => `${x.line} (${x.length} bytes)`)}`);
  if (r.nonUtf8.count > 0) out.push(`${r.nonUtf8.count} line(s) with bytes that are not UTF-8 (read as Latin-1): line ${lines(r.nonUtf8.lines, (x) => `${x.line} col ${x.column} (0x${x.byte})`)}`);
  if (r.nonAsciiUtf8.count > 0) out.push(`${r.nonAsciiUtf8.count} line(s) with UTF-8 characters (read byte by byte, as Latin-1): line ${lines(r.nonAsciiUtf8.lines, (x) => `${x.line} col ${x.column}`)}`);
  if (r.controlBytes.count > 0) out.push(`${r.controlBytes.count} line(s) with control bytes (written as U+FFFD): line ${lines(r.controlBytes.lines, (x) => `${x.line} col ${x.column} (0x${x.byte})`)}`);
  for (const u of r.unknownCodes) out.push(`${u.item}: ${u.rows} row(s) with codes not in ${u.format}: ${u.codes.slice(0, 8).map((c) => `"${c.code}" x${c.count}`).join(', ')}${u.codes.length > 8 ? ', ...' : ''}`);
  if (r.blankItems.length > 0) out.push(`${r.blankItems.length} item(s) blank in every row${r.blankItems.length <= 12 ? `: ${r.blankItems.join(' ')}` : ''}`);
  const vs = r.blankVitalStatusByYear.filter((v) => v.blank > 0);
  if (vs.length > 0) out.push(`blank PUF_VITAL_STATUS: ${vs.map((v) => `${v.year ?? 'no year'}: ${v.blank}/${v.rows}`).join(', ')}`);
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n');
}

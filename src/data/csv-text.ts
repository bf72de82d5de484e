/**
 * The one way oncosurv reads a CSV: every column as text, with a fixed dialect, from the literal
 * path the user gave. Both readTable (data/read-table.ts) and the PUF opener (ncdb/puf-table.ts)
 * use it; numbers are parsed afterwards by parseCsvNumber, so an error can name its row.
 *
 * Inputs:  a path ending in .csv, .csv.gz, .txt (comma-separated) or .tsv (tab-separated).
 * Outputs: the header's column names and a DuckDB `read_csv(...)` expression over the file with
 *          each column VARCHAR (empty unquoted fields NULL), plus a `release` that removes any
 *          temporary link made for the path.
 * Method:  the header is split here, by RFC 4180 quoting rules, and checked: no duplicate names
 *          (R's read.csv would silently rename the second "x" to "x.1"), no empty file. DuckDB then
 *          reads with auto_detect = false, so none of its sniffer's guesses apply:
 *            - no comment character: a field starting with "#" (Excel's "#N/A") is a value;
 *            - no type sampling: a 12.5 in row 25,000 of a column of integers stays "12.5";
 *            - no dialect guess: a ragged line is an error naming its line, not a silent fall-back
 *              to one column.
 *          DuckDB expands glob characters (* ? [ ] { }) in a path. A path holding any of them is
 *          read through a symbolic link with a plain name in a private temporary folder, so
 *          "d[1].csv" reads d[1].csv and never d1.csv.
 * Reference: RFC 4180; R utils::read.csv (header, quote = "\"", na.strings = "NA");
 *            DuckDB read_csv options (auto_detect, columns, delim, quote, escape).
 */
import { mkdtempSync, readSync, openSync, closeSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError, SpecificationError } from '../core/errors.js';
import { sqlString } from '../core/sql.js';

/** A path DuckDB reads literally, and the clean-up for the temporary link it may need. */
export interface LiteralPath {
  path: string;
  release(): void;
}

// DuckDB's glob syntax (duckdb/common/file_system: *, ?, [...], and {a,b} in newer releases).
const GLOB_CHARS = /[*?[\]{}]/;

/** The absolute path, or a link to it with a plain name when the path has glob characters. */
export function literalPath(path: string): LiteralPath {
  const absolute = resolve(path);
  if (!GLOB_CHARS.test(absolute)) return { path: absolute, release: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'oncosurv-path-'));
  // The link keeps the file's extension (DuckDB reads .gz by its name).
  const name = `input${basename(absolute).replace(/^[^.]*/, '').replace(GLOB_CHARS, '_')}`;
  const link = join(dir, GLOB_CHARS.test(name) ? 'input' : name);
  symlinkSync(absolute, link);
  return { path: link, release: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Splits one CSV line (no line end) into fields by RFC 4180 quoting. */
export function splitCsvLine(line: string, delim: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delim) { fields.push(field); field = ''; }
    else field += ch;
  }
  fields.push(field);
  return fields;
}

const HEADER_BYTES = 1 << 16;

/** The first line of the file (gunzipped for .gz), without BOM or line end. */
function firstLine(path: string): string {
  const fd = openSync(path, 'r');
  let bytes: Buffer;
  try {
    const buf = Buffer.alloc(HEADER_BYTES);
    const n = readSync(fd, buf, 0, buf.length, 0);
    bytes = buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
  if (path.toLowerCase().endsWith('.gz')) {
    try {
      // A truncated gzip stream still yields its first bytes.
      bytes = gunzipSync(bytes, { finishFlush: 2 /* Z_SYNC_FLUSH */ });
    } catch {
      throw new InputError('the file ends in .gz but is not gzip-compressed', { file: path });
    }
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const nl = text.indexOf('\n');
  return (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '');
}

export interface CsvTextSource {
  /** Column names, in file order. */
  names: string[];
  /** `read_csv(...)` giving every column as VARCHAR. */
  from: string;
  release(): void;
}

/** The delimiter for a file name: tab for .tsv, comma otherwise. */
export function csvDelimiter(path: string): string {
  return /\.tsv(\.gz)?$/i.test(path) ? '\t' : ',';
}

/**
 * Opens a CSV as text (see the header). `file` names the file in errors (the user's spelling).
 * Errors: no header line; a header with no delimiter where a ; or tab suggests another
 * dialect; duplicate column names.
 */
export function csvTextSource(path: string, file = path): CsvTextSource {
  const delim = csvDelimiter(path);
  const header = firstLine(path);
  if (header.trim() === '') throw new InputError('the file has no header line (column names are needed in the first line)', { file, row: 1 });
  const raw = splitCsvLine(header, delim);
  if (raw.length === 1 && delim === ',' && /[;\t|]/.test(raw[0]!)) {
    throw new SpecificationError('the CSV is not comma-separated (its header has no commas); save it with "," as the delimiter', { file, row: 1 });
  }
  // R's read.csv names an empty header cell "X" (make.names); written by write.csv, it is the row-name column.
  const names = raw.map((n, j) => (n.trim() === '' ? (j === 0 ? 'X' : `X.${j}`) : n.trim()));
  const seen = new Map<string, number>();
  names.forEach((n, j) => {
    const first = seen.get(n);
    if (first !== undefined) {
      throw new InputError(`duplicate column name: columns ${first + 1} and ${j + 1} are both called "${n}"; rename one`, { file, row: 1, column: n });
    }
    seen.set(n, j);
  });
  const literal = literalPath(path);
  const columns = `{${names.map((n) => `${sqlString(n)}: 'VARCHAR'`).join(', ')}}`;
  const from = `read_csv(${sqlString(literal.path)}, header = true, auto_detect = false, delim = ${sqlString(delim)}, quote = '"', escape = '"', comment = '', columns = ${columns})`;
  return { names, from, release: literal.release };
}

/**
 * DuckDB's CSV error ("CSV Error on Line: 5 / Original Line: ... / Expected Number of Columns ...")
 * as one InputError naming the data row (the file line minus the header), or null when the
 * message is not a CSV read error.
 */
export function csvReadError(message: string, file: string): InputError | null {
  const line = /CSV Error on Line: (\d+)/.exec(message);
  if (line === null) return null;
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const original = lines.find((l) => l.startsWith('Original Line:'))?.slice('Original Line:'.length).trim() ?? '';
  const reason = lines.find((l) => !/^(Invalid Input Error|Original Line:|Possible fixes|\*)/.test(l) && !l.includes('CSV Error on Line')) ?? 'malformed line';
  const n = Number(line[1]);
  return new InputError(`line ${n} of the CSV cannot be read: ${reason}`, { file, row: n - 1, value: original.length > 60 ? `${original.slice(0, 60)}...` : original });
}

/** A number as R's read.csv reads one: decimal or exponent notation, surrounding blanks allowed. */
const NUMBER = /^[ \t]*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[ \t]*$/;

/** The cell's number, or NaN when the text is not a number (Inf and NaN included: see read-table.ts). */
export function parseCsvNumber(text: string): number {
  return NUMBER.test(text) ? Number(text.trim()) : NaN;
}

/** R's na.strings = "NA" plus the empty field. */
export function isCsvMissing(text: string | null): boolean {
  return text === null || text === 'NA' || text === '';
}

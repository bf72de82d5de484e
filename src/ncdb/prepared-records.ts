/**
 * The fast path from a fixed-width PUF .dat into DuckDB, shared by `oncosurv ingest` and the
 * study's PUF opener (puf-table.ts).
 *
 * Input:  the .dat, a PufLayout (possibly only the items wanted), and LineChecks that see every
 *         record's full bytes (record length, UTF-8, control bytes: validation.ts).
 * Output: a temporary text file with one line per record: the line number, then each item's
 *         bytes right-trimmed (empty when blank), separated by 0x1F; and the read_csv
 *         expression that reads it back with every item VARCHAR (empty -> NULL) and _LINE INTEGER.
 * Method: slicing bytes in JavaScript, then DuckDB's CSV reader splitting on one byte, is the
 *         fastest route measured (see ingest.ts): a row appender makes one N-API call per cell.
 *         A short record leaves the items it does not reach empty (SAS INFILE TRUNCOVER); bytes
 *         past an item's end are never read, so a long record's extra bytes are ignored.
 * Reference: SAS INFILE TRUNCOVER / LRECL; DuckDB read_csv.
 */
import { createWriteStream } from 'node:fs';
import { scanRecords } from './fixed-width.js';
import type { PufLayout } from './layout.js';
import type { LineChecks } from './validation.js';
import { sqlString } from '../core/sql.js';


/** read_csv over a prepared file: _LINE INTEGER, then each layout item VARCHAR. */
export function preparedReadSql(layout: Pick<PufLayout, 'items'>, preparedPath: string): string {
  const columns = [`'_LINE': 'INTEGER'`, ...layout.items.map((it) => `${sqlString(it.name)}: 'VARCHAR'`)].join(', ');
  // Empty fields are NULL (read_csv's default null string is empty), which is how blanks are stored.
  return `read_csv(${sqlString(preparedPath)}, columns = {${columns}}, header = false, delim = '\x1f', quote = '', escape = '', new_line = '\\n', auto_detect = false)`;
}

/** Writes the decimal digits of a non-negative integer at `pos`; the position after them. */
function writeDecimal(buf: Buffer, pos: number, value: number): number {
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  let v = value;
  for (let i = pos + digits - 1; i >= pos; i--) {
    buf[i] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
  return pos + digits;
}

/**
 * Pass 1: stream the .dat, check each line, and write it as a 0x1F-delimited text line:
 * line number, then each item's bytes right-trimmed (blank -> empty -> NULL). Slicing here, in a
 * byte loop, is what makes the ingest fast: DuckDB's CSV reader then only splits on one byte.
 */
export async function prepareRecords(pufPath: string, layout: Pick<PufLayout, 'items'>, preparedPath: string, checks: LineChecks, progress: ((bytes: number, lines: number) => void) | null): Promise<{ lines: number; bytes: number }> {
  const out = createWriteStream(preparedPath);
  const outError = new Promise<never>((_, reject) => out.on('error', reject));
  outError.catch(() => undefined);
  const starts = Int32Array.from(layout.items, (it) => it.start - 1);
  const ends = Int32Array.from(layout.items, (it) => it.end);
  const nItems = starts.length;
  let buf = Buffer.allocUnsafe(8 << 20);
  let pos = 0;
  const flush = async (): Promise<void> => {
    if (pos === 0) return;
    const chunk = Buffer.from(buf.subarray(0, pos));
    pos = 0;
    if (!out.write(chunk)) await Promise.race([new Promise<void>((res) => out.once('drain', () => res())), outError]);
  };
  const ensure = (n: number): void => {
    if (pos + n <= buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, pos + n));
    buf.copy(bigger, 0, 0, pos);
    buf = bigger;
  };
  const result = await scanRecords(pufPath, (b, start, end, line) => {
    const special = checks.check(b, start, end, line);
    // Worst case: every byte becomes 3 UTF-8 bytes, plus delimiters and the line number.
    ensure((end - start) * 3 + nItems + 16);
    pos = writeDecimal(buf, pos, line);
    if (!special) {
      // Items are a few bytes long: a byte loop beats Buffer.copy's native call per item.
      for (let k = 0; k < nItems; k++) {
        buf[pos++] = 0x1f;
        const a = start + starts[k]!;
        let z = start + ends[k]!;
        if (z > end) z = end; // a short record: the item is cut or absent (SAS TRUNCOVER)
        while (z > a && b[z - 1] === 0x20) z--;
        for (let i = a; i < z; i++) buf[pos++] = b[i]!;
      }
    } else {
      // One character per byte: Latin-1 for bytes >= 0x80, U+FFFD for control bytes.
      // eslint-disable-next-line no-control-regex
      const text = b.toString('latin1', start, end).replace(/[\x00-\x1f\x7f]/g, '\uFFFD');
      for (let k = 0; k < nItems; k++) {
        buf[pos++] = 0x1f;
        const field = text.slice(starts[k]!, ends[k]!).replace(/ +$/, '');
        if (field.length > 0) pos += buf.write(field, pos, 'utf8');
      }
    }
    buf[pos++] = 0x0a;
  }, async (bytes, lines) => {
    if (pos > (4 << 20)) await flush();
    if (progress) progress(bytes, lines);
  });
  await flush();
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  return result;
}


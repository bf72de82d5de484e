/**
 * Streaming reader for the fixed-width PUF .dat: one record per line, no header, no delimiter.
 *
 * Input:  a .dat path (LF or CRLF line ends; the last line may lack its newline).
 * Output: each record's bytes, delivered to a callback as (buffer, start, end, lineNumber), with
 *         the CR of a CRLF removed; no per-record objects are made, so memory is flat in file size.
 *         readPufColumns builds on it: batches of string columns for a chosen subset of items.
 * Method: the file is read in large chunks (fs.createReadStream); records are cut at '\n' inside
 *         each chunk, and only a record that straddles two chunks is copied. Columns are byte
 *         positions (NCDB's layout counts bytes), so values are decoded as Latin-1, one char per
 *         byte: a stray non-ASCII byte then cannot shift the columns after it.
 * Reference: NCDB "How to Read in Your PUF Data"; SAS INFILE TRUNCOVER (a short record leaves the
 *         trailing items blank, which is what slicing a short record here gives too).
 */
import { createReadStream } from 'node:fs';
import { InputError } from '../core/errors.js';
import type { PufItem, PufLayout } from './layout.js';
import { findItem } from './layout.js';

/** Called for each record: bytes buffer[start, end) (newline and CR excluded); line is 1-based. */
export type RecordCallback = (buffer: Buffer, start: number, end: number, line: number) => void;

export interface ScanResult {
  lines: number;
  bytes: number;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Streams every record of a .dat to `onRecord`. `onChunk` (optional) runs after each chunk with
 * the bytes read so far, and may return a promise (back-pressure for a writer, or a progress bar).
 */
export async function scanRecords(path: string, onRecord: RecordCallback, onChunk?: (bytesRead: number, lines: number) => Promise<void> | void, chunkBytes = 4 << 20): Promise<ScanResult> {
  let stream;
  try {
    stream = createReadStream(path, { highWaterMark: chunkBytes });
  } catch (err) {
    throw new InputError(`cannot read the PUF file: ${(err as Error).message}`, { file: path });
  }
  let carry: Buffer | null = null;
  let line = 0;
  let bytes = 0;
  try {
    for await (const raw of stream) {
      const chunk = raw as Buffer;
      bytes += chunk.length;
      let pos = 0;
      let nl = chunk.indexOf(LF, 0);
      if (carry !== null) {
        if (nl < 0) {
          carry = Buffer.concat([carry, chunk]);
          if (onChunk) await onChunk(bytes, line);
          continue;
        }
        const joined: Buffer = Buffer.concat([carry, chunk.subarray(0, nl)]);
        carry = null;
        line++;
        let end = joined.length;
        if (end > 0 && joined[end - 1] === CR) end--;
        onRecord(joined, 0, end, line);
        pos = nl + 1;
        nl = chunk.indexOf(LF, pos);
      }
      while (nl >= 0) {
        line++;
        let end = nl;
        if (end > pos && chunk[end - 1] === CR) end--;
        onRecord(chunk, pos, end, line);
        pos = nl + 1;
        nl = chunk.indexOf(LF, pos);
      }
      if (pos < chunk.length) carry = Buffer.from(chunk.subarray(pos));
      if (onChunk) await onChunk(bytes, line);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== undefined) throw new InputError(`cannot read the PUF file: ${(err as Error).message}`, { file: path });
    throw err;
  }
  if (carry !== null) {
    let end = carry.length;
    if (end > 0 && carry[end - 1] === CR) end--;
    // A DOS end-of-file mark (Ctrl-Z) alone on the last line is not a record.
    if (!(end === 1 && carry[0] === 0x1a)) {
      line++;
      onRecord(carry, 0, end, line);
    }
  }
  return { lines: line, bytes };
}

/** One batch of string columns read from a .dat. */
export interface PufColumnBatch {
  /** Number of records in the batch. */
  rows: number;
  /** 1-based line number of each record in the .dat. */
  lines: Int32Array;
  /** Per requested item, its codes: right-trimmed, null when blank (or beyond a short record's end). */
  columns: Map<string, (string | null)[]>;
}

/**
 * Streams a .dat straight into string columns for a chosen subset of items, `batchRows` records
 * at a time, so a study that needs 20 of the 324 items never materialises the others.
 * Unknown item names are an InputError naming the item. Records of the wrong length are sliced
 * as they are (a short record gives null for the items it does not reach); ingestPuf's
 * validation report is where they are listed.
 * @example for await (const b of readPufColumns('liver.dat', layout, ['AGE', 'PUF_VITAL_STATUS'])) use(b.columns.get('AGE'))
 */
export async function* readPufColumns(pufPath: string, layout: PufLayout, items: string[], batchRows = 50_000): AsyncGenerator<PufColumnBatch> {
  const chosen: PufItem[] = items.map((name) => {
    const it = findItem(layout, name);
    if (it === undefined) throw new InputError(`item ${name} is not in the layout (${layout.source})`, { file: pufPath, column: name });
    return it;
  });
  // The generator pulls from a push-style scan through a small queue of finished batches.
  const queue: PufColumnBatch[] = [];
  let current = newBatch(chosen, batchRows);
  let done = false;
  let failure: unknown = null;
  let cancelled = false;
  let wake: (() => void) | null = null;
  let resumeScan: (() => void) | null = null;
  const signal = (): void => { const w = wake; wake = null; if (w) w(); };
  const onRecord: RecordCallback = (buf, start, end, line) => {
    if (cancelled) return;
    const r = current.rows;
    current.lines[r] = line;
    for (const it of chosen) {
      const col = current.columns.get(it.name)!;
      const a = start + it.start - 1;
      let b = Math.min(start + it.end, end);
      while (b > a && buf[b - 1] === 0x20) b--;
      col[r] = b > a ? buf.toString('latin1', a, b) : null;
    }
    current.rows++;
    if (current.rows === batchRows) {
      queue.push(current);
      current = newBatch(chosen, batchRows);
      signal();
    }
  };
  const scan = scanRecords(pufPath, onRecord, async () => {
    // Back-pressure: let the consumer drain before reading more than two batches ahead.
    if (queue.length >= 2 && !cancelled) await new Promise<void>((res) => { resumeScan = res; });
    if (cancelled) throw STOP;
  }).then(
    () => { if (current.rows > 0) queue.push(trim(current)); done = true; signal(); },
    (err: unknown) => { if (err !== STOP) failure = err; done = true; signal(); },
  );
  try {
    for (;;) {
      if (queue.length > 0) {
        const b = queue.shift()!;
        if (queue.length < 2 && resumeScan) { const r = resumeScan as () => void; resumeScan = null; r(); }
        yield b;
        continue;
      }
      if (done) break;
      await new Promise<void>((res) => { wake = res; });
    }
    if (failure !== null) throw failure;
  } finally {
    // A consumer that stops early (break) also stops the scan at its next chunk.
    cancelled = true;
    if (resumeScan) (resumeScan as () => void)();
    await scan.catch(() => undefined);
  }
}

const STOP = new Error('readPufColumns: consumer stopped');

function newBatch(items: PufItem[], n: number): PufColumnBatch {
  return { rows: 0, lines: new Int32Array(n), columns: new Map(items.map((it) => [it.name, new Array<string | null>(n)])) };
}

function trim(b: PufColumnBatch): PufColumnBatch {
  return { rows: b.rows, lines: b.lines.slice(0, b.rows), columns: new Map([...b.columns].map(([k, v]) => [k, v.slice(0, b.rows)])) };
}

/** Convenience: every record's chosen items as whole columns (fine for the ~20 items a study uses). */
export async function readPufColumnsAll(pufPath: string, layout: PufLayout, items: string[]): Promise<{ rows: number; lines: Int32Array; columns: Map<string, (string | null)[]> }> {
  const lines: number[] = [];
  const columns = new Map<string, (string | null)[]>(items.map((n) => [findItem(layout, n)?.name ?? n, []]));
  for await (const b of readPufColumns(pufPath, layout, items)) {
    for (let i = 0; i < b.rows; i++) lines.push(b.lines[i]!);
    for (const [k, v] of b.columns) {
      const col = columns.get(k)!;
      for (let i = 0; i < b.rows; i++) col.push(v[i]!);
    }
  }
  return { rows: lines.length, lines: Int32Array.from(lines), columns };
}

/**
 * Opens a study's input as a DuckDB relation named `puf` whose columns are PUF items as
 * VARCHAR code strings, whatever the file type:
 *  - `.dat`: the fixed-width PUF, read through its layout (the user's SAS script, or the built-in
 *    2021 layout), streaming only the items the study uses into an in-memory table;
 *  - `.csv`: comma-separated with a header of PUF item names, every column read as text, so codes
 *    such as "01" keep their zeros. The dialect is fixed rather than sniffed: DuckDB's sniffer,
 *    given one ragged row, falls back to a single column named after the whole header, and the
 *    user would be told every item is missing instead of which line is broken;
 *  - `.parquet` / `.duckdb`: as written by `oncosurv ingest` or converted by the user; non-text
 *    columns are cast to text.
 * Also computes the input's SHA-256 while the file is read once more (recorded in results.json).
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { loadLayout } from '../ncdb/default-layout.js';
import { readPufColumns, scanRecords } from '../ncdb/fixed-width.js';
import { findItem, type PufLayout } from '../ncdb/layout.js';
import { InputError, SpecificationError } from '../core/errors.js';
import { sqlString } from '../core/sql.js';

export interface StudyInput {
  connection: DuckDBConnection;
  relation: string;
  kind: 'dat' | 'csv' | 'parquet' | 'duckdb';
  rows: number;
  layout: string | null;
  close(): void;
}


export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * A study reads a .dat without a validation report, so a record shorter than the layout (a file
 * cut short, trailing items lost, or the wrong layout for the file) would silently become blank
 * items and then wrongly excluded patients. Refuse it with the first such line; `oncosurv ingest`
 * reads such files as SAS TRUNCOVER does and lists every short line. Longer records are read
 * as SAS reads them with lrecl (a newer PUF has items appended at the end).
 */
async function refuseShortRecords(path: string, layout: PufLayout): Promise<void> {
  let first: { line: number; length: number } | null = null;
  await scanRecords(path, (_buf, start, end, line) => {
    if (first === null && end - start < layout.recordLength) first = { line, length: end - start };
  });
  if (first !== null) {
    const f = first as { line: number; length: number };
    throw new InputError(
      `the record is ${f.length} characters but the layout (${layout.source}) has records of ${layout.recordLength}: give the PUF's own SAS import script with --layout, or convert the file with 'oncosurv ingest', which reads short records as SAS does and lists them`,
      { file: path, row: f.line, value: `${f.length} characters` },
    );
  }
}

/** The read_csv call for a PUF CSV: header names taken from the first line, every column VARCHAR. */
async function csvSource(path: string): Promise<string> {
  const fh = await open(path, 'r');
  let first: string;
  try {
    const buf = Buffer.alloc(1 << 16);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    first = buf.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '').split('\n')[0]!.replace(/\r$/, '');
  } finally {
    await fh.close();
  }
  if (first.trim() === '') throw new InputError('the CSV has no header line (PUF item names are needed as column headers)', { file: path, row: 1 });
  const names = first.split(',').map((n) => n.trim().replace(/^"(.*)"$/, '$1'));
  if (names.length === 1 && /[;\t|]/.test(names[0]!)) throw new SpecificationError('the CSV is not comma-separated (its header has no commas); save it with "," as the delimiter', { file: path, row: 1 });
  const columns = `{${names.map((n) => `${sqlString(n)}: 'VARCHAR'`).join(', ')}}`;
  return `read_csv(${sqlString(path)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = ${columns})`;
}

/** DuckDB's CSV error ("CSV Error on Line: 5 / Original Line: ... / Expected Number of Columns ...") as one line naming the row. */
function csvReadError(message: string, path: string): InputError | null {
  const line = /CSV Error on Line: (\d+)/.exec(message);
  if (line === null) return null;
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const original = lines.find((l) => l.startsWith('Original Line:'))?.slice('Original Line:'.length).trim() ?? '';
  const reason = lines.find((l) => !/^(Invalid Input Error|Original Line:|Possible fixes|\*)/.test(l) && !l.includes('CSV Error on Line')) ?? 'malformed line';
  const n = Number(line[1]);
  return new InputError(`line ${n} of the CSV cannot be read: ${reason}`, { file: path, row: n - 1, value: original.length > 60 ? `${original.slice(0, 60)}...` : original });
}

const INPUT_TYPES = ['.dat', '.txt', '.csv', '.parquet', '.duckdb'];

/**
 * The checks that need no reading: the file exists and its type is one we read. A study runs
 * them before it creates its output folder or prints progress, so that a typo costs one line.
 */
export function checkStudyInputPath(path: string): void {
  if (!existsSync(path) || !statSync(path).isFile()) throw new InputError('no such file', { file: path });
  const ext = extname(path).toLowerCase();
  if (!INPUT_TYPES.includes(ext)) throw new SpecificationError(`unsupported input type "${ext || '(none)'}": give a PUF .dat (with --layout or the built-in 2021 layout), .csv, .parquet or .duckdb`, { file: path });
}

/** Opens the input; `items` are the PUF items needed (only those are read from a .dat). */
export async function openStudyInput(path: string, layoutPath: string | null, items: readonly string[]): Promise<StudyInput> {
  checkStudyInputPath(path);
  const ext = extname(path).toLowerCase();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const close = (): void => { connection.closeSync(); instance.closeSync(); };
  try {
    let kind: StudyInput['kind'];
    let layoutName: string | null = null;
    if (ext === '.dat' || ext === '.txt') {
      kind = 'dat';
      const layout: PufLayout = await loadLayout(layoutPath);
      layoutName = layout.source;
      await refuseShortRecords(path, layout);
      const present = items.filter((it) => findItem(layout, it) !== undefined);
      await connection.run(`CREATE TABLE puf (${present.map((it) => `"${it}" VARCHAR`).join(', ')})`);
      const appender = await connection.createAppender('puf');
      for await (const batch of readPufColumns(path, layout, present)) {
        const cols = present.map((it) => batch.columns.get(it)!);
        for (let r = 0; r < batch.rows; r++) {
          for (const col of cols) {
            const v = col[r];
            if (v === null || v === undefined) appender.appendNull();
            else appender.appendVarchar(v);
          }
          appender.endRow();
        }
        appender.flushSync();
      }
      appender.closeSync();
    } else if (ext === '.csv') {
      kind = 'csv';
      await connection.run(`CREATE VIEW puf AS SELECT * FROM ${await csvSource(path)}`);
    } else if (ext === '.parquet') {
      kind = 'parquet';
      await connection.run(`CREATE VIEW puf AS SELECT COLUMNS(*)::VARCHAR FROM read_parquet(${sqlString(path)})`);
    } else if (ext === '.duckdb') {
      kind = 'duckdb';
      await connection.run(`ATTACH ${sqlString(path)} AS src (READ_ONLY)`);
      await connection.run('CREATE VIEW puf AS SELECT COLUMNS(*)::VARCHAR FROM src.puf');
    } else {
      throw new SpecificationError(`unsupported input type "${ext || '(none)'}": give a PUF .dat (with --layout or the built-in 2021 layout), .csv, .parquet or .duckdb`, { file: path });
    }
    const reader = await connection.runAndReadAll('SELECT count(*)::BIGINT AS n FROM puf');
    const rows = Number(reader.getRowObjects()[0]!.n);
    return { connection, relation: 'puf', kind, rows, layout: layoutName, close };
  } catch (err) {
    close();
    if (err instanceof Error && !(err instanceof InputError) && !(err instanceof SpecificationError) && /Error:/.test(err.message) && err.constructor.name !== 'OncosurvError') {
      // DuckDB's own read errors (malformed CSV/Parquet) become one line naming the file.
      if (!('context' in err)) throw csvReadError(err.message, path) ?? new InputError(`cannot be read: ${err.message.split('\n')[0]}`, { file: path });
    }
    throw err;
  }
}

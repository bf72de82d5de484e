/**
 * The one PUF opener: whatever the input file, a DuckDB relation named `puf` whose columns are
 * PUF items as VARCHAR code strings. Used by the study (study/hcc-conversion.ts) and by tests of
 * ingest; `oncosurv ingest` writes with the same record preparation (prepared-records.ts).
 *
 * Inputs:  a path (.dat/.txt fixed-width, .csv, .parquet, .duckdb), read literally (no glob
 *          expansion); the layout for a .dat (a SAS script, else the built-in 2021 layout); the
 *          items wanted (a .dat is sliced to those only; absent items are simply not columns).
 * Output:  PufTable: the connection, `puf`, the input kind, its row count, the layout's name,
 *          and for a .dat the record-length findings (every record checked against lrecl).
 *          numericCompanions adds <ITEM>_num / <ITEM>_flag (numeric-items.ts) when missing.
 * Method:  .dat: records sliced in JavaScript to a temporary 0x1F-delimited file and loaded with
 *            one read_csv (prepared-records.ts), as ingest does: never a row appender;
 *          .csv: data/csv-text.ts, every column text with a fixed dialect ("01" keeps its zero, a
 *            ragged line is an error naming its line);
 *          .parquet / .duckdb: as written by `oncosurv ingest`; other column types cast to text.
 *          The row count is taken at open, so a malformed file fails here, with its line.
 * Reference: NCDB "How to Read in Your PUF Data"; SAS INFILE TRUNCOVER.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { csvReadError, csvTextSource, literalPath } from '../data/csv-text.js';
import { InputError, OncosurvError, SpecificationError } from '../core/errors.js';
import { loadLayout } from './default-layout.js';
import { findItem, type PufLayout } from './layout.js';
import { NUMERIC_ITEMS, numericCompanionSql } from './numeric-items.js';
import { preparedReadSql, prepareRecords } from './prepared-records.js';
import { sqlIdentifier as quoteIdent, sqlString } from '../core/sql.js';
import { LineChecks, type ValidationReport } from './validation.js';

export type PufTableKind = 'dat' | 'csv' | 'parquet' | 'duckdb';

export interface PufTable {
  connection: DuckDBConnection;
  /** Always `puf`. */
  relation: string;
  kind: PufTableKind;
  rows: number;
  /** The layout used for a .dat (its source, e.g. "built-in 2021"), null otherwise. */
  layout: string | null;
  recordLength: number | null;
  /** Records whose length differs from the layout's (a .dat only). */
  wrongLength: ValidationReport['wrongLength'] | null;
  /** Closes DuckDB and removes temporary files. */
  close(): Promise<void>;
}

export interface OpenPufOptions {
  layoutPath?: string | null;
  /** Items wanted (default: every item of a .dat's layout; every column otherwise). */
  items?: readonly string[];
  /** Add <ITEM>_num and <ITEM>_flag for numeric items that lack them. */
  numericCompanions?: boolean;
}

export const PUF_INPUT_TYPES = ['.dat', '.txt', '.csv', '.parquet', '.duckdb'];

/** The checks that need no reading: the file exists and its type is one we read. */
export function checkPufInputPath(path: string): void {
  if (!existsSync(path) || !statSync(path).isFile()) throw new InputError('no such file', { file: path });
  const ext = extname(path).toLowerCase();
  if (!PUF_INPUT_TYPES.includes(ext)) throw new SpecificationError(`unsupported input type "${ext || '(none)'}": give a PUF .dat (with --layout or the built-in 2021 layout), .csv, .parquet or .duckdb`, { file: path });
}

export async function openPufTable(path: string, options: OpenPufOptions = {}): Promise<PufTable> {
  checkPufInputPath(path);
  const ext = extname(path).toLowerCase();
  const tmp = await mkdtemp(join(tmpdir(), 'oncosurv-puf-'));
  const instance = await DuckDBInstance.create(':memory:', { temp_directory: tmp });
  const connection = await instance.connect();
  const releases: (() => void)[] = [];
  const close = async (): Promise<void> => {
    connection.closeSync();
    instance.closeSync();
    for (const r of releases) r();
    await rm(tmp, { recursive: true, force: true });
  };
  try {
    let kind: PufTableKind;
    let layout: PufLayout | null = null;
    let wrongLength: PufTable['wrongLength'] = null;
    let from: string;
    if (ext === '.dat' || ext === '.txt') {
      kind = 'dat';
      layout = await loadLayout(options.layoutPath);
      // Items keep the caller's spelling (findItem matches names case-insensitively).
      const wanted = options.items === undefined ? layout.items : [...new Set(options.items)].flatMap((name) => { const it = findItem(layout!, name); return it ? [{ ...it, name }] : []; });
      const checks = new LineChecks(layout.recordLength);
      const prepared = join(tmp, 'records.txt');
      await prepareRecords(path, { items: wanted }, prepared, checks, null);
      wrongLength = checks.wrongLength;
      // A table, not a view: the cohort queries it several times.
      await connection.run(`CREATE TABLE puf_items AS SELECT * FROM ${preparedReadSql({ items: wanted }, prepared)}`);
      from = 'puf_items';
    } else if (ext === '.csv') {
      kind = 'csv';
      const source = csvTextSource(path);
      releases.push(source.release);
      from = source.from;
    } else if (ext === '.parquet') {
      kind = 'parquet';
      const literal = literalPath(path);
      releases.push(literal.release);
      from = `(SELECT COLUMNS(*)::VARCHAR FROM read_parquet(${sqlString(literal.path)}))`;
    } else {
      kind = 'duckdb';
      const literal = literalPath(path);
      releases.push(literal.release);
      await connection.run(`ATTACH ${sqlString(literal.path)} AS pufsrc (READ_ONLY)`);
      from = '(SELECT COLUMNS(*)::VARCHAR FROM pufsrc.puf)';
    }
    const extra: string[] = [];
    if (options.numericCompanions === true) {
      const present = new Set((await connection.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${from})`)).getRows().map((r) => String(r[0])));
      for (const spec of NUMERIC_ITEMS) {
        if (!present.has(spec.item) || present.has(spec.item + '_num')) continue;
        const sql = numericCompanionSql(spec, `nullif(rtrim(${quoteIdent(spec.item)}), '')`);
        extra.push(`${sql.num} AS ${quoteIdent(spec.item + '_num')}`, `${sql.flag} AS ${quoteIdent(spec.item + '_flag')}`);
      }
    }
    await connection.run(`CREATE VIEW puf AS SELECT *${extra.length > 0 ? ', ' + extra.join(', ') : ''} FROM ${from}`);
    const reader = await connection.runAndReadAll('SELECT count(*)::DOUBLE AS n FROM puf');
    const rows = Number(reader.getRowsJS()[0]![0]);
    return { connection, relation: 'puf', kind, rows, layout: layout?.source ?? null, recordLength: layout?.recordLength ?? null, wrongLength, close };
  } catch (err) {
    await close();
    if (err instanceof OncosurvError) throw err;
    // DuckDB's own read errors (malformed CSV/Parquet): one line naming the file and line.
    const message = err instanceof Error ? err.message : String(err);
    throw csvReadError(message, path) ?? new InputError(`cannot be read: ${message.split('\n')[0]}`, { file: path });
  }
}

/** PUF_CASE_ID values that occur more than once: the count of such values and the first `limit`. */
export async function duplicateCaseIds(connection: DuckDBConnection, relation: string, limit = 10): Promise<{ values: number; rows: number; first: { id: string; count: number }[] }> {
  const sql = `SELECT PUF_CASE_ID AS id, count(*)::DOUBLE AS n FROM ${relation} WHERE PUF_CASE_ID IS NOT NULL GROUP BY 1 HAVING count(*) > 1`;
  const totals = (await connection.runAndReadAll(`SELECT count(*)::DOUBLE, coalesce(sum(n), 0)::DOUBLE FROM (${sql})`)).getRowsJS()[0]!;
  const first = (await connection.runAndReadAll(`${sql} ORDER BY 1 LIMIT ${limit}`)).getRowsJS().map((r) => ({ id: String(r[0]), count: Number(r[1]) }));
  return { values: Number(totals[0]), rows: Number(totals[1]), first };
}

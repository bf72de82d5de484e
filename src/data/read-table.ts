/**
 * Reads a CSV or Parquet file into a columnar DataTable, with DuckDB.
 *
 * Inputs:  a path ending in .csv, .csv.gz, .txt, .tsv or .parquet (read literally: no glob
 *          expansion); optionally the columns to keep.
 * Output:  DataTable: numbers as Float64Array with NaN for missing, R's logical spellings as a
 *          logical column (0/1/NaN), everything else as strings (null for missing). `source` is
 *          the path, for error messages.
 * Method:  CSV: a plain file (plain-csv.ts: one line ending, no line breaks inside quotes,
 *          valid UTF-8, no ragged lines) is read column-wise in JavaScript, numbers parsed from
 *          the bytes, with the same result as the DuckDB route below; any other file, or a .gz,
 *          goes through DuckDB, whose errors name the line. DuckDB route: every column read as text with a fixed dialect (data/csv-text.ts: no sniffer, so
 *          no "#" comment lines, no type guesses from the first 20,000 rows, duplicate header
 *          names refused). A column is numeric when every non-missing cell is a number as R's
 *          read.csv reads one ("NA" and empty are missing); each value is the text's own number.
 *          A column with one non-number cell stays text, and the model frame names that cell's
 *          row, column and value when the formula uses the column as a number. The text "NaN"
 *          or "Inf" is not a number here: R would read it as a value and silently drop the row
 *          (NaN) or fail late; a registry value of NaN is a data error worth its row number.
 *          Parquet: the file's own column types (numbers as DOUBLE, BOOLEAN as logical, the
 *          rest as text); a numeric column holding NaN/Inf is kept as text, as for CSV.
 *          Only the requested columns are selected; results stream chunk by chunk.
 * Reference: R utils::read.csv (na.strings = "NA", type.convert); DuckDB read_csv / read_parquet.
 */
import { existsSync, statSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { InputError, SpecificationError } from '../core/errors.js';
import { sqlIdentifier as sqlIdent, sqlString } from '../core/sql.js';
import { csvDelimiter, csvReadError, csvTextSource, isCsvMissing, literalPath, parseCsvNumber } from './csv-text.js';
import { readPlainCsv, textColumn } from './plain-csv.js';
import { unknownColumnError } from '../stats/model-frame.js';
import { formulaColumns, type Formula } from '../stats/formula.js';
import type { Column, DataTable } from '../core/types.js';
import { GrowableFloat64 } from './growable-float64.js';

export interface ReadTableOptions {
  /** Columns to read (all when omitted). An unknown name is a SpecificationError. */
  columns?: string[];
  /**
   * CSV only: 'plain' (the default) reads a plain file column-wise in JavaScript (plain-csv.ts)
   * and anything else with DuckDB; 'duckdb' always uses DuckDB (the tests compare the two).
   */
  csvReader?: 'plain' | 'duckdb';
}

const NUMERIC_TYPES = new Set<string>([
  'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT', 'FLOAT', 'DOUBLE',
]);


type FileKind = 'csv' | 'parquet';

function fileKind(path: string): FileKind {
  const lower = path.toLowerCase();
  if (lower.endsWith('.parquet')) return 'parquet';
  if (lower.endsWith('.csv') || lower.endsWith('.csv.gz') || lower.endsWith('.tsv') || lower.endsWith('.tsv.gz') || lower.endsWith('.txt')) return 'csv';
  throw new SpecificationError('unsupported data file type (use .csv or .parquet)', { file: path });
}

type Kind = 'number' | 'logical' | 'string';

/**
 * Reads a CSV/Parquet file.
 *
 * @example
 * const lung = await readTable('reference/data/lung.csv', { columns: ['time', 'status', 'sex'] });
 * lung.columns.get('sex') // { kind: 'number', values: Float64Array [1, 1, 1, 2, ...] }
 */
export async function readTable(path: string, options: ReadTableOptions = {}): Promise<DataTable> {
  if (!existsSync(path)) throw new InputError('file not found', { file: path });
  if (statSync(path).isDirectory()) throw new InputError('is a directory, not a data file', { file: path });
  const kind = fileKind(path);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  let release = (): void => undefined;
  try {
    if (kind === 'csv') {
      const source = csvTextSource(path);
      release = source.release;
      return await readCsvText(connection, path, source.names, source.from, options);
    }
    const literal = literalPath(path);
    release = literal.release;
    return await readWith(connection, path, `read_parquet(${sqlString(literal.path)})`, options);
  } catch (err) {
    if (err instanceof InputError || err instanceof SpecificationError) throw err;
    // DuckDB's own message (malformed CSV, corrupt Parquet): one line naming the file (and row).
    const msg = err instanceof Error ? err.message : String(err);
    throw csvReadError(msg, path) ?? new InputError(`cannot read the file: ${msg.split('\n')[0]!}`, { file: path });
  } finally {
    connection.closeSync();
    instance.closeSync();
    release();
  }
}

/** The requested column names, checked against the file's. */
function wantedColumns(allNames: string[], options: ReadTableOptions, path: string): string[] {
  const wanted = options.columns ? [...new Set(options.columns)] : allNames;
  for (const name of wanted) {
    if (!allNames.includes(name)) throw unknownColumnError(name, allNames, path);
  }
  return wanted;
}

/** CSV: every column as text, then typed here (see the header). */
async function readCsvText(connection: DuckDBConnection, path: string, allNames: string[], from: string, options: ReadTableOptions): Promise<DataTable> {
  const wanted = wantedColumns(allNames, options, path);
  if (wanted.length === 0) {
    const count = await connection.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${from}`);
    return { nrow: Number(count.getRowsJS()[0]![0]), columns: new Map(), source: path };
  }
  if (options.csvReader !== 'duckdb') {
    const plain = readPlainCsv(path, allNames, wanted, csvDelimiter(path));
    if (plain !== null) return { ...plain, source: path };
  }
  const result = await connection.stream(`SELECT ${wanted.map(sqlIdent).join(', ')} FROM ${from}`);
  const text = wanted.map(() => [] as (string | null)[]);
  let nrow = 0;
  while (true) {
    const chunk = await result.fetchChunk();
    // rowCount is a native call: read it once per chunk, not once per cell.
    const rows = chunk === null ? 0 : chunk.rowCount;
    if (chunk === null || rows === 0) break;
    for (let j = 0; j < wanted.length; j++) {
      const vector = chunk.getColumnVector(j);
      const out = text[j]!;
      for (let i = 0; i < rows; i++) out.push(vector.getItem(i) as string | null);
    }
    nrow += rows;
  }
  const columns = new Map<string, Column>();
  wanted.forEach((name, j) => columns.set(name, typedCsvColumn(text[j]!)));
  return { nrow, columns, source: path };
}

/** A text column as R's type.convert types it: numbers, else logical, else text ("NA"/"" missing). */
export function typedCsvColumn(cells: (string | null)[]): Column {
  const values = new Float64Array(cells.length);
  let numeric = true;
  for (let i = 0; i < cells.length && numeric; i++) {
    const s = cells[i]!;
    if (isCsvMissing(s)) { values[i] = NaN; continue; }
    const x = parseCsvNumber(s);
    if (Number.isNaN(x)) numeric = false;
    else values[i] = x;
  }
  if (numeric) return { kind: 'number', values };
  return textColumn(cells.map((s) => (isCsvMissing(s) ? null : s)));
}

/** Parquet: the file's own column types (see the header). */
async function readWith(connection: DuckDBConnection, path: string, from: string, options: ReadTableOptions): Promise<DataTable> {
  const described = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`)).getRowObjectsJS();
  const typeOf = new Map(described.map((r) => [String(r['column_name']), String(r['column_type'])]));
  const allNames = [...typeOf.keys()];
  const wanted = wantedColumns(allNames, options, path);
  if (wanted.length === 0) {
    const count = await connection.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${from}`);
    return { nrow: Number(count.getRowsJS()[0]![0]), columns: new Map(), source: path };
  }
  // Numbers are cast to DOUBLE and anything exotic (dates, times, lists ...) to text, so each
  // chunk holds three kinds of vector.
  const kinds: Kind[] = wanted.map((name) => {
    const type = typeOf.get(name)!;
    return NUMERIC_TYPES.has(type) || type.startsWith('DECIMAL') ? 'number' : type === 'BOOLEAN' ? 'logical' : 'string';
  });
  const select = wanted
    .map((name, j) => (kinds[j] === 'string' ? `CAST(${sqlIdent(name)} AS VARCHAR)` : `CAST(${sqlIdent(name)} AS DOUBLE)`))
    .join(', ');
  const result = await connection.stream(`SELECT ${select} FROM ${from}`);
  const numbers = kinds.map((k) => (k === 'string' ? null : new GrowableFloat64()));
  const strings = kinds.map((k) => (k === 'string' ? ([] as (string | null)[]) : null));
  const hasNonFinite = kinds.map(() => false);
  let nrow = 0;
  while (true) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    const rows = chunk.rowCount;
    for (let j = 0; j < wanted.length; j++) {
      const vector = chunk.getColumnVector(j);
      const num = numbers[j];
      if (num) {
        for (let i = 0; i < rows; i++) {
          const v = vector.getItem(i) as number | null;
          if (v === null) num.push(NaN);
          else {
            if (!Number.isFinite(v)) hasNonFinite[j] = true;
            num.push(v);
          }
        }
      } else {
        const out = strings[j]!;
        for (let i = 0; i < rows; i++) out.push(vector.getItem(i) as string | null);
      }
    }
    nrow += rows;
  }
  const columns = new Map<string, Column>();
  wanted.forEach((name, j) => {
    if (kinds[j] === 'string') {
      columns.set(name, { kind: 'string', values: strings[j]! });
      return;
    }
    const values = numbers[j]!.finish();
    // Missing cells were stored as NaN above; a genuine NaN/Inf value would be
    // indistinguishable, so re-read such a column as text (see the header).
    columns.set(name, { kind: kinds[j] as 'number' | 'logical', values });
  });
  for (let j = 0; j < wanted.length; j++) {
    if (!hasNonFinite[j]) continue;
    const name = wanted[j]!;
    const text = await connection.runAndReadAll(`SELECT CAST(${sqlIdent(name)} AS VARCHAR) FROM ${from}`);
    const values = text.getColumnsJS()[0]! as (string | null)[];
    columns.set(name, { kind: 'string', values: values.map((v) => (v === null ? null : v === 'nan' ? 'NaN' : v === 'inf' ? 'Inf' : v === '-inf' ? '-Inf' : v)) });
  }
  return { nrow, columns, source: path };
}

/** Reads only the columns a formula (plus weights/cluster options) needs. */
export async function readTableForFormula(path: string, formula: Formula, extra: readonly (string | null | undefined)[] = []): Promise<DataTable> {
  const columns = formulaColumns(formula);
  for (const c of extra) if (c && !columns.includes(c)) columns.push(c);
  return readTable(path, { columns });
}

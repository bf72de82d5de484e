/**
 * Reads a CSV or Parquet file into a columnar DataTable, with DuckDB.
 *
 * Inputs:  a path ending in .csv, .csv.gz, .tsv or .parquet; optionally the columns to keep.
 * Output:  DataTable: numbers (INTEGER, BIGINT, DOUBLE, DECIMAL, ...) as Float64Array with NaN
 *          for missing, BOOLEAN as a logical column (0/1/NaN), everything else as strings (null
 *          for missing). `source` is the path, for error messages.
 * Method:  an in-memory DuckDB; `read_csv` with its type sniffer, treating empty fields and
 *          "NA" as missing the way R's read.csv does for numeric columns (R keeps "" in text
 *          columns; we treat it as missing, which is what registry files mean by it). Only the
 *          requested columns are selected; results stream chunk by chunk into typed arrays, never
 *          row objects. A numeric column that holds NaN or Inf (the text "NaN", "Inf") is kept as
 *          text: R would read NaN as missing and silently drop the row, and a registry value of
 *          NaN is a data error that the model frame reports with its row.
 *          A column DuckDB reads as text because one cell is not a number stays text; the model
 *          frame names that cell's row when the formula uses the column as a number.
 * Reference: R utils::read.csv (na.strings = "NA"); DuckDB read_csv / read_parquet.
 */
import { existsSync, statSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { InputError, SpecificationError } from '../core/errors.js';
import { sqlIdentifier as sqlIdent, sqlString } from '../core/sql.js';
import { unknownColumnError } from '../stats/model-frame.js';
import { formulaColumns, type Formula } from '../stats/formula.js';
import type { Column, DataTable } from '../core/types.js';

export interface ReadTableOptions {
  /** Columns to read (all when omitted). An unknown name is a SpecificationError. */
  columns?: string[];
}

const NUMERIC_TYPES = new Set<string>([
  'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT', 'FLOAT', 'DOUBLE',
]);


function sourceExpression(path: string): string {
  const lower = path.toLowerCase();
  if (lower.endsWith('.parquet')) return `read_parquet(${sqlString(path)})`;
  if (lower.endsWith('.csv') || lower.endsWith('.csv.gz') || lower.endsWith('.tsv') || lower.endsWith('.txt')) {
    // No BOOLEAN candidate: DuckDB would also read yes/no, y/n as logical, R's read.csv does
    // not; R's logical spellings are recognised below (asRLogical).
    return `read_csv(${sqlString(path)}, nullstr = ['NA', ''], header = true, auto_type_candidates = ['BIGINT', 'DOUBLE', 'VARCHAR'])`;
  }
  throw new SpecificationError('unsupported data file type (use .csv or .parquet)', { file: path });
}

/** A Float64Array that grows by doubling. */
class GrowableFloat64 {
  data = new Float64Array(4096);
  length = 0;
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  finish(): Float64Array {
    return this.data.slice(0, this.length);
  }
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
  const from = sourceExpression(path);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return await readWith(connection, path, from, options);
  } catch (err) {
    if (err instanceof InputError || err instanceof SpecificationError) throw err;
    // DuckDB's own message (malformed CSV, corrupt Parquet): first line only, named by file.
    const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
    throw new InputError(`cannot read the file: ${msg}`, { file: path });
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function readWith(connection: DuckDBConnection, path: string, from: string, options: ReadTableOptions): Promise<DataTable> {
  const isCsv = !path.toLowerCase().endsWith('.parquet');
  // One DESCRIBE gives names and sniffed types (each read_csv bind sniffs the file again).
  const described = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`)).getRowObjectsJS();
  const typeOf = new Map(described.map((r) => [String(r['column_name']), String(r['column_type'])]));
  const allNames = [...typeOf.keys()];
  const wanted = options.columns ? [...new Set(options.columns)] : allNames;
  for (const name of wanted) {
    if (!allNames.includes(name)) throw unknownColumnError(name, allNames, path);
  }
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
      const logical = isCsv ? asRLogical(strings[j]!) : null;
      columns.set(name, logical ?? { kind: 'string', values: strings[j]! });
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

const R_TRUE = new Set(['TRUE', 'true', 'True', 'T']);
const R_FALSE = new Set(['FALSE', 'false', 'False', 'F']);

/** R's type.convert: a text column whose every value is an R logical spelling is logical. */
function asRLogical(values: (string | null)[]): Column | null {
  let any = false;
  for (const v of values) {
    if (v === null) continue;
    if (!R_TRUE.has(v) && !R_FALSE.has(v)) return null;
    any = true;
  }
  if (!any) return null;
  return { kind: 'logical', values: Float64Array.from(values, (v) => (v === null ? NaN : R_TRUE.has(v) ? 1 : 0)) };
}

/** Reads only the columns a formula (plus weights/cluster options) needs. */
export async function readTableForFormula(path: string, formula: Formula, extra: readonly (string | null | undefined)[] = []): Promise<DataTable> {
  const columns = formulaColumns(formula);
  for (const c of extra) if (c && !columns.includes(c)) columns.push(c);
  return readTable(path, { columns });
}

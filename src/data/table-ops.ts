/**
 * Row selection and column addition on DataTables (columnar; each column copied once).
 */
import type { Column, DataTable } from '../core/types.js';

/** The rows `rows` (0-based, may repeat) of every column, keeping factor level orders. */
export function takeRows(table: DataTable, rows: ArrayLike<number>): DataTable {
  const columns = new Map<string, Column>();
  for (const [name, c] of table.columns) {
    if (c.kind === 'string') {
      const values = Array.from({ length: rows.length }, (_, k) => c.values[rows[k]!] ?? null);
      columns.set(name, c.levels ? { kind: 'string', values, levels: c.levels } : { kind: 'string', values });
    } else {
      columns.set(name, { kind: c.kind, values: Float64Array.from({ length: rows.length }, (_, k) => c.values[rows[k]!]!) });
    }
  }
  return { nrow: rows.length, columns, source: table.source };
}

/** A new table with extra (or replaced) numeric columns of the same length. */
export function withNumberColumns(table: DataTable, extra: Record<string, ArrayLike<number>>): DataTable {
  const columns = new Map(table.columns);
  for (const [name, values] of Object.entries(extra)) {
    if (values.length !== table.nrow) throw new Error(`withNumberColumns: ${name} has ${values.length} values, table has ${table.nrow} rows`);
    columns.set(name, { kind: 'number', values: Float64Array.from(values) });
  }
  return { nrow: table.nrow, columns, source: table.source };
}

/** Numeric column values (throws for a missing or text column: a programming error). */
export function numberColumn(table: DataTable, name: string): Float64Array {
  const c = table.columns.get(name);
  if (c === undefined || c.kind === 'string') throw new Error(`numberColumn: ${name} is not a numeric column`);
  return c.values;
}

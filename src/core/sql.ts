/**
 * SQL literals for the DuckDB statements we build (file paths, item names, codes). Values that
 * come from users still go in as these quoted literals only where DuckDB cannot bind a
 * parameter (table functions such as read_csv, ATTACH, COPY ... TO); everything else is bound.
 */

/** A single-quoted SQL string literal: `it's` -> `'it''s'`. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A double-quoted SQL identifier: `a"b` -> `"a""b"`. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

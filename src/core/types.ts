/**
 * The plain, column-oriented data types every layer shares: a table as read from a file, and a
 * survival outcome. (Model matrices and groupings are the estimators' own: src/stats/types.ts.)
 *
 * Conventions (R's, so results can be compared line by line):
 *  - Missing numeric values are NaN; missing strings are null.
 *  - Arrays are typed arrays, one per column; no per-row objects.
 */

/** One column of a data table as read from CSV/Parquet/PUF. */
export type Column =
  | { kind: 'number'; values: Float64Array } // NaN = missing
  | { kind: 'logical'; values: Float64Array } // 0 = FALSE, 1 = TRUE, NaN = missing
  | { kind: 'string'; values: (string | null)[]; levels?: string[] }; // null = missing; levels: an R factor's level order (first = reference), else sorted

/** A columnar table. `source` names the file, for error messages. */
export interface DataTable {
  nrow: number;
  columns: Map<string, Column>;
  source?: string;
}

/** Right-censored `(0, stop]` or counting-process `(start, stop]` survival outcome. */
export interface SurvivalData {
  n: number;
  /** Entry times for counting-process data; null for right-censored data. */
  start: Float64Array | null;
  /** Exit (event or censoring) times. */
  stop: Float64Array;
  /** 1 = event at `stop`, 0 = censored. */
  event: Uint8Array;
}

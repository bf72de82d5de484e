/**
 * The plain, column-oriented data types shared by every estimator in src/stats and src/causal.
 *
 * Conventions (R's, so results can be compared line by line):
 *  - Missing numeric values are NaN; missing strings are null.
 *  - Arrays are typed arrays, one per column; no per-row objects.
 *  - Group/strata/cluster codes are 0-based Int32Array indices into a names array.
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

/** A model matrix without intercept (Cox) or with one (logistic), stored column by column. */
export interface DesignMatrix {
  n: number;
  /** Number of columns. */
  p: number;
  /** p columns of length n. */
  columns: Float64Array[];
  /** R's column names: `age`, `factor(stage)3`, `sexm`, `factor(histol)2:age`. */
  names: string[];
  /** For each column, the index of the term (in `termLabels`) that produced it (R's `assign`). */
  assign: Int32Array;
  /** R's term labels: `age`, `factor(stage)`, `factor(histol):age`. */
  termLabels: string[];
}

/** A grouping of rows: codes 0..names.length-1, one per row. */
export interface Grouping {
  codes: Int32Array;
  /** Display names, R style: `sex=1`, or `sex=1, ph.ecog=0` for several variables. */
  names: string[];
}

/**
 * The estimators' own column-oriented types: the model matrix and a grouping of rows. The data
 * table and the survival outcome every layer shares are in src/core/types.ts.
 *
 * Conventions (R's): arrays are typed arrays, one per column; group/strata/cluster codes are
 * 0-based Int32Array indices into a names array.
 */

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

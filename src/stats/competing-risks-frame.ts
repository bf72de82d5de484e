/**
 * Competing-risks outcomes from a formula: `Surv(time, status) ~ rhs` where status is 0 for
 * censored and a positive whole number naming the cause (R: Surv(time, factor(status)) with the
 * censoring level first, or cmprsk's fstatus with cencode = 0).
 *
 * Inputs:  a Formula whose response is Surv(time, status) (right-censored only), a DataTable.
 * Outputs: CompetingRisksFrame: the outcome (time, cause code 1..k or 0, cause labels), the
 *          grouping frame's groups/strata (survfit's view) or the model frame's design (crr's),
 *          rows dropped for missing values and the original index of every kept row.
 * Method:  the status column is checked on every present row (a whole number >= 0, else an
 *          InputError naming file, row, column and value); it is then replaced by its event
 *          indicator (status > 0) so the shared model frame applies R's na.omit, factor and
 *          contrast rules unchanged; the cause of each kept row is read back from the original
 *          column. Cause labels are the distinct positive statuses among kept rows, sorted
 *          (cmprsk: uclab <- sort(unique(fstatus[fstatus != cencode]))).
 * Reference: survival::Surv (multi-state), cmprsk::cuminc / crr argument conventions.
 */
import { InputError, SpecificationError } from '../core/errors.js';
import { parseFormula, type Formula } from './formula.js';
import { buildGroupingFrame, buildModelFrame, unknownColumnError } from './model-frame.js';
import type { Column, DataTable } from '../core/types.js';
import type { DesignMatrix, Grouping } from './types.js';

/** A right-censored competing-risks outcome: one exit time and one cause (0 = censored) per row. */
export interface CompetingRisksOutcome {
  n: number;
  time: Float64Array;
  /** 0 = censored, c = the c-th cause in `causes` (1-based). */
  cause: Int32Array;
  /** The status value of each cause code 1..k (index c - 1). */
  causes: number[];
}

export interface CompetingRisksFrame {
  outcome: CompetingRisksOutcome;
  /** survfit/cuminc groups from the right-hand side (null for `~ 1` or in design mode). */
  groups: Grouping | null;
  /** strata() codes (Gray's test strata), or null. */
  strata: Grouping | null;
  /** The design matrix (design mode only). */
  design: DesignMatrix | null;
  nDropped: number;
  rows: Int32Array;
}

function statusValues(table: DataTable, name: string): Float64Array {
  const col = table.columns.get(name);
  if (col === undefined) throw unknownColumnError(name, [...table.columns.keys()], table.source);
  let values: Float64Array;
  if (col.kind === 'string') {
    values = new Float64Array(table.nrow);
    for (let i = 0; i < table.nrow; i++) {
      const s = col.values[i];
      values[i] = s === null || s === undefined ? NaN : s.trim() === '' ? NaN : Number(s.trim());
      if (s !== null && s !== undefined && Number.isNaN(values[i]!)) throw new InputError('status must be 0 (censored) or a whole number >= 1 naming the cause', { file: table.source, row: i + 1, column: name, value: s });
    }
  } else values = col.values;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (!(v >= 0) || !Number.isInteger(v)) throw new InputError('status must be 0 (censored) or a whole number >= 1 naming the cause', { file: table.source, row: i + 1, column: name, value: String(v) });
  }
  return values;
}

/**
 * Applies `Surv(time, status) ~ rhs` to a table for competing risks. mode 'groups': the
 * right-hand side defines survfit/cuminc groups; mode 'design': it is a model (crr, Cox).
 */
export function buildCompetingRisksFrame(formula: Formula | string, table: DataTable, mode: 'groups' | 'design'): CompetingRisksFrame {
  const f = typeof formula === 'string' ? parseFormula(formula) : formula;
  if (f.response?.kind !== 'surv') throw new SpecificationError('the formula needs a Surv(time, status) response', { position: 0, source: f.source });
  if (f.response.start !== null) throw new SpecificationError('competing risks take right-censored Surv(time, status), not (start, stop] data', { position: 0, source: f.source });
  const statusName = f.response.event;
  const raw = statusValues(table, statusName);
  const indicator = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i++) indicator[i] = Number.isNaN(raw[i]!) ? NaN : raw[i]! > 0 ? 1 : 0;
  const columns = new Map<string, Column>(table.columns);
  columns.set(statusName, { kind: 'number', values: indicator });
  const view: DataTable = { nrow: table.nrow, columns, source: table.source };

  let groups: Grouping | null = null;
  let strata: Grouping | null = null;
  let design: DesignMatrix | null = null;
  let rows: Int32Array;
  let nDropped: number;
  let time: Float64Array;
  if (mode === 'groups') {
    const g = buildGroupingFrame(f, view);
    groups = g.groups;
    if (g.strata) {
      const names = [...new Set(g.strata)].sort((a, b) => a - b).map((c) => `stratum ${c + 1}`);
      strata = { codes: g.strata, names };
    }
    rows = g.rows;
    nDropped = g.nDropped;
    time = g.survival.stop;
  } else {
    const m = buildModelFrame(f, view);
    design = m.design;
    strata = m.strata;
    rows = m.rows;
    nDropped = m.nDropped;
    time = m.survival!.stop;
  }
  const labels = [...new Set(Array.from(rows, (r) => raw[r]!).filter((v) => v > 0))].sort((a, b) => a - b);
  const code = new Map(labels.map((v, i) => [v, i + 1]));
  const cause = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) cause[i] = code.get(raw[rows[i]!]!) ?? 0;
  return { outcome: { n: rows.length, time, cause, causes: labels }, groups, strata, design, nDropped, rows };
}

/**
 * Model frames: a formula applied to a data table, R's model.frame + model.matrix + Surv.
 *
 * Inputs:  a Formula (or its text), a DataTable, and options (intercept, weights column,
 *          cluster column, extra columns that must also be complete).
 * Outputs: ModelFrame: the survival outcome or plain response, the design matrix (R's column
 *          names, order and `assign`), strata (Grouping), cluster codes, weights, the number of
 *          rows dropped for missing values and the original index of every kept row.
 *          buildGroupingFrame gives survfit/survdiff's view of a formula: groups, not a design.
 * Method:  R's rules, in R's order:
 *          1. Every column the model uses must exist (else SpecificationError with close matches).
 *          2. Values are validated on every row where they are present, as R's Surv() does
 *             before na.omit: times must be numbers >= 0, stop > start, status 0/1, FALSE/TRUE or
 *             1/2 (all values in {1,2} means 2 = event, exactly R's Surv rule), weights > 0.
 *             A text column used as a number names its first non-numeric row.
 *          3. na.omit: a row missing any used value is dropped.
 *          4. Treatment contrasts: a factor in a term is coded by contrasts (first level is the
 *             reference) when the term without that factor is also in the model (the intercept
 *             counts as the empty term), otherwise by one indicator per level; within a term the
 *             first variable varies fastest. This is model.matrix's rule (model.c, TermCode).
 *          Text columns used directly become factors after na.omit (levels from the kept rows,
 *          as model.matrix converts them); factor(x) levels, for numbers and text alike, come
 *          from every non-missing x, as model.frame evaluates factor() before na.omit (coxph
 *          keeps such unused levels, giving an all-zero column and an NA coefficient; glm drops
 *          them: `dropUnusedLevels`).
 * Reference: R stats::model.frame.default, model.matrix.default; survival::Surv, coxph.
 */
import { InputError, SpecificationError } from '../core/errors.js';
import { parseFormula, type Formula, type FormulaFactor } from './formula.js';
import { factorCoding, groupRows, type FactorCoding } from './grouping.js';
import type { DesignMatrix, Grouping } from './types.js';
import type { Column, DataTable, SurvivalData } from '../core/types.js';

export interface ModelFrameOptions {
  /** Add R's `(Intercept)` column (logistic). Default false (Cox). */
  intercept?: boolean;
  /** Column of case weights. */
  weights?: string | null;
  /** Column of cluster ids (in addition to, or instead of, cluster() in the formula). */
  cluster?: string | null;
  /** Further columns that must be non-missing for a row to be kept. */
  extraColumns?: string[];
  /** Drop factor() levels unused after na.omit (glm's drop.unused.levels = TRUE). Default false (coxph). */
  dropUnusedLevels?: boolean;
}

export interface ModelFrame {
  survival: SurvivalData | null;
  response: Float64Array | null;
  design: DesignMatrix;
  strata: Grouping | null;
  cluster: Int32Array | null;
  weights: Float64Array | null;
  /** Rows dropped by na.omit (missing value in any used column). */
  nDropped: number;
  /** Original 0-based row index of each kept row. */
  rows: Int32Array;
  /** Levels of every factor variable, keyed by R's variable label (`factor(stage)`, `sex`). */
  xlevels: Record<string, string[]>;
}

export interface GroupingFrame {
  survival: SurvivalData;
  /** Groups from the right-hand side (null for `~ 1`). */
  groups: Grouping | null;
  /** strata() codes, for survdiff's stratified test. */
  strata: Int32Array | null;
  weights: Float64Array | null;
  nDropped: number;
  rows: Int32Array;
}

// ---------------------------------------------------------------------------------------------
// Column access and validation

function getColumn(table: DataTable, name: string): Column {
  const col = table.columns.get(name);
  if (col === undefined) throw unknownColumnError(name, [...table.columns.keys()], table.source);
  return col;
}

/** A SpecificationError for a column that is not in the data, suggesting close matches. */
export function unknownColumnError(name: string, available: string[], file?: string): SpecificationError {
  const close = available.filter((c) => c.toLowerCase() === name.toLowerCase() || editDistance(c.toLowerCase(), name.toLowerCase()) <= 2);
  const hint = close.length > 0 ? `; did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : `; columns are ${available.slice(0, 30).join(', ')}${available.length > 30 ? ', ...' : ''}`;
  return new SpecificationError(`no such column${hint}`, { file, column: name });
}

function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** Parses a text cell as R's as.numeric would (surrounding blanks allowed); NaN if it is not a number. */
function parseNumber(s: string): number {
  const t = s.trim();
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return NaN;
  return Number(t);
}

/**
 * A column as numbers (NaN = missing). A text column must hold numbers in every non-missing
 * cell: the first that does not is an InputError naming file, row, column and value.
 */
function numericValues(table: DataTable, name: string, role: string): Float64Array {
  const col = getColumn(table, name);
  if (col.kind !== 'string') return col.values;
  const out = new Float64Array(table.nrow);
  for (let i = 0; i < table.nrow; i++) {
    const s = col.values[i];
    if (s === null || s === undefined) {
      out[i] = NaN;
      continue;
    }
    const x = parseNumber(s);
    if (Number.isNaN(x)) throw new InputError(`${role} must be a number`, { file: table.source, row: i + 1, column: name, value: s });
    out[i] = x;
  }
  return out;
}

function isMissing(col: Column, i: number): boolean {
  return col.kind === 'string' ? col.values[i] === null || col.values[i] === undefined : Number.isNaN(col.values[i]!);
}

function validateTimes(table: DataTable, name: string, values: Float64Array): void {
  for (let i = 0; i < values.length; i++) {
    const t = values[i]!;
    if (Number.isNaN(t)) continue;
    if (!Number.isFinite(t)) throw new InputError('time must be a finite number', { file: table.source, row: i + 1, column: name, value: String(t) });
    if (t < 0) throw new InputError('time must be >= 0', { file: table.source, row: i + 1, column: name, value: String(t) });
  }
}

/** R's Surv() status rule: 0/1 or FALSE/TRUE; if every value is 1 or 2, then 2 = event. */
function eventCoding(table: DataTable, name: string, values: Float64Array): Uint8Array {
  let has0 = false;
  let has2 = false;
  let first2 = -1;
  let first0 = -1;
  for (let i = 0; i < values.length; i++) {
    const e = values[i]!;
    if (Number.isNaN(e)) continue;
    if (e !== 0 && e !== 1 && e !== 2) {
      throw new InputError('status must be 0/1 (censored/event), FALSE/TRUE, or 1/2 (2 = event)', { file: table.source, row: i + 1, column: name, value: String(e) });
    }
    if (e === 0 && first0 < 0) first0 = i;
    if (e === 2 && first2 < 0) first2 = i;
    has0 ||= e === 0;
    has2 ||= e === 2;
  }
  if (has0 && has2) {
    const row = Math.max(first0, first2);
    throw new InputError('status mixes 0/1 coding and 1/2 coding (0, 1 and 2 all occur)', { file: table.source, row: row + 1, column: name, value: String(values[row]) });
  }
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = has2 ? (values[i] === 2 ? 1 : 0) : values[i] === 1 ? 1 : 0;
  return out;
}

interface ParsedSurvival {
  start: Float64Array | null;
  stop: Float64Array;
  event: Uint8Array;
  eventRaw: Float64Array;
}

function survivalColumns(table: DataTable, response: { start: string | null; stop: string; event: string }): ParsedSurvival {
  const stop = numericValues(table, response.stop, 'time');
  validateTimes(table, response.stop, stop);
  let start: Float64Array | null = null;
  if (response.start !== null) {
    start = numericValues(table, response.start, 'start time');
    validateTimes(table, response.start, start);
    for (let i = 0; i < stop.length; i++) {
      if (!Number.isNaN(start[i]!) && !Number.isNaN(stop[i]!) && !(stop[i]! > start[i]!)) {
        throw new InputError(`stop time must be greater than start time (start ${start[i]}, stop ${stop[i]})`, { file: table.source, row: i + 1, column: response.stop, value: String(stop[i]) });
      }
    }
  }
  const eventRaw = numericValues(table, response.event, 'status');
  const event = eventCoding(table, response.event, eventRaw);
  return { start, stop, event, eventRaw };
}

function validateWeights(table: DataTable, name: string): Float64Array {
  const w = numericValues(table, name, 'weight');
  for (let i = 0; i < w.length; i++) {
    const x = w[i]!;
    if (!Number.isNaN(x) && !(x > 0 && Number.isFinite(x))) throw new InputError('weights must be positive finite numbers', { file: table.source, row: i + 1, column: name, value: String(x) });
  }
  return w;
}

/**
 * A text column used directly as a covariate is a factor (R's character -> factor) unless most
 * of its values are numbers: then it is a numeric column with a typo, and we name the first
 * non-numeric cell rather than silently fit hundreds of dummy variables.
 */
function checkNumericLooking(table: DataTable, name: string, col: Column): void {
  if (col.kind !== 'string' || col.levels !== undefined) return; // declared factor levels: categorical by intent
  let numeric = 0;
  let present = 0;
  let firstBad = -1;
  for (let i = 0; i < table.nrow; i++) {
    const s = col.values[i];
    if (s === null || s === undefined) continue;
    present++;
    if (Number.isNaN(parseNumber(s))) {
      if (firstBad < 0) firstBad = i;
    } else numeric++;
  }
  if (firstBad >= 0 && numeric > present / 2) {
    throw new InputError(`column is mostly numbers but this value is not one (use factor(${name}) if the column is categorical)`, { file: table.source, row: firstBad + 1, column: name, value: col.values[firstBad]! });
  }
}

// ---------------------------------------------------------------------------------------------
// Design matrix

interface VariableCoding {
  factor: FormulaFactor;
  /** Present for categorical variables. */
  coding: FactorCoding | null;
  /** Numeric values per kept row, for numeric variables. */
  numeric: Float64Array | null;
}

function buildDesign(formula: Formula, table: DataTable, rows: Int32Array, intercept: boolean, dropUnused: boolean, xlevels: Record<string, string[]>): DesignMatrix {
  const n = rows.length;
  const codings = new Map<string, VariableCoding>();
  for (const term of formula.terms) {
    for (const f of term.factors) {
      if (codings.has(f.label)) continue;
      const col = getColumn(table, f.name);
      if (f.isFactor || col.kind === 'string' || col.kind === 'logical') {
        let coding: FactorCoding;
        if (col.kind === 'logical' && !f.isFactor) {
          // R codes a logical variable as a factor with levels FALSE, TRUE whatever occurs.
          const codes = new Int32Array(n);
          for (let i = 0; i < n; i++) codes[i] = col.values[rows[i]!] === 1 ? 1 : 0;
          coding = { levels: ['FALSE', 'TRUE'], codes };
        } else if (f.isFactor && !dropUnused) {
          const all = new Int32Array(table.nrow);
          for (let i = 0; i < all.length; i++) all[i] = i;
          coding = factorCoding(col, rows, all);
        } else {
          coding = factorCoding(col, rows);
        }
        codings.set(f.label, { factor: f, coding, numeric: null });
        xlevels[f.label] = coding.levels;
      } else {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = col.values[rows[i]!]!;
        codings.set(f.label, { factor: f, coding: null, numeric: values });
      }
    }
  }
  const termSets = formula.terms.map((t) => t.factors.map((f) => f.label));
  const hasTerm = (labels: string[]): boolean => (labels.length === 0 ? true : termSets.some((s) => s.length === labels.length && s.every((x) => labels.includes(x))));

  const columns: Float64Array[] = [];
  const names: string[] = [];
  const assign: number[] = [];
  if (intercept) {
    columns.push(new Float64Array(n).fill(1));
    names.push('(Intercept)');
    assign.push(-1);
  }
  formula.terms.forEach((term, termIndex) => {
    // Each variable contributes a list of (name, values) "pieces"; the term's columns are their
    // product, with the first variable varying fastest.
    let pieces: { name: string; values: Float64Array }[] = [{ name: '', values: new Float64Array(n).fill(1) }];
    term.factors.forEach((f) => {
      const vc = codings.get(f.label)!;
      let own: { name: string; values: Float64Array }[];
      if (vc.coding === null) {
        own = [{ name: f.label, values: vc.numeric! }];
      } else {
        const margin = term.factors.filter((g) => g.label !== f.label).map((g) => g.label);
        const useContrasts = hasTerm(margin);
        const first = useContrasts ? 1 : 0;
        own = [];
        for (let level = first; level < vc.coding.levels.length; level++) {
          const v = new Float64Array(n);
          for (let i = 0; i < n; i++) v[i] = vc.coding.codes[i] === level ? 1 : 0;
          own.push({ name: `${f.label}${vc.coding.levels[level]}`, values: v });
        }
      }
      const next: { name: string; values: Float64Array }[] = [];
      for (const o of own) {
        for (const p of pieces) {
          const v = new Float64Array(n);
          for (let i = 0; i < n; i++) v[i] = p.values[i]! * o.values[i]!;
          next.push({ name: p.name === '' ? o.name : `${p.name}:${o.name}`, values: v });
        }
      }
      pieces = next;
    });
    for (const p of pieces) {
      columns.push(p.values);
      names.push(p.name);
      assign.push(termIndex);
    }
  });
  return { n, p: columns.length, columns, names, assign: Int32Array.from(assign), termLabels: formula.terms.map((t) => t.label) };
}

// ---------------------------------------------------------------------------------------------
// Shared row selection

function keptRows(table: DataTable, used: Column[]): Int32Array {
  const keep: number[] = [];
  outer: for (let i = 0; i < table.nrow; i++) {
    for (const c of used) if (isMissing(c, i)) continue outer;
    keep.push(i);
  }
  return Int32Array.from(keep);
}

function survivalData(s: ParsedSurvival, rows: Int32Array): SurvivalData {
  const n = rows.length;
  const stop = new Float64Array(n);
  const event = new Uint8Array(n);
  const start = s.start ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    stop[i] = s.stop[r]!;
    event[i] = s.event[r]!;
    if (start) start[i] = s.start![r]!;
  }
  return { n, start, stop, event };
}

function pick(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]!]!;
  return out;
}

/** A Column view with string cells parsed as numbers (missing stays missing). */
function numberColumn(values: Float64Array): Column {
  return { kind: 'number', values };
}

/** glm's response: numbers as they are, a logical as 0/1, a two-level text column as 0 (first level) / 1. */
function responseValues(table: DataTable, name: string): Float64Array {
  const col = getColumn(table, name);
  if (col.kind !== 'string') return col.values;
  const levels = [...new Set(col.values.filter((v): v is string => v !== null))].sort();
  if (levels.length > 0 && levels.every((l) => !Number.isNaN(parseNumber(l)))) return numericValues(table, name, 'response');
  if (levels.length > 2) {
    const row = col.values.findIndex((v) => v === levels[2]);
    throw new InputError(`a text response must have two values (first = 0); found ${levels.length}: ${levels.slice(0, 5).join(', ')}`, { file: table.source, row: row + 1, column: name, value: levels[2] });
  }
  const out = new Float64Array(table.nrow);
  for (let i = 0; i < table.nrow; i++) {
    const v = col.values[i];
    out[i] = v === null || v === undefined ? NaN : v === levels[0] ? 0 : 1;
  }
  return out;
}

/**
 * Applies a formula to a table: R's model.frame (na.omit) then model.matrix (treatment
 * contrasts) and Surv. See the module header for the rules.
 */
export function buildModelFrame(formula: Formula | string, table: DataTable, options: ModelFrameOptions = {}): ModelFrame {
  const f = typeof formula === 'string' ? parseFormula(formula) : formula;
  const used: Column[] = [];

  let surv: ParsedSurvival | null = null;
  let responseAll: Float64Array | null = null;
  if (f.response?.kind === 'surv') {
    surv = survivalColumns(table, f.response);
    used.push(numberColumn(surv.stop), numberColumn(surv.eventRaw));
    if (surv.start) used.push(numberColumn(surv.start));
  } else if (f.response?.kind === 'variable') {
    responseAll = responseValues(table, f.response.name);
    used.push(numberColumn(responseAll));
  }

  for (const term of f.terms) {
    for (const factor of term.factors) {
      const col = getColumn(table, factor.name);
      if (!factor.isFactor) checkNumericLooking(table, factor.name, col);
      used.push(col);
    }
  }
  for (const s of f.strata) used.push(getColumn(table, s));

  const clusterName = f.cluster ?? options.cluster ?? null;
  if (f.cluster !== null && options.cluster && options.cluster !== f.cluster) {
    throw new SpecificationError(`cluster(${f.cluster}) in the formula and --cluster ${options.cluster} disagree`, { column: options.cluster });
  }
  if (clusterName !== null) used.push(getColumn(table, clusterName));

  let weightsAll: Float64Array | null = null;
  if (options.weights) {
    weightsAll = validateWeights(table, options.weights);
    used.push(numberColumn(weightsAll));
  }
  for (const extra of options.extraColumns ?? []) used.push(getColumn(table, extra));

  const rows = keptRows(table, used);
  const xlevels: Record<string, string[]> = {};
  const design = buildDesign(f, table, rows, options.intercept ?? false, options.dropUnusedLevels ?? false, xlevels);
  const strata = f.strata.length > 0 ? groupRows(f.strata.map((s) => ({ label: s, column: getColumn(table, s) })), rows) : null;
  const cluster = clusterName !== null ? factorCoding(getColumn(table, clusterName), rows).codes : null;

  return {
    survival: surv ? survivalData(surv, rows) : null,
    response: responseAll ? pick(responseAll, rows) : null,
    design,
    strata,
    cluster,
    weights: weightsAll ? pick(weightsAll, rows) : null,
    nDropped: table.nrow - rows.length,
    rows,
    xlevels,
  };
}

/**
 * survfit/survdiff's reading of a formula: the right-hand side variables define groups
 * (`sex=1, ph.ecog=0`), strata() defines survdiff strata. Interactions are not groups.
 */
export function buildGroupingFrame(formula: Formula | string, table: DataTable, options: { weights?: string | null } = {}): GroupingFrame {
  const f = typeof formula === 'string' ? parseFormula(formula) : formula;
  if (f.response?.kind !== 'surv') {
    throw new SpecificationError('the formula needs a Surv(time, status) response', { position: 0, source: f.source });
  }
  const interaction = f.terms.find((t) => t.factors.length > 1);
  if (interaction) throw new SpecificationError(`interaction ${interaction.label} cannot define groups; list the variables with + instead`, { position: Math.max(0, f.source.indexOf(interaction.factors[0]!.name)), source: f.source });
  const surv = survivalColumns(table, f.response);
  const used: Column[] = [numberColumn(surv.stop), numberColumn(surv.eventRaw)];
  if (surv.start) used.push(numberColumn(surv.start));
  const vars = f.terms.map((t) => ({ label: t.label, column: getColumn(table, t.factors[0]!.name) }));
  for (const v of vars) used.push(v.column);
  for (const s of f.strata) used.push(getColumn(table, s));
  let weightsAll: Float64Array | null = null;
  if (options.weights) {
    weightsAll = validateWeights(table, options.weights);
    used.push(numberColumn(weightsAll));
  }
  const rows = keptRows(table, used);
  const groups = vars.length > 0 ? groupRows(vars, rows) : null;
  const strata = f.strata.length > 0 ? groupRows(f.strata.map((s) => ({ label: s, column: getColumn(table, s) })), rows).codes : null;
  return { survival: survivalData(surv, rows), groups, strata, weights: weightsAll ? pick(weightsAll, rows) : null, nDropped: table.nrow - rows.length, rows };
}

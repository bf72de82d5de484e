/**
 * R-style grouping of rows by one or more variables, as survfit, survdiff and strata() do.
 *
 * Inputs:  columns (number, logical or string) and the rows to group (0-based indices; rows
 *          with a missing value must already be removed, as R's na.omit does first).
 * Outputs: a Grouping: 0-based codes per row and R's names, `sex=1` or `sex=1, ph.ecog=0`.
 * Method:  each variable's levels are sorted the way R's factor() sorts them: numbers
 *          numerically, logicals FALSE < TRUE, strings by code point (R sorts characters in the
 *          session's collation; for registry codes and C-locale R that is the same order, but
 *          mixed-case labels may sort differently from an R session in en_US). Combinations are
 *          kept only when they occur, ordered with the first variable varying slowest, which is
 *          the order of R's strata() levels and of survfit's curves.
 * Reference: R survival's strata() and survfit.formula; base R's factor() and as.character().
 */
import type { Grouping } from './types.js';
import type { Column } from '../core/types.js';

/** Levels and 0-based codes of one column, R's factor(). */
export interface FactorCoding {
  /** Level labels, as R prints them (`1`, `2.5`, `TRUE`, `m`). */
  levels: string[];
  /** Code of each requested row (index into levels); -1 for a missing value. */
  codes: Int32Array;
}

/**
 * R's as.character() for a double: up to 15 significant digits, and the shorter of fixed and
 * scientific notation (R prefers fixed on a tie). Whole numbers print as integers, as they do
 * for R's integer columns (read.csv reads whole-number columns as integer).
 *
 * @example rAsCharacter(0.1 + 0.2) // '0.3'
 */
export function rAsCharacter(x: number): string {
  if (Number.isNaN(x)) return 'NA';
  if (x === Infinity) return 'Inf';
  if (x === -Infinity) return '-Inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  // Fewest significant digits (<= 15) that reproduce the value rounded to 15 digits.
  const target = Number(x.toPrecision(15));
  let digits = 1;
  while (digits < 15 && Number(x.toPrecision(digits)) !== target) digits++;
  const sci = x.toExponential(digits - 1).replace(/e([+-])(\d)$/, 'e$10$2');
  const fixedRaw = target.toFixed(Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(target)))));
  const fixed = fixedRaw.includes('.') ? fixedRaw.replace(/0+$/, '').replace(/\.$/, '') : fixedRaw;
  return fixed.length <= sci.length ? fixed : sci;
}

/** Compares level labels by code point, as R does in the C locale. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Codes a column as R's factor() would: levels are the sorted distinct non-missing values among
 * `levelRows`, codes are given for `rows`. Passing the same rows for both drops unused levels.
 */
export function factorCoding(column: Column, rows: Int32Array, levelRows: Int32Array = rows): FactorCoding {
  const codes = new Int32Array(rows.length);
  if (column.kind === 'string') {
    const set = new Set<string>();
    for (const r of levelRows) {
      const v = column.values[r];
      if (v !== null && v !== undefined) set.add(v);
    }
    // A column that carries its own level order (an R factor with explicit levels) keeps it;
    // levels absent from levelRows are dropped, as droplevels() would.
    const levels = column.levels ? column.levels.filter((l) => set.has(l)) : [...set].sort(compareStrings);
    const index = new Map(levels.map((l, i) => [l, i]));
    for (let i = 0; i < rows.length; i++) {
      const v = column.values[rows[i]!];
      codes[i] = v === null || v === undefined ? -1 : (index.get(v) ?? -1);
    }
    return { levels, codes };
  }
  const set = new Set<number>();
  for (const r of levelRows) {
    const v = column.values[r]!;
    if (!Number.isNaN(v)) set.add(v);
  }
  const values = [...set].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  for (let i = 0; i < rows.length; i++) {
    const v = column.values[rows[i]!]!;
    codes[i] = Number.isNaN(v) ? -1 : (index.get(v) ?? -1);
  }
  const levels = column.kind === 'logical' ? values.map((v) => (v === 0 ? 'FALSE' : 'TRUE')) : values.map(rAsCharacter);
  return { levels, codes };
}

/** A variable to group by: the label used in names (`sex`, `factor(stage)`) and its column. */
export interface GroupingVariable {
  label: string;
  column: Column;
}

/**
 * Groups `rows` by the combination of the variables' values, R's survfit/strata() order and
 * names. Codes are per position in `rows`.
 *
 * @example
 * // sex = [1, 2, 1] -> codes [0, 1, 0], names ['sex=1', 'sex=2']
 */
export function groupRows(variables: GroupingVariable[], rows: Int32Array): Grouping {
  const n = rows.length;
  if (variables.length === 0) return { codes: new Int32Array(n), names: ['all'] };
  const codings = variables.map((v) => factorCoding(v.column, rows));
  // Mixed-radix key over the variables' level codes: the first variable is the most significant,
  // so sorting the keys numerically puts the first variable slowest.
  const radix = codings.map((c) => Math.max(1, c.levels.length));
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let key = 0;
    for (let j = 0; j < codings.length; j++) key = key * radix[j]! + codings[j]!.codes[i]!;
    keys[i] = key;
  }
  const distinct = [...new Set(keys)].sort((a, b) => a - b);
  const index = new Map(distinct.map((k, i) => [k, i]));
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = index.get(keys[i]!)!;
  const names = distinct.map((key) => {
    const parts: string[] = new Array<string>(codings.length);
    let rest = key;
    for (let j = codings.length - 1; j >= 0; j--) {
      const code = rest % radix[j]!;
      rest = Math.floor(rest / radix[j]!);
      parts[j] = `${variables[j]!.label}=${codings[j]!.levels[code]}`;
    }
    return parts.join(', ');
  });
  return { codes, names };
}

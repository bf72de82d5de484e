/**
 * The competing-risks R reference cases (reference/r/competing-risks.R ->
 * reference/json/competing-risks.json), their data read as the CLI reads it, and a
 * max-difference check that reports what it measured.
 */
import assert from 'node:assert/strict';
import { readTable } from '../data/read-table.js';
import type { DataTable } from '../core/types.js';
import { loadReference, REPO_ROOT } from './approx.js';
import { join } from 'node:path';

export type Matrix = (number | null)[][];

export interface CoxRef { coef: number[]; var: Matrix | number; naive_var: Matrix | number | null; loglik: number[]; n: number; nevent: number }

export interface CompetingRisksCase {
  file: string;
  group: string | null;
  strata: string | null;
  rhs: string;
  causes: number[];
  times: number[];
  n_group_rows: number;
  survfit: { name: string; states: string[]; time: number[]; n_risk: number[]; pstate: Matrix; std_err: Matrix; lower: Matrix; upper: Matrix }[];
  cuminc: CumincRef;
  cuminc_strata: CumincRef | null;
  crr: { terms: string[]; coef: number[]; se: number[]; z: number[]; p: number[]; var: Matrix | number; loglik: number; loglik_null: number; converged: boolean; n: number; n_dropped: number }[];
  finegray: { rows: number; weight_sum: number; fgstart: number[] | null; fgstop: number[] | null; fgstatus: number[] | null; fgwt: number[] | null; id: number[] | null; efron_row_robust: CoxRef; efron_id_cluster: CoxRef; breslow_row_robust: CoxRef }[];
  cause_specific: CoxRef[];
}

export interface CumincRef {
  curves: { name: string; time: number[]; est: number[]; var: number[] }[];
  tests: { cause: string; stat: number; p: number; df: number }[] | null;
  timepoints: { times: number[]; names: string[]; est: Matrix; var: Matrix };
}

export const competingRisksReference = loadReference<{ cases: Record<string, CompetingRisksCase> }>('competing-risks.json');

export async function caseTable(c: CompetingRisksCase): Promise<DataTable> {
  return readTable(join(REPO_ROOT, c.file));
}

/** A p x p R matrix (row-major JSON, or a bare number for 1 x 1) as a flat row-major array. */
export function flatMatrix(m: Matrix | number): number[] {
  return typeof m === 'number' ? [m] : m.flat().map((x) => (x === null ? NaN : x));
}

/**
 * Asserts max |a - e| <= absTol or max relative difference <= relTol elementwise (each element
 * passes if either holds), and returns the maxima for the test's diagnostic line.
 */
export function maxDiff(actual: ArrayLike<number>, expected: ArrayLike<number | null>, label: string, relTol: number, absTol = relTol * 1e-2): { abs: number; rel: number } {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length} vs R's ${expected.length}`);
  let abs = 0;
  let rel = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i]!;
    if (e === null || Number.isNaN(e)) {
      assert.ok(Number.isNaN(a), `${label}[${i}]: R says NA, got ${a}`);
      continue;
    }
    const d = Math.abs(a - e);
    const r = e === 0 ? (d === 0 ? 0 : Infinity) : d / Math.abs(e);
    assert.ok(d <= absTol || r <= relTol, `${label}[${i}]: got ${a}, R says ${e} (abs ${d.toExponential(2)}, rel ${r.toExponential(2)})`);
    abs = Math.max(abs, d);
    if (Number.isFinite(r)) rel = Math.max(rel, r);
  }
  return { abs, rel };
}

export function describeDiff(label: string, d: { abs: number; rel: number }): string {
  return `${label}: max abs ${d.abs.toExponential(1)}, max rel ${d.rel.toExponential(1)}`;
}

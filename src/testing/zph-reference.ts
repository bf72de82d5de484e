/**
 * The R reference cases of reference/json/zph.json (written by reference/r/zph.R), shared by the
 * cox.zph and residuals.coxph tests: the case layout and its rebuilding into our input types.
 *
 * Inputs: one case as jsonlite wrote it (R's NULL arrives as {}). Outputs: DesignMatrix,
 *   SurvivalData and the strata / case-weight arrays, or null where R had NULL.
 * Reference: reference/r/zph.R (survival 3.5.3 cox.zph and residuals.coxph).
 */
import type { ZphTransform } from '../stats/cox-zph.js';
import type { DesignMatrix } from '../stats/types.js';
import type { SurvivalData } from '../core/types.js';
import { loadReference } from './approx.js';

export interface ZphRefCase {
  name: string;
  ties: 'efron' | 'breslow';
  x: { n: number; p: number; names: string[]; columns: number[][]; assign: number[]; termLabels: string[] };
  start: number[] | null;
  stop: number[];
  status: number[];
  strata: number[] | null;
  weights: number[] | null;
  coefficients: number[];
  variance: number[][];
  naive_variance: number[][] | null;
  residuals: Record<string, number[] | number[][]>;
  zph: { transform: ZphTransform; terms: boolean; term: string[]; chisq: number[]; df: number[]; p: number[]; x: number[]; time: number[]; y: number[][] }[];
}

/** jsonlite writes R's NULL as {}: treat anything that is not an array as absent. */
export function arr(v: unknown): number[] | null {
  return Array.isArray(v) ? (v as number[]) : null;
}

/** The cases of zph.json. */
export function loadZphCases(): ZphRefCase[] {
  return loadReference<{ cases: ZphRefCase[] }>('zph.json').cases;
}

/** One case as our inputs: model matrix, outcome, strata codes and case weights. */
export function zphCaseInputs(c: ZphRefCase): { x: DesignMatrix; y: SurvivalData; strata: Int32Array | null; weights: Float64Array | null } {
  const x: DesignMatrix = {
    n: c.x.n, p: c.x.p, names: c.x.names, columns: c.x.columns.map((col) => Float64Array.from(col)),
    assign: Int32Array.from(c.x.assign), termLabels: c.x.termLabels,
  };
  const start = arr(c.start);
  const strata = arr(c.strata);
  const weights = arr(c.weights);
  const y: SurvivalData = { n: c.stop.length, start: start ? Float64Array.from(start) : null, stop: Float64Array.from(c.stop), event: Uint8Array.from(c.status) };
  return { x, y, strata: strata ? Int32Array.from(strata) : null, weights: weights ? Float64Array.from(weights) : null };
}

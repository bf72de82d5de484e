/**
 * Weighted Cox with a robust variance clustered on matched set or patient (the model the IPTW,
 * matching and clone-censor-weight analyses fit), against R coxph(..., weights = w,
 * cluster = id) (reference/r/weighted-cox.R): right-censored and counting-process data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coxph } from '../stats/cox.js';
import { assertAllClose, loadReference } from '../testing/approx.js';
import type { DesignMatrix } from '../stats/types.js';
import { InputError } from '../core/errors.js';

interface RefCase {
  name: string; ties: 'efron' | 'breslow'; names: string[]; columns: number[][]; start: number[] | null | Record<string, never>;
  stop: number[]; status: number[]; weights: number[]; cluster: number[]; coefficients: number | number[]; variance: (number | number[])[];
  naive_variance: (number | number[])[]; se: number | number[]; robust_se: number | number[]; loglik: number[];
}
const ref = loadReference<{ cases: RefCase[] }>('weighted-cox.json');
/** jsonlite unboxes length-1 vectors: a one-coefficient model's vectors arrive as scalars. */
const vec = (v: number | number[]): number[] => (Array.isArray(v) ? v : [v]);

for (const c of ref.cases) {
  test(`weighted, clustered coxph matches R: ${c.name}`, () => {
    const p = c.columns.length;
    const x: DesignMatrix = { n: c.stop.length, p, columns: c.columns.map((col) => Float64Array.from(col)), names: c.names, assign: Int32Array.from({ length: p }, (_, j) => j), termLabels: c.names };
    const start = Array.isArray(c.start) ? Float64Array.from(c.start) : null;
    const fit = coxph(x, { n: c.stop.length, start, stop: Float64Array.from(c.stop), event: Uint8Array.from(c.status) },
      { ties: c.ties, weights: Float64Array.from(c.weights), cluster: Int32Array.from(c.cluster) });
    assertAllClose(fit.coefficients, vec(c.coefficients), `${c.name} coef`, 1e-6);
    assert.ok(fit.robustSe && fit.naiveVariance);
    assertAllClose(fit.robustSe, vec(c.robust_se), `${c.name} robust se`, 1e-6);
    assertAllClose(fit.se, vec(c.se), `${c.name} se(coef), model-based`, 1e-6);
    assertAllClose(fit.variance, c.variance.flatMap(vec), `${c.name} variance (robust, R's fit$var)`, 1e-6);
    assertAllClose(fit.naiveVariance, c.naive_variance.flatMap(vec), `${c.name} naive variance`, 1e-6);
    assertAllClose(fit.loglik, c.loglik, `${c.name} loglik`, 1e-8);
  });
}

test('weighted coxph: a weight <= 0 is an InputError naming the 1-based row', () => {
  const c = ref.cases[1];
  const p = c.columns.length;
  const x: DesignMatrix = { n: c.stop.length, p, columns: c.columns.map((col) => Float64Array.from(col)), names: c.names, assign: Int32Array.from({ length: p }, (_, j) => j), termLabels: c.names };
  const w = Float64Array.from(c.weights);
  w[4] = 0;
  assert.throws(() => coxph(x, { n: c.stop.length, start: null, stop: Float64Array.from(c.stop), event: Uint8Array.from(c.status) }, { weights: w, cluster: Int32Array.from(c.cluster) }),
    (e: unknown) => e instanceof InputError && e.context.row === 5 && e.context.value === '0');
});

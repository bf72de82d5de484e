/**
 * coxResiduals against R survival 3.5.3 residuals.coxph (reference/r/zph.R -> zph.json), using
 * R's own coefficients and variance: right-censored and counting-process data, Efron and
 * Breslow, strata and case weights. Plus two invariances that hold for any Cox fit at its MLE:
 * martingale residuals sum to 0, score residuals sum to the (zero) score vector.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coxResiduals, type CoxResidualType } from './cox-residuals.js';
import { assertAllClose } from '../testing/approx.js';
import { arr, loadZphCases, zphCaseInputs } from '../testing/zph-reference.js';
import type { DesignMatrix } from './types.js';
import type { SurvivalData } from '../core/types.js';
import { SpecificationError } from '../core/errors.js';

const ref = { cases: loadZphCases() };

function rowMajor(m: number[][]): Float64Array {
  // R's matrix came out column by column; it is symmetric, so either order works.
  const p = m.length;
  const out = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < p; i++) out[i * p + j] = m[j][i];
  return out;
}

for (const c of ref.cases) {
  test(`residuals.coxph matches R: ${c.name}`, () => {
    const { x, y, strata, weights } = zphCaseInputs(c);
    const fit = { coefficients: c.coefficients, variance: rowMajor(c.variance), naiveVariance: arr(c.naive_variance as unknown) ? rowMajor(c.naive_variance!) : null };
    const opts = { strata, weights, ties: c.ties };
    for (const type of ['martingale', 'deviance'] as CoxResidualType[]) {
      const r = coxResiduals(fit, x, y, type, opts);
      // Absolute floor 1e-8: residuals that are ~0 in R carry only rounding noise.
      assertAllClose(r.columns[0], c.residuals[type] as number[], `${c.name} ${type}`, 1e-6, 1e-8);
    }
    for (const type of ['score', 'dfbeta', 'schoenfeld'] as CoxResidualType[]) {
      const r = coxResiduals(fit, x, y, type, opts);
      const expected = c.residuals[type] as number[][];
      assert.equal(r.columns.length, expected.length);
      r.columns.forEach((col, j) => assertAllClose(col, expected[j], `${c.name} ${type}[,${j}]`, 1e-6, 1e-8));
      if (type === 'schoenfeld') assertAllClose(r.time!, c.residuals.schoenfeld_time as number[], `${c.name} schoenfeld time`);
    }
  });
}

test('residuals: martingale residuals sum to 0 and weighted score residuals sum to the zero score at the MLE', () => {
  for (const c of ref.cases) {
    const { x, y, strata, weights } = zphCaseInputs(c);
    const m = coxResiduals({ coefficients: c.coefficients }, x, y, 'martingale', { strata, weights, ties: c.ties }).columns[0];
    const sc = coxResiduals({ coefficients: c.coefficients }, x, y, 'score', { strata, weights, ties: c.ties }).columns;
    let sm = 0;
    for (let i = 0; i < m.length; i++) sm += m[i] * (weights ? weights[i] : 1);
    assert.ok(Math.abs(sm) < 1e-6, `${c.name}: weighted sum of martingale residuals ${sm}`);
    for (const col of sc) {
      let s = 0;
      for (let i = 0; i < col.length; i++) s += col[i] * (weights ? weights[i] : 1);
      assert.ok(Math.abs(s) < 1e-4, `${c.name}: score sum ${s}`);
    }
  }
});

test('residuals: dfbeta without a variance and an unknown type are SpecificationErrors', () => {
  const c = ref.cases[0];
  const { x, y } = zphCaseInputs(c);
  assert.throws(() => coxResiduals({ coefficients: c.coefficients }, x, y, 'dfbeta'), SpecificationError);
  assert.throws(() => coxResiduals({ coefficients: c.coefficients }, x, y, 'pearson' as CoxResidualType), SpecificationError);
});

test('residuals: times equal up to rounding noise are tied, as coxph\'s timefix (1/3 + 1/3 + 1/3 vs 1)', () => {
  const x: DesignMatrix = { n: 4, p: 1, columns: [Float64Array.of(0, 1, 0, 1)], names: ['g'], assign: Int32Array.of(0), termLabels: ['g'] };
  const third = 1 / 3;
  const tied: SurvivalData = { n: 4, start: null, stop: Float64Array.of(1, 1, 2, 3), event: Uint8Array.of(1, 1, 1, 0) };
  const noisy: SurvivalData = { ...tied, stop: Float64Array.of(third + third + third + 1e-15, 1, 2, 3) };
  const a = coxResiduals({ coefficients: [0.3] }, x, tied, 'martingale').columns[0];
  const b = coxResiduals({ coefficients: [0.3] }, x, noisy, 'martingale').columns[0];
  assertAllClose(b, a, 'martingale with near-tied times', 1e-12);
});

/**
 * Pooled logistic from per-patient sums: the same MLE as logisticRegression (itself matched to
 * R's glm) on the expanded person-period rows, frequency weights equal to duplicated patients,
 * a warm start converging to the same place, and an all-zero covariate aliased as R's NA.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pooledLogistic } from './pooled-logistic.js';
import { logisticRegression } from '../stats/logistic.js';
import { Rng } from '../core/random.js';
import { assertAllClose } from '../testing/approx.js';
import type { DesignMatrix } from '../stats/types.js';

function personPeriods(n: number, seed: number): { intervals: Int32Array; event: Uint8Array; z: DesignMatrix } {
  const rng = new Rng(seed);
  const intervals = new Int32Array(n);
  const event = new Uint8Array(n);
  const age = new Float64Array(n);
  const female = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    age[i] = 40 + 30 * rng.uniform();
    female[i] = rng.uniform() < 0.3 ? 1 : 0;
    let k = 0;
    for (;;) {
      const h = 1 / (1 + Math.exp(-(-3 + 0.03 * (age[i] - 55) - 0.5 * female[i] + 0.1 * k - 0.004 * k * k)));
      if (rng.uniform() < h) { event[i] = 1; break; }
      if (k === 30 || rng.uniform() < 0.05) break;
      k++;
    }
    intervals[i] = k + 1;
  }
  return { intervals, event, z: { n, p: 2, columns: [age, female], names: ['age', 'female'], assign: Int32Array.of(0, 1), termLabels: ['age', 'female'] } };
}

function expanded(intervals: Int32Array, event: Uint8Array, z: DesignMatrix, dt: number, copies: (i: number) => number): { x: DesignMatrix; y: Float64Array } {
  const t: number[] = [];
  const y: number[] = [];
  const cols: number[][] = z.columns.map(() => []);
  for (let i = 0; i < intervals.length; i++) {
    for (let c = 0; c < copies(i); c++) {
      for (let k = 0; k < intervals[i]; k++) {
        t.push(k * dt); y.push(k === intervals[i] - 1 ? event[i] : 0);
        z.columns.forEach((col, j) => cols[j].push(col[i]));
      }
    }
  }
  const names = ['(Intercept)', 'interval_start', 'interval_start^2', ...z.names];
  const columns = [new Float64Array(t.length).fill(1), Float64Array.from(t), Float64Array.from(t, (v) => v * v), ...cols.map((c) => Float64Array.from(c))];
  return { x: { n: t.length, p: names.length, columns, names, assign: Int32Array.from(names, (_, j) => j), termLabels: names }, y: Float64Array.from(y) };
}

test('pooled logistic from per-patient sums equals glm (logisticRegression) on the person-period rows', () => {
  const { intervals, event, z } = personPeriods(1500, 11);
  const fast = pooledLogistic({ intervals, event, covariates: z, intervalLength: 0.5 });
  const { x, y } = expanded(intervals, event, z, 0.5, () => 1);
  const ref = logisticRegression(x, y);
  assert.ok(fast.converged);
  assertAllClose(fast.coefficients, ref.coefficients, 'coefficients', 1e-7);
  assertAllClose([fast.deviance], [ref.deviance], 'deviance', 1e-10);
});

test('pooled logistic: frequency weights equal duplicated patients; a warm start reaches the same MLE', () => {
  const { intervals, event, z } = personPeriods(600, 12);
  const copies = (i: number): number => i % 3;
  const count = Float64Array.from(intervals, (_, i) => copies(i));
  const fast = pooledLogistic({ intervals, event, covariates: z, intervalLength: 1, count });
  const { x, y } = expanded(intervals, event, z, 1, copies);
  const ref = logisticRegression(x, y);
  assertAllClose(fast.coefficients, ref.coefficients, 'weighted coefficients', 1e-7);
  const warm = pooledLogistic({ intervals, event, covariates: z, intervalLength: 1, count, start: Float64Array.from(fast.coefficients, (b) => b * 0.9) });
  assertAllClose(warm.coefficients, fast.coefficients, 'warm start', 1e-7);
});

test('pooled logistic: a covariate that is zero for every weighted patient is aliased (NaN), as glm', () => {
  const { intervals, event, z } = personPeriods(400, 13);
  const zero: DesignMatrix = { ...z, p: 3, columns: [...z.columns, new Float64Array(z.n)], names: [...z.names, 'never'], assign: Int32Array.of(0, 1, 2), termLabels: [...z.names, 'never'] };
  const fit = pooledLogistic({ intervals, event, covariates: zero, intervalLength: 1 });
  const ref = pooledLogistic({ intervals, event, covariates: z, intervalLength: 1 });
  assert.ok(Number.isNaN(fit.coefficients[5]));
  assertAllClose(fit.coefficients.subarray(0, 5), ref.coefficients, 'other coefficients', 1e-12);
});

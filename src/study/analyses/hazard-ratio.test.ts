// fitCox follows R's coxph default for the robust variance: robust = TRUE when the formula has
// cluster() or the weights are not whole numbers (survival 3.5, coxph.R: robust <- ... ||
// any(weights != floor(weights))), and only then; an explicit option wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DataTable } from '../../core/types.js';
import { fitCox } from './hazard-ratio.js';

const time = [5, 8, 12, 3, 9, 15, 4, 11, 7, 14];
const death = [1, 0, 1, 1, 1, 0, 1, 1, 0, 1];
const x = [1, 0, 1, 0, 1, 0, 1, 0, 0, 1];
const table: DataTable = {
  nrow: 10,
  columns: new Map([
    ['time', { kind: 'number', values: Float64Array.from(time) }],
    ['death', { kind: 'number', values: Float64Array.from(death) }],
    ['x', { kind: 'number', values: Float64Array.from(x) }],
    ['id', { kind: 'number', values: Float64Array.from(time, (_, i) => i) }],
    ['w_int', { kind: 'number', values: Float64Array.from(time, (_, i) => 1 + (i % 3)) }],
    ['w_frac', { kind: 'number', values: Float64Array.from(time, (_, i) => 0.5 + i / 7) }],
  ]),
};

test('fitCox: fractional weights without cluster() get the robust variance, as R', () => {
  const m = fitCox(table, 'Surv(time, death) ~ x', { ties: 'efron', weights: 'w_frac' });
  assert.equal(m.fit.robust, true);
  assert.ok(m.fit.robustSe !== null && Number.isFinite(m.fit.robustSe[0]!));
  // Each row is its own cluster: the same as asking for it explicitly.
  const asked = fitCox(table, 'Surv(time, death) ~ x', { ties: 'efron', weights: 'w_frac', robust: true });
  assert.deepEqual(Array.from(m.fit.robustSe), Array.from(asked.fit.robustSe!));
});

test('fitCox: whole-number weights and no cluster() keep the model-based variance; cluster() turns robust on', () => {
  assert.equal(fitCox(table, 'Surv(time, death) ~ x', { ties: 'efron', weights: 'w_int' }).fit.robustSe, null);
  assert.equal(fitCox(table, 'Surv(time, death) ~ x', { ties: 'efron' }).fit.robustSe, null);
  assert.equal(fitCox(table, 'Surv(time, death) ~ x + cluster(id)', { ties: 'efron' }).fit.robust, true);
  assert.equal(fitCox(table, 'Surv(time, death) ~ x', { ties: 'efron', weights: 'w_frac', robust: false }).fit.robustSe, null);
});

/** Propensity model from a formula over lalonde.csv, end to end against R (weighting.R, matchit.R). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAllClose, loadReference, referenceDataPath } from '../testing/approx.js';
import { readTable } from '../data/read-table.js';
import { EstimationError, InputError } from '../core/errors.js';
import type { DataTable } from '../core/types.js';
import { fitPropensityModel, propensityScores } from './propensity.js';
import { nearestNeighborMatch } from './matching.js';

const FORMULA = 'treat ~ age + educ + race + married + nodegree + re74 + re75';

test('propensity scores and their logit match R glm on lalonde', async () => {
  const table = await readTable(referenceDataPath('lalonde.csv'));
  const ref = loadReference<{ ps: number[]; linearPredictor: number[] }>('weighting.json');
  const m = fitPropensityModel(FORMULA, table);
  assert.equal(m.frame.nDropped, 0);
  assertAllClose(m.ps, ref.ps, 'ps');
  assertAllClose(m.linearPredictor, ref.linearPredictor, 'logit ps');
});

test('matching on our own propensity logit reproduces MatchIt 4.5.1 (legacy mode) on lalonde', async () => {
  const table = await readTable(referenceDataPath('lalonde.csv'));
  const ref = loadReference<{ cases: { name: string; weights: number[] }[] }>('matchit.json');
  const m = fitPropensityModel(FORMULA, table);
  const match = nearestNeighborMatch({ distance: m.linearPredictor, treated: m.treated, ratio: 3, caliper: 0.2, legacyMatchIt451: true });
  assertAllClose(match.weights, ref.cases.find((c) => c.name === 'ratio3_caliper')!.weights, 'weights', 1e-12);
});

test('a treatment column that is not 0/1 is an InputError naming the row', () => {
  const table: DataTable = { nrow: 4, source: 't.csv', columns: new Map([['t', { kind: 'number', values: Float64Array.from([0, 1, 2, 0]) }], ['x', { kind: 'number', values: Float64Array.from([1, 2, 3, 4]) }]]) };
  assert.throws(() => fitPropensityModel('t ~ x', table), (e: unknown) => e instanceof InputError && e.context.row === 3 && e.context.column === 't' && e.context.file === 't.csv');
});

test('a treatment with no treated units is an EstimationError', () => {
  const x = { n: 3, p: 1, columns: [new Float64Array(3).fill(1)], names: ['(Intercept)'], assign: Int32Array.from([0]), termLabels: [] };
  assert.throws(() => propensityScores(x, Uint8Array.from([0, 0, 0])), EstimationError);
});

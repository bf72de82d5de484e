/** logisticRegression against R's glm(family = binomial): reference/r/logistic.R. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAllClose, assertClose, loadReference } from '../testing/approx.js';
import { EstimationError, InputError } from '../core/errors.js';
import { logisticRegression } from './logistic.js';
import type { DesignMatrix } from './types.js';

interface RCase {
  name: string;
  x: number[][];
  names: string[];
  y: number[];
  weights?: number[] | null;
  coefficients: (number | null)[];
  se: (number | null)[];
  z: (number | null)[];
  p: (number | null)[];
  or: (number | null)[];
  orLower: (number | null)[];
  orUpper: (number | null)[];
  deviance: number;
  nullDeviance: number;
  dfResidual: number;
  dfNull: number;
  aic: number;
  lrStatistic: number;
  lrDf: number;
  lrP: number;
  iterations: number;
  converged: boolean;
  fitted: number[];
  linearPredictor: number[];
  warnings: string[] | string | Record<string, never>;
}

function design(c: RCase): DesignMatrix {
  return {
    n: c.y.length,
    p: c.x.length,
    columns: c.x.map((col) => Float64Array.from(col)),
    names: c.names,
    assign: Int32Array.from(c.names.map((_, i) => i)),
    termLabels: c.names,
  };
}

function rWarnings(w: RCase['warnings']): string[] {
  if (Array.isArray(w)) return w;
  if (typeof w === 'string') return [w];
  return [];
}

const cases = loadReference<RCase[]>('logistic.json');

for (const c of cases) {
  test(`glm binomial matches R: ${c.name}`, () => {
    const fit = logisticRegression(design(c), Float64Array.from(c.y), { weights: Array.isArray(c.weights) ? Float64Array.from(c.weights) : null });
    // Even the separated fit (25 iterations, no convergence, |eta| ~ 300) agrees to ~1e-10:
    // we take R's steps with R's clamping of the inverse link.
    const tol = 1e-6;
    assert.deepEqual(fit.names, c.names);
    assertAllClose(fit.coefficients, c.coefficients, 'coefficients', tol);
    assertAllClose(fit.se, c.se, 'se', tol);
    assertAllClose(fit.z, c.z, 'z', tol);
    assertAllClose(fit.p, c.p, 'p', tol, 1e-300);
    assertAllClose(fit.or, c.or, 'or', tol);
    assertAllClose(fit.orLower, c.orLower, 'orLower', tol);
    // jsonlite writes R's Inf as null; exp() of a separated coefficient's upper limit is Inf.
    assertAllClose(fit.orUpper.map((v) => (Number.isFinite(v) ? v : NaN)), c.orUpper, 'orUpper', tol);
    assertClose(fit.deviance, c.deviance, 'deviance', tol);
    assertClose(fit.nullDeviance, c.nullDeviance, 'nullDeviance');
    assert.equal(fit.dfResidual, c.dfResidual);
    assert.equal(fit.dfNull, c.dfNull);
    assertClose(fit.aic, c.aic, 'aic', tol);
    assertClose(fit.lrTest.statistic, c.lrStatistic, 'LR statistic', tol);
    assert.equal(fit.lrTest.df, c.lrDf);
    assertClose(fit.lrTest.p, c.lrP, 'LR p', tol, 1e-300);
    assert.equal(fit.iterations, c.iterations);
    assert.equal(fit.converged, c.converged);
    assertAllClose(fit.fitted, c.fitted, 'fitted', tol, 1e-12);
    assertAllClose(fit.linearPredictor, c.linearPredictor, 'linear predictor', tol);
    assert.deepEqual(fit.warnings, rWarnings(c.warnings));
  });
}

test('aliased column is reported as aliased, and the fit equals the fit without it', () => {
  const c = cases.find((k) => k.name === 'aliased')!;
  const fit = logisticRegression(design(c), Float64Array.from(c.y));
  assert.deepEqual(fit.aliased, c.names.map((n) => n === 're7475'));
  const keep = c.names.map((n, i) => [n, i] as const).filter(([n]) => n !== 're7475').map(([, i]) => i);
  const reduced: DesignMatrix = { ...design(c), p: keep.length, columns: keep.map((i) => Float64Array.from(c.x[i]!)), names: keep.map((i) => c.names[i]!) };
  const fit2 = logisticRegression(reduced, Float64Array.from(c.y));
  assertAllClose(fit2.coefficients, keep.map((i) => fit.coefficients[i]!), 'invariance', 1e-10);
});

test('two-by-two table: closed-form odds ratio and its Woolf standard error', () => {
  // a=30 exposed cases, b=10 exposed non-cases, c=20 unexposed cases, d=40 unexposed non-cases.
  const rows: [number, number, number][] = [[1, 1, 30], [1, 0, 10], [0, 1, 20], [0, 0, 40]];
  const x: number[] = [], y: number[] = [];
  for (const [e, out, k] of rows) for (let i = 0; i < k; i++) { x.push(e); y.push(out); }
  const d: DesignMatrix = { n: x.length, p: 2, columns: [new Float64Array(x.length).fill(1), Float64Array.from(x)], names: ['(Intercept)', 'x'], assign: Int32Array.from([0, 1]), termLabels: ['x'] };
  const fit = logisticRegression(d, Float64Array.from(y));
  assertClose(fit.or[1]!, (30 * 40) / (10 * 20), 'OR', 1e-9);
  // The SE comes from the last iteration's weights (as summary.glm's), one step behind the
  // converged coefficients, so it agrees with the closed form only to the convergence level.
  assertClose(fit.se[1]!, Math.sqrt(1 / 30 + 1 / 10 + 1 / 20 + 1 / 40), 'Woolf SE', 1e-5);
  assertClose(fit.coefficients[0]!, Math.log(20 / 40), 'intercept = log odds among unexposed', 1e-9);
});

test('a response that is not 0/1 is an InputError naming the row', () => {
  const d: DesignMatrix = { n: 3, p: 1, columns: [new Float64Array([1, 1, 1])], names: ['(Intercept)'], assign: Int32Array.from([0]), termLabels: [] };
  assert.throws(() => logisticRegression(d, Float64Array.from([0, 2, 1])), (e: unknown) => e instanceof InputError && e.context.row === 2 && e.context.value === '2');
});

test('a weight <= 0 is an InputError naming the row', () => {
  const d: DesignMatrix = { n: 3, p: 1, columns: [new Float64Array([1, 1, 1])], names: ['(Intercept)'], assign: Int32Array.from([0]), termLabels: [] };
  assert.throws(() => logisticRegression(d, Float64Array.from([0, 1, 1]), { weights: Float64Array.from([1, 1, 0]) }), (e: unknown) => e instanceof InputError && e.context.row === 3 && e.context.column === 'weights');
});

test('complete separation: R\'s warning, R\'s 24 iterations (R 4.x: converged = TRUE, iter = 24)', () => {
  const x = [-3, -2, -1, 1, 2, 3];
  const d: DesignMatrix = { n: 6, p: 2, columns: [new Float64Array(6).fill(1), Float64Array.from(x)], names: ['(Intercept)', 'x'], assign: Int32Array.from([0, 1]), termLabels: ['x'] };
  const fit = logisticRegression(d, Float64Array.from(x.map((v) => (v > 0 ? 1 : 0))));
  assert.deepEqual(fit.warnings, ['glm.fit: fitted probabilities numerically 0 or 1 occurred']);
  assert.equal(fit.converged, true);
  assert.equal(fit.iterations, 24);
});

test('no rows is an EstimationError', () => {
  const d: DesignMatrix = { n: 0, p: 1, columns: [new Float64Array(0)], names: ['(Intercept)'], assign: Int32Array.from([0]), termLabels: [] };
  assert.throws(() => logisticRegression(d, new Float64Array(0)), EstimationError);
});

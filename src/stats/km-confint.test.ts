// Pointwise limits on closed forms: S = 0.6 with SE(log S) = 0.1 at 95% (z = 1.959963984540054).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../testing/approx.js';
import { survivalConfidenceLimits } from './km-confint.js';

const z = 1.959963984540054;
const S = Float64Array.of(0.6, 1, 0, 0.99);
const se = Float64Array.of(0.1, 0, Infinity, 0.5);

test('log: S exp(-/+ z se), upper clipped at 1, NA at S = 0', () => {
  const { lower, upper } = survivalConfidenceLimits(S, se, 'log', 0.95);
  assertClose(lower[0], 0.6 * Math.exp(-z * 0.1), 'lower');
  assertClose(upper[0], 0.6 * Math.exp(z * 0.1), 'upper');
  assert.equal(lower[1], 1);
  assert.equal(upper[1], 1);
  assert.ok(Number.isNaN(lower[2]) && Number.isNaN(upper[2]));
  assert.equal(upper[3], 1);
});

test('log-log: exp(-exp(log(-log S) -/+ z se / log S)), NA at S = 0 and S = 1', () => {
  const { lower, upper } = survivalConfidenceLimits(S, se, 'log-log', 0.95);
  const c = Math.log(-Math.log(0.6));
  const shift = (z * 0.1) / Math.log(0.6);
  assertClose(lower[0], Math.exp(-Math.exp(c - shift)), 'lower');
  assertClose(upper[0], Math.exp(-Math.exp(c + shift)), 'upper');
  assert.ok(lower[0] < 0.6 && upper[0] > 0.6);
  assert.ok(Number.isNaN(lower[1]) && Number.isNaN(lower[2]));
});

test('plain: S -/+ z se S, clipped to [0, 1]; 90% uses z = 1.6449', () => {
  const { lower, upper } = survivalConfidenceLimits(S, se, 'plain', 0.9);
  const z90 = 1.6448536269514722;
  assertClose(lower[0], 0.6 - z90 * 0.06, 'lower');
  assertClose(upper[0], 0.6 + z90 * 0.06, 'upper');
  assert.equal(upper[3], 1);
  assertClose(lower[3], 0.99 - z90 * 0.5 * 0.99, 'lower S=0.99');
});

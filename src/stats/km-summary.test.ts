// Median rule, restricted mean and summary-at-times on hand-worked curves (R's agreement on
// real data is in kaplan-meier.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAllClose, assertClose } from '../testing/approx.js';
import { curveAtTimes, restrictedMean, survivalQuantileHalf } from './km-summary.js';

const f = (...x: number[]) => Float64Array.from(x);

test('median: first time S <= 0.5; midpoint over an exact 0.5 plateau; NA never reached', () => {
  assert.equal(survivalQuantileHalf(f(1, 2, 3, 4), f(0.75, 0.5, 0.25, 0)), 2.5);
  assert.equal(survivalQuantileHalf(f(1, 2, 3), f(0.8, 0.4, 0.2)), 2);
  assert.equal(survivalQuantileHalf(f(1, 2, 3), f(0.9, 0.8, 0.6)), null);
  // 0.5 up to rounding error still counts as the plateau; a trailing plateau gives its start.
  assert.equal(survivalQuantileHalf(f(1, 2, 5), f(0.9, 0.5 + 1e-12, 0.1)), 3.5);
  assert.equal(survivalQuantileHalf(f(1, 2), f(0.9, 0.5)), 2);
  // NA points (limits where R gives NA) are skipped.
  assert.equal(survivalQuantileHalf(f(1, 2, 3), f(0.7, NaN, 0.3)), 3);
});

test('restricted mean: area under the step function and its Greenwood-type variance', () => {
  // S = 1 on [0,2), 0.5 on [2,4), 0.25 from 4; tau = 6: area 2 + 1 + 0.5 = 3.5.
  const time = f(2, 4);
  const r = restrictedMean(time, f(0.5, 0.25), f(4, 2), f(2, 1), 0, 6);
  assertClose(r.rmean, 3.5, 'rmean');
  // var = sum_j d/(n(n-d)) A_j^2, A_1 = area after t=2 = 1.5, A_2 = after 4 = 0.5.
  assertClose(r.se, Math.sqrt((2 / (4 * 2)) * 1.5 * 1.5 + (1 / (2 * 1)) * 0.5 * 0.5), 'se');
  // tau before the first time: the area of S = 1.
  assertClose(restrictedMean(time, f(0.5, 0.25), f(4, 2), f(2, 1), 0, 1.5).rmean, 1.5, 'short tau');
});

test('summary at times: before the first time, on a time, between, beyond the last (dropped)', () => {
  const curve = { time: f(2, 4), surv: f(0.5, 0.25), stdErr: f(0.25, 0.2), lower: f(0.2, 0.05), upper: f(1, 0.9), nRisk: f(4, 2), nEvent: f(2, 1) };
  const at = curveAtTimes(curve, [5, 1, 4, 3], 0);
  assertAllClose(at.time, [1, 3, 4], 'time');
  assertAllClose(at.surv, [1, 0.5, 0.25], 'surv');
  assertAllClose(at.stdErr, [0, 0.25, 0.2], 'se');
  assertAllClose(at.nRisk, [4, 2, 2], 'n.risk');
  assertAllClose(at.nEvent, [0, 2, 1], 'n.event');
  const none = curveAtTimes(curve, [10], 0);
  assert.equal(none.time.length, 0);
});

// aeqSurv (timefix) on hand-worked values; R's own result for the same data is checked in
// kaplan-meier.test.ts and survdiff.test.ts (the "timefix" reference cases).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aeqRepresentatives, timefix } from './timefix.js';

test('times within sqrt(eps) collapse onto the first of their run; others are untouched', () => {
  assert.equal(aeqRepresentatives(Float64Array.of(1, 2, 3)), null);
  const third = 1 / 3 + 1 / 3 + 1 / 3 - 1e-15;
  assert.notEqual(third, 1);
  const fixed = timefix(Float64Array.of(1, third, 2, 5), null);
  assert.equal(fixed.changed, true);
  assert.deepEqual(Array.from(fixed.stop), [third, third, 2, 5]);
  // A chain: each neighbour within tolerance of the previous one maps to the chain's start.
  const reps = aeqRepresentatives(Float64Array.of(10, 10 + 1e-9, 10 + 2e-9, 11));
  assert.deepEqual(Array.from(reps!), [10, 10, 10, 11]);
});

test('relative rule: large times tie when their difference is tiny relative to mean |t|', () => {
  // mean |y| is about 1e9, so a difference of 1 (relative 1e-9 < 1.5e-8) is a tie.
  const reps = aeqRepresentatives(Float64Array.of(1e9, 1e9 + 1, 2e9));
  assert.deepEqual(Array.from(reps!), [1e9, 1e9, 2e9]);
});

test('counting-process start times are mapped with the stop times', () => {
  const f = timefix(Float64Array.of(5, 7), Float64Array.of(0, 5 + 1e-12));
  assert.deepEqual(Array.from(f.start!), [0, 5]);
});

/**
 * landmark(): hand-worked example of R's idiom subset(d, time > L); exposed <- exposureTime <= L.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { landmark } from './landmark.js';
import { InputError } from '../core/errors.js';

test('landmark: keeps time > L, exposure by L (inclusive), clock reset to time - L', () => {
  const r = landmark({
    time: Float64Array.of(2, 3, 3.5, 10, 12, 7),
    event: Uint8Array.of(1, 1, 0, 1, 0, 1),
    exposureTime: Float64Array.of(1, NaN, 1, 3, 4, NaN),
    landmark: 3,
  });
  // Row 0 died before L, row 1 died AT L (no follow-up after L): both dropped.
  assert.deepEqual(Array.from(r.rows), [2, 3, 4, 5]);
  assert.deepEqual(Array.from(r.time), [0.5, 7, 9, 4]);
  assert.deepEqual(Array.from(r.event), [0, 1, 0, 1]);
  // exposed at 1 (yes), at exactly 3 (yes, <= L), at 4 (after L: no), never (no)
  assert.deepEqual(Array.from(r.exposed), [1, 1, 0, 0]);
});

test('landmark: exposure after follow-up is an InputError with the row', () => {
  assert.throws(() => landmark({ time: Float64Array.of(5, 3), event: Uint8Array.of(1, 0), exposureTime: Float64Array.of(1, 4), landmark: 1 }),
    (e: unknown) => e instanceof InputError && e.context.row === 2);
});

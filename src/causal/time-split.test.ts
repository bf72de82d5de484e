/**
 * splitAtExposure against R's tmerge(..., exposed = tdc(exposureTime)) on a 120-patient cohort
 * (reference/r/simon-makuch.R), plus hand-worked edge cases: exposure at 0, exactly at the end
 * of follow-up (no split, as tmerge), never; exposure types; and the after-follow-up error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitAtExposure } from './time-split.js';
import { loadReference } from '../testing/approx.js';
import { InputError } from '../core/errors.js';

interface Ref {
  input: { time: number[]; event: number[]; exposure_time: (number | null)[] };
  split: { id: number[]; start: number[]; stop: number[]; event: number[]; exposed: number[] };
}
const ref = loadReference<Ref>('simon-makuch.json');

test('splitAtExposure reproduces R tmerge/tdc row for row', () => {
  const s = splitAtExposure({
    time: Float64Array.from(ref.input.time),
    event: Uint8Array.from(ref.input.event),
    exposureTime: Float64Array.from(ref.input.exposure_time, (v) => (v === null ? NaN : v)),
  });
  assert.deepEqual(Array.from(s.id), ref.split.id);
  assert.deepEqual(Array.from(s.start), ref.split.start);
  assert.deepEqual(Array.from(s.stop), ref.split.stop);
  assert.deepEqual(Array.from(s.event), ref.split.event);
  assert.deepEqual(Array.from(s.exposed), ref.split.exposed);
  assert.deepEqual(Array.from(s.row), ref.split.id.map((i) => i - 1));
});

test('splitAtExposure: edge cases, exposure types and covariates (hand-worked)', () => {
  const s = splitAtExposure({
    id: Int32Array.of(11, 12, 13, 14),
    time: Float64Array.of(5, 5, 5, 5),
    event: Uint8Array.of(1, 1, 0, 1),
    exposureTime: Float64Array.of(0, 5, 2, NaN),
    exposureType: Int32Array.of(2, 1, 1, 0),
    covariates: { age: Float64Array.of(60, 61, 62, 63) },
  });
  // 11: exposed at baseline -> one exposed row; 12: exposure at the end -> unexposed (tmerge);
  // 13: split at 2, event 0 stays on the last row; 14: never exposed.
  assert.deepEqual(Array.from(s.id), [11, 12, 13, 13, 14]);
  assert.deepEqual(Array.from(s.start), [0, 0, 0, 2, 0]);
  assert.deepEqual(Array.from(s.stop), [5, 5, 2, 5, 5]);
  assert.deepEqual(Array.from(s.event), [1, 1, 0, 0, 1]);
  assert.deepEqual(Array.from(s.exposed), [1, 0, 0, 1, 0]);
  assert.deepEqual(Array.from(s.exposureType), [2, 0, 0, 1, 0]);
  assert.deepEqual(Array.from(s.covariates.age), [60, 61, 62, 62, 63]);
});

test('splitAtExposure: exposure after the end of follow-up is an InputError naming the 1-based row and value', () => {
  assert.throws(() => splitAtExposure({ time: Float64Array.of(5, 3), event: Uint8Array.of(1, 0), exposureTime: Float64Array.of(1, 4), source: 'cohort.csv' }),
    (e: unknown) => e instanceof InputError && e.context.row === 2 && e.context.value === '4' && e.context.file === 'cohort.csv');
  assert.throws(() => splitAtExposure({ time: Float64Array.of(5), event: Uint8Array.of(1), exposureTime: Float64Array.of(1), exposureType: Int32Array.of(0) }), InputError);
});

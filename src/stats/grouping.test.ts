// Expected strings are R 4.x output: as.character() of doubles, and the curve names/order of
// survfit(Surv(time, status) ~ sex + ph.ecog, lung) (first variable varies slowest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factorCoding, groupRows, rAsCharacter } from './grouping.js';
import type { Column } from '../core/types.js';

test('rAsCharacter matches R as.character for doubles', () => {
  const xs = [0.1 + 0.2, 1.5, 1e-20, 123456.7, 1 / 3, 2.5e-7, 0.0001, 1234567.25, -0.75];
  const r = ['0.3', '1.5', '1e-20', '123456.7', '0.333333333333333', '2.5e-07', '1e-04', '1234567.25', '-0.75'];
  assert.deepEqual(xs.map(rAsCharacter), r);
  assert.equal(rAsCharacter(3), '3');
});

const num = (v: number[]): Column => ({ kind: 'number', values: Float64Array.from(v) });
const rowsOf = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

test('factor levels: numbers numerically, strings by code point, logicals FALSE < TRUE', () => {
  assert.deepEqual(factorCoding(num([10, 2, 2, 1.5]), rowsOf(4)), { levels: ['1.5', '2', '10'], codes: Int32Array.from([2, 1, 1, 0]) });
  const s: Column = { kind: 'string', values: ['b', 'B', null, 'a'] };
  assert.deepEqual(factorCoding(s, rowsOf(4)), { levels: ['B', 'a', 'b'], codes: Int32Array.from([2, 0, -1, 1]) });
  const l: Column = { kind: 'logical', values: Float64Array.from([1, 0, 1]) };
  assert.deepEqual(factorCoding(l, rowsOf(3)).levels, ['FALSE', 'TRUE']);
  // Levels from other rows (factor() before na.omit) keep a level no kept row has.
  assert.deepEqual(factorCoding(num([1, 2, 3]), Int32Array.from([0, 1]), rowsOf(3)).levels, ['1', '2', '3']);
});

test('groupRows: R survfit names and order, only combinations that occur', () => {
  const sex = num([2, 1, 1, 2, 1, 2]);
  const ecog = num([0, 1, 3, 0, 1, 2]);
  const g = groupRows([{ label: 'sex', column: sex }, { label: 'ph.ecog', column: ecog }], rowsOf(6));
  assert.deepEqual(g.names, ['sex=1, ph.ecog=1', 'sex=1, ph.ecog=3', 'sex=2, ph.ecog=0', 'sex=2, ph.ecog=2']);
  assert.deepEqual(Array.from(g.codes), [2, 0, 1, 2, 0, 3]);
  const sub = groupRows([{ label: 'sex', column: sex }], Int32Array.from([1, 2]));
  assert.deepEqual(sub.names, ['sex=1']);
  assert.deepEqual(groupRows([], rowsOf(2)).names, ['all']);
});

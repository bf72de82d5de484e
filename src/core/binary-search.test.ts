import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lowerBound, upperBound } from './binary-search.js';

// Against the definition: a linear scan for the first index with a[i] >= v (resp. > v).
function linear(a: Float64Array, v: number, strict: boolean, first: number, last: number): number {
  for (let i = first; i < last; i++) if (strict ? a[i]! > v : a[i]! >= v) return i;
  return last;
}

test('lowerBound/upperBound: the hand-worked example of the header', () => {
  const a = Float64Array.from([1, 2, 2, 3]);
  assert.equal(lowerBound(a, 2), 1);
  assert.equal(upperBound(a, 2), 3);
  assert.equal(lowerBound(a, 0), 0);
  assert.equal(upperBound(a, 3), 4);
  assert.equal(lowerBound(new Float64Array(0), 1), 0);
});

test('lowerBound/upperBound agree with a linear scan on every value and sub-range of tied data', () => {
  const a = Float64Array.from([0, 0, 1, 1.5, 1.5, 1.5, 2, 4, 4, 7]);
  for (let first = 0; first <= a.length; first++) {
    for (let last = first; last <= a.length; last++) {
      for (const v of [-1, 0, 0.5, 1, 1.5, 2, 3, 4, 7, 8]) {
        assert.equal(lowerBound(a, v, first, last), linear(a, v, false, first, last), `lower ${v} [${first},${last})`);
        assert.equal(upperBound(a, v, first, last), linear(a, v, true, first, last), `upper ${v} [${first},${last})`);
      }
    }
  }
});

// radixOrder against a stable comparison sort (an independent ordering of the same keys).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { orderWithinGroups, radixOrder, sortRowsByKey } from './radix-order.js';

const keyArb = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -5, max: 5 }).map((x) => x / 4),
  fc.constantFrom(0, -0, 1e-300, -1e-300, 1e300, 3650),
);

test('radixOrder equals a stable sort by key (negatives, -0, ties, subnormals)', () => {
  fc.assert(fc.property(fc.array(keyArb, { maxLength: 200 }), (keys) => {
    const k = Float64Array.from(keys);
    const got = Array.from(radixOrder(k));
    // +0 and -0 compare equal, so a stable sort keeps their input order, as radixOrder must.
    const want = keys.map((_, i) => i).sort((a, b) => (k[a] < k[b] ? -1 : k[a] > k[b] ? 1 : a - b));
    assert.deepEqual(got, want);
  }), { numRuns: 300 });
});

test('radixOrder with group codes: by code, then key, stable', () => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 3 })), { maxLength: 100 }), (rows) => {
    const keys = Float64Array.from(rows, (r) => r[0]);
    const codes = Int32Array.from(rows, (r) => r[1]);
    const got = Array.from(radixOrder(keys, codes, 4));
    const want = rows.map((_, i) => i).sort((a, b) => codes[a] - codes[b] || keys[a] - keys[b] || a - b);
    assert.deepEqual(got, want);
    assert.deepEqual(Array.from(orderWithinGroups(radixOrder(keys), codes, 4)), want);
  }), { numRuns: 200 });
});

test('sortRowsByKey equals a stable comparison sort of a subset of rows, ascending and descending', () => {
  fc.assert(fc.property(fc.array(keyArb, { minLength: 1, maxLength: 200 }), fc.array(fc.nat(), { maxLength: 200 }), fc.boolean(), (keys, picks, descending) => {
    const k = Float64Array.from(keys);
    // a subset of rows in an arbitrary order (the order ties must keep), duplicates allowed
    const rows = Int32Array.from(picks, (p) => p % keys.length);
    const got = Array.from(sortRowsByKey(rows, k, descending));
    const sign = descending ? -1 : 1;
    const want = Array.from(rows.keys())
      .sort((a, b) => (k[rows[a]!] < k[rows[b]!] ? -sign : k[rows[a]!] > k[rows[b]!] ? sign : a - b))
      .map((pos) => rows[pos]!);
    assert.deepEqual(got, want);
    assert.deepEqual(Array.from(rows), Array.from(picks, (p) => p % keys.length)); // input untouched
  }), { numRuns: 300 });
});

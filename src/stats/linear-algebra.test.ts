// linear-algebra.ts: the generalized inverse against closed forms (A A^-1 = I for a
// positive-definite A; a collinear column is dropped with zero row/column, as R's cholesky2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose } from '../testing/approx.js';
import { chinv2, cholesky2, chsolve2, waldQuadratic } from './linear-algebra.js';

const A = [4, 2, 0.6, 2, 5, 1.5, 0.6, 1.5, 3]; // symmetric positive definite

test('cholesky2 + chinv2 invert a positive-definite matrix', () => {
  const m = Float64Array.from(A);
  assert.equal(cholesky2(m, 3, 1e-12), 3);
  chinv2(m, 3);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += A[i * 3 + k]! * m[k * 3 + j]!;
      assertClose(s, i === j ? 1 : 0, `AA^-1[${i},${j}]`, 1e-12, 1);
    }
  }
});

test('chsolve2 solves A b = y; waldQuadratic is y A^-1 y', () => {
  const m = Float64Array.from(A);
  cholesky2(m, 3, 1e-12);
  const y = Float64Array.from([1, -2, 0.5]);
  const b = Float64Array.from(y);
  chsolve2(m, 3, b);
  for (let i = 0; i < 3; i++) assertClose(A[i * 3]! * b[0]! + A[i * 3 + 1]! * b[1]! + A[i * 3 + 2]! * b[2]!, y[i]!, `Ab[${i}]`, 1e-12);
  const w = waldQuadratic(Float64Array.from(A), y, 1e-12);
  assert.equal(w.df, 3);
  assertClose(w.statistic, y[0]! * b[0]! + y[1]! * b[1]! + y[2]! * b[2]!, 'quadratic form', 1e-12);
});

test('a collinear (later) column is dropped: rank 2, zero row and column in the inverse', () => {
  // third variable = first + second: information matrix of (x1, x2, x1 + x2)
  const B = [2, 0.5, 2.5, 0.5, 1, 1.5, 2.5, 1.5, 4];
  const m = Float64Array.from(B);
  assert.equal(cholesky2(m, 3, 1e-9), 2);
  chinv2(m, 3);
  for (let k = 0; k < 3; k++) {
    assert.equal(m[2 * 3 + k], 0);
    assert.equal(m[k * 3 + 2], 0);
  }
  // the kept 2x2 block is the inverse of [[2, .5], [.5, 1]]: det 1.75
  assertClose(m[0]!, 1 / 1.75, 'inv00', 1e-12);
  assertClose(m[1]!, -0.5 / 1.75, 'inv01', 1e-12);
  assertClose(m[4]!, 2 / 1.75, 'inv11', 1e-12);
});

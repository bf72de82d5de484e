import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, cumulativeWeights } from './random.js';

const N = 200000;

test('same seed gives the same stream; different seeds differ', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(43);
  const big = new Rng(42 + 2 ** 32);
  let same = 0;
  let sameBig = 0;
  for (let i = 0; i < 1000; i++) {
    const x = a.uniform();
    assert.equal(x, b.uniform());
    if (x === c.uniform()) same++;
    if (x === big.uniform()) sameBig++;
  }
  assert.equal(same, 0);
  assert.equal(sameBig, 0, 'seeds above 2^32 must not alias lower seeds');
});

test('uniform: mean 1/2 and variance 1/12 (closed form), range [0, 1)', () => {
  const r = new Rng(1);
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < N; i++) {
    const u = r.uniform();
    assert.ok(u >= 0 && u < 1);
    s += u;
    s2 += u * u;
  }
  const mean = s / N;
  const v = s2 / N - mean * mean;
  // Standard error of the mean is sqrt(1/12/N) = 0.00065; allow 5 SE.
  assert.ok(Math.abs(mean - 0.5) < 0.0033, `mean ${mean}`);
  assert.ok(Math.abs(v - 1 / 12) < 0.002, `variance ${v}`);
});

test('normal: mean 0, variance 1, P(|Z| < 1.96) = 0.95', () => {
  const r = new Rng(2);
  let s = 0;
  let s2 = 0;
  let inside = 0;
  for (let i = 0; i < N; i++) {
    const z = r.normal();
    s += z;
    s2 += z * z;
    if (Math.abs(z) < 1.959964) inside++;
  }
  assert.ok(Math.abs(s / N) < 0.012);
  assert.ok(Math.abs(s2 / N - 1) < 0.016);
  assert.ok(Math.abs(inside / N - 0.95) < 0.0025);
});

test('exponential: mean 1/rate and P(X > 1/rate) = exp(-1)', () => {
  const r = new Rng(3);
  const rate = 0.25;
  let s = 0;
  let above = 0;
  for (let i = 0; i < N; i++) {
    const x = r.exponential(rate);
    s += x;
    if (x > 1 / rate) above++;
  }
  assert.ok(Math.abs(s / N - 4) < 0.05);
  assert.ok(Math.abs(above / N - Math.exp(-1)) < 0.005);
});

test('categorical and int: frequencies match the weights', () => {
  const r = new Rng(4);
  const cum = cumulativeWeights([1, 2, 0, 7]);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < N; i++) counts[r.categorical(cum)]!++;
  assert.equal(counts[2], 0, 'a zero weight is never drawn');
  assert.ok(Math.abs(counts[0]! / N - 0.1) < 0.004);
  assert.ok(Math.abs(counts[1]! / N - 0.2) < 0.005);
  assert.ok(Math.abs(counts[3]! / N - 0.7) < 0.006);
  const dice = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < N; i++) dice[r.int(1, 6) - 1]!++;
  for (const d of dice) assert.ok(Math.abs(d / N - 1 / 6) < 0.005);
});

test('bad weights and seeds are rejected', () => {
  assert.throws(() => cumulativeWeights([0, 0]), RangeError);
  assert.throws(() => cumulativeWeights([1, -1]), RangeError);
  assert.throws(() => new Rng(Number.NaN), RangeError);
});

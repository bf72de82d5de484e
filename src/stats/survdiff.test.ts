// survdiff (log-rank / G-rho) against R survival 3.5.3 (reference/r/survdiff.R ->
// reference/json/survdiff.json), a hand-worked 2-group example, and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAllClose, assertClose, loadReference } from '../testing/approx.js';
import { logRankTest } from './survdiff.js';
import { EstimationError, InputError, SpecificationError } from '../core/errors.js';
import type { SurvivalData } from '../core/types.js';

interface RCase {
  name: string;
  input: { time: number[]; status: number[]; group: number[]; group_names: string[]; strata: number[] | null };
  rho: number; n: number[]; observed: number[]; expected: number[]; variance: number[];
  chisq: number; df: number; p: number;
}
const ref = loadReference<{ cases: RCase[] }>('survdiff.json');

for (const c of ref.cases) {
  test(`survdiff ${c.name} matches R`, () => {
    const y: SurvivalData = { n: c.input.time.length, start: null, stop: Float64Array.from(c.input.time), event: Uint8Array.from(c.input.status) };
    const res = logRankTest(y, { codes: Int32Array.from(c.input.group), names: c.input.group_names }, {
      rho: c.rho, strata: c.input.strata ? Int32Array.from(c.input.strata) : null,
    });
    assert.deepEqual(res.groups, c.input.group_names);
    assertAllClose(res.n, c.n, `${c.name} n`);
    assertAllClose(res.observed, c.observed, `${c.name} observed`);
    assertAllClose(res.expected, c.expected, `${c.name} expected`);
    // R's var is column-major; it is symmetric, so the row-major layout compares directly.
    assertAllClose(res.variance, c.variance, `${c.name} variance`, 1e-6, 1e-12);
    assertClose(res.chisq, c.chisq, `${c.name} chisq`);
    assert.equal(res.df, c.df);
    assertClose(res.p, c.p, `${c.name} p`);
    assert.equal(res.rho, c.rho);
  });
}

test('hand-worked log-rank: A = {1, 2, 3} deaths, B = {2+, 4}', () => {
  // t=1: n=5 (3 A), d=1 -> E_A 3/5, V 3/5 * 2/5 = 0.24
  // t=2: n=4 (2 A), d=1 -> E_A 1/2, V 1/4 * 3/3 = 0.25
  // t=3: n=2 (1 A), d=1 -> E_A 1/2, V 1/4 * 1/1 = 0.25
  // t=4: n=1 (B only): E_A 0, no variance.  chisq = (3 - 1.6)^2 / 0.74.
  const y: SurvivalData = { n: 5, start: null, stop: Float64Array.of(1, 3, 2, 2, 4), event: Uint8Array.of(1, 1, 1, 0, 1) };
  const res = logRankTest(y, { codes: Int32Array.of(0, 0, 0, 1, 1), names: ['A', 'B'] });
  assertAllClose(res.observed, [3, 1], 'observed');
  assertAllClose(res.expected, [1.6, 2.4], 'expected');
  assertAllClose(res.variance, [0.74, -0.74, -0.74, 0.74], 'variance');
  assertClose(res.chisq, (1.4 * 1.4) / 0.74, 'chisq');
  assert.equal(res.df, 1);
});

test('no expected deaths in one group: chisq 0 on 0 df, p = 1 (as R)', () => {
  const y: SurvivalData = { n: 4, start: null, stop: Float64Array.of(1, 2, 5, 6), event: Uint8Array.of(0, 0, 1, 1) };
  const res = logRankTest(y, { codes: Int32Array.of(0, 0, 1, 1), names: ['a', 'b'] });
  assertAllClose(res.expected, [0, 2], 'expected');
  assert.equal(res.chisq, 0);
  assert.equal(res.df, 0);
  assert.equal(res.p, 1);
});

test('bad input: negative time, one group, empty group, no events, counting data', () => {
  const y = (stop: number[], event: number[]): SurvivalData => ({ n: stop.length, start: null, stop: Float64Array.from(stop), event: Uint8Array.from(event) });
  const two = { codes: Int32Array.of(0, 1, 0), names: ['a', 'b'] };
  assert.throws(() => logRankTest(y([1, -2, 3], [1, 1, 1]), two), (e: unknown) => e instanceof InputError && e.context.row === 2 && e.context.value === '-2');
  assert.throws(() => logRankTest(y([1, NaN, 3], [1, 1, 1]), two), (e: unknown) => e instanceof InputError && e.context.row === 2 && e.context.value === 'NaN');
  assert.throws(() => logRankTest(y([1, 2, 3], [1, 1, 1]), { codes: Int32Array.of(0, 0, 0), names: ['a'] }), EstimationError);
  assert.throws(() => logRankTest(y([1, 2, 3], [1, 1, 1]), { codes: Int32Array.of(0, 0, 0), names: ['a', 'b'] }), (e: unknown) => e instanceof EstimationError && e.context.value === 'b');
  assert.throws(() => logRankTest(y([1, 2, 3], [0, 0, 0]), two), (e: unknown) => e instanceof EstimationError && /no events/.test(e.message));
  assert.throws(() => logRankTest({ ...y([1, 2, 3], [1, 1, 1]), start: Float64Array.of(0, 0, 0) }, two), SpecificationError);
});

/** iptwWeights and effectiveSampleSize against reference/r/weighting.R and closed forms. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertAllClose, assertClose, loadReference } from '../testing/approx.js';
import { InputError } from '../core/errors.js';
import { effectiveSampleSize, iptwWeights } from './weighting.js';

interface Ref { treat: number[]; ps: number[]; weights: Record<string, number[]>; ess: { ATEtreated: number; ATEcontrol: number } }
const ref = loadReference<Ref>('weighting.json');
const ps = Float64Array.from(ref.ps);
const treated = Uint8Array.from(ref.treat);

for (const estimand of ['ATE', 'ATT', 'ATO'] as const) {
  test(`${estimand} weights match R, plain and stabilized`, () => {
    assertAllClose(iptwWeights(ps, treated, { estimand }), ref.weights[estimand]!, estimand, 1e-12);
    assertAllClose(iptwWeights(ps, treated, { estimand, stabilize: true }), ref.weights[`${estimand}stabilized`]!, `${estimand} stabilized`, 1e-12);
  });
}

test('truncation at quantiles (R type 7), after stabilization', () => {
  assertAllClose(iptwWeights(ps, treated, { estimand: 'ATE', truncate: [0.01, 0.99] }), ref.weights.ATEtruncated!, 'ATE truncated', 1e-12);
  assertAllClose(iptwWeights(ps, treated, { estimand: 'ATE', stabilize: true, truncate: [0.05, 0.95] }), ref.weights.ATEstabilizedTruncated!, 'stabilized truncated', 1e-12);
});

test('Kish ESS matches R', () => {
  const w = iptwWeights(ps, treated, { estimand: 'ATE' });
  assertClose(effectiveSampleSize(w, treated), ref.ess.ATEtreated, 'treated');
  assertClose(effectiveSampleSize(w, Uint8Array.from(treated, (t) => 1 - t)), ref.ess.ATEcontrol, 'control');
});

test('closed forms: stabilized ATE weights sum to n in each group when ps is the group share', () => {
  // With ps constant = n1/n (no confounding), stabilized ATE weights are exactly 1.
  const t = Uint8Array.from([1, 1, 0, 0, 0]);
  const w = iptwWeights(new Float64Array(5).fill(0.4), t, { estimand: 'ATE', stabilize: true });
  assertAllClose(w, [1, 1, 1, 1, 1], 'stabilized', 1e-15);
  assertClose(effectiveSampleSize(Float64Array.from([1, 1, 2])), 16 / 6, 'ESS', 1e-15);
  assertAllClose(iptwWeights(Float64Array.from([0.2, 0.2]), Uint8Array.from([1, 0]), { estimand: 'ATO' }), [0.8, 0.2], 'ATO', 1e-15);
});

test('a propensity score outside (0, 1) is an InputError naming the row', () => {
  assert.throws(() => iptwWeights(Float64Array.from([0.5, 1]), Uint8Array.from([1, 0]), { estimand: 'ATE' }), (e: unknown) => e instanceof InputError && e.context.row === 2);
});

/**
 * Clone–censor–weight: a hand-worked 5-patient example (clone rows, weights from a Nelson–Aalen
 * treatment-start model, weighted KM), known truth on a simulated confounded cohort (survival
 * difference between "treat within 1 month" and "never treat", computed by numerical
 * integration), the fast bootstrap replicate against the full computation on the duplicated
 * resample, bootstrap reproducibility across worker counts, and the bad-input errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ccwReplicate, cloneCensorWeight, estimateCloneCensorWeight, type CcwData, type CloneCensorWeightInput } from './clone-censor-weight.js';
import { resampleIndices } from './bootstrap.js';
import { simulateExposureCohort } from './simulation.js';
import { assertAllClose, assertClose } from '../testing/approx.js';
import { EstimationError, InputError, SpecificationError } from '../core/errors.js';
import type { DesignMatrix } from '../stats/types.js';

const noCovariates = (n: number): DesignMatrix => ({ n, p: 0, columns: [], names: [], assign: new Int32Array(0), termLabels: [] });

const small: CloneCensorWeightInput = {
  time: Float64Array.of(5, 4, 1.5, 6, 3),
  event: Uint8Array.of(1, 0, 1, 1, 0),
  exposureTime: Float64Array.of(1, NaN, NaN, 3, 0.5),
  grace: 2, covariates: noCovariates(5), model: 'cox', intervalLength: 1, times: [1, 2, 4],
};

test('clone-censor-weight: hand-worked clones, weights and weighted KM', () => {
  const r = estimateCloneCensorWeight(small);
  // Treatment starts (u, started): (1,1) (4,0) (1.5,0) (3,1) (0.5,1). Nelson–Aalen of starting:
  // 1/5 at 0.5, 1/4 at 1, 1/2 at 3, so P(untreated by 1) = P(by 2) = e^-0.45, P(by 3) = e^-0.95.
  const a = 1 / (1 - Math.exp(-0.45));
  const b1 = Math.exp(0.45);
  const b2 = Math.exp(0.95);
  const rows = Array.from({ length: r.clones.n }, (_, k) => [r.clones.patient[k], r.clones.strategyA[k], r.clones.start[k], r.clones.stop[k], r.clones.event[k]]);
  assert.deepEqual(rows, [
    [0, 1, 0, 2, 0], [0, 1, 2, 5, 1], [0, 0, 0, 1, 0], // treated at 1: A throughout; B censored at 1
    [1, 1, 0, 2, 0], [1, 0, 0, 1, 0], [1, 0, 1, 2, 0], [1, 0, 2, 3, 0], [1, 0, 3, 4, 0], // never treated: A censored at G = 2
    [2, 1, 0, 1.5, 1], [2, 0, 0, 1, 0], [2, 0, 1, 1.5, 1], // died untreated in the grace period: counts in both
    [3, 1, 0, 2, 0], [3, 0, 0, 1, 0], [3, 0, 1, 2, 0], [3, 0, 2, 3, 0], // treated at 3 (after G)
    [4, 1, 0, 2, 0], [4, 1, 2, 3, 0], [4, 0, 0, 0.5, 0], // treated at 0.5
  ]);
  assertAllClose(r.clones.weight, [1, a, b1, 1, b1, b1, b2, b2, 1, b1, b1, 1, b1, b1, b2, 1, a, b1], 'weights', 1e-12);
  // A: death at 1.5 with 5 equally weighted clones at risk, then the only clone at 5 dies.
  assertAllClose(r.arms[0].survival, [1, 0.8, 0.8], 'S_A', 1e-12);
  // B: death at 1.5 with three clones of equal weight e^0.45 at risk.
  assertAllClose(r.arms[1].survival, [1, 2 / 3, 2 / 3], 'S_B', 1e-12);
  assertAllClose(r.survivalDifference, [0, 0.8 - 2 / 3, 0.8 - 2 / 3], 'difference', 1e-12);
  assert.equal(r.arms[0].censoredAtDeviation, 2);
  assert.equal(r.arms[1].censoredAtDeviation, 3);
});

test('clone-censor-weight truncation: hand-worked type-7 caps on the clone-row weights; null and [0, 1] change nothing', () => {
  const plain = estimateCloneCensorWeight(small);
  assert.equal(plain.truncation, null);
  const a = 1 / (1 - Math.exp(-0.45));
  const b1 = Math.exp(0.45);
  const b2 = Math.exp(0.95);
  // The 18 clone-row weights sorted: 1 x5, b1 x8, b2 x3, a x2 (a > b2 > b1 > 1).
  // Type 7 at 0.25: h = 17 * 0.25 = 4.25 -> 1 + 0.25 (b1 - 1); at 0.9: h = 15.3 -> b2 + 0.3 (a - b2).
  const lo = 1 + 0.25 * (b1 - 1);
  const hi = b2 + 0.3 * (a - b2);
  const r = estimateCloneCensorWeight({ ...small, truncate: [0.25, 0.9] });
  assert.ok(r.truncation);
  assertAllClose(r.truncation.bounds, [lo, hi], 'bounds', 1e-12);
  assert.equal(r.truncation.truncated, 7); // the five weight-1 rows raised, the two A rows capped
  assert.deepEqual(r.truncation.percentiles, [0.25, 0.9]);
  assert.deepEqual(r.truncation.before, plain.weights);
  assertAllClose(r.clones.weight, [lo, hi, b1, lo, b1, b1, b2, b2, lo, b1, b1, lo, b1, b1, b2, lo, hi, b1], 'truncated weights', 1e-12);
  assertClose(r.weights.min, lo, 'min after', 1e-12);
  assertClose(r.weights.max, hi, 'max after', 1e-12);
  assertClose(r.weights.mean, (5 * lo + 8 * b1 + 3 * b2 + 2 * hi) / 18, 'mean after', 1e-12);
  // Truncation at [0, 1] (min and max) is the identity: every result is bitwise unchanged.
  const id = estimateCloneCensorWeight({ ...small, truncate: [0, 1] });
  assert.equal(id.truncation!.truncated, 0);
  assert.deepEqual({ ...id, truncation: null }, plain);
  assert.throws(() => estimateCloneCensorWeight({ ...small, truncate: [0.9, 0.1] }), (e: unknown) => e instanceof SpecificationError && /0 <= lower < upper <= 1/.test(e.message));
  assert.throws(() => estimateCloneCensorWeight({ ...small, truncate: [-0.1, 0.9] }), SpecificationError);
});

/** True S_A(t) − S_B(t) for the simulation below: z ~ N(0,1), start ~ U(0, G) under A. */
function trueDifference(t: number, lambda0: number, hr: number, conf: number, G: number): number {
  let sA = 0;
  let sB = 0;
  let wsum = 0;
  for (let z = -8; z <= 8; z += 0.005) {
    const w = Math.exp((-z * z) / 2);
    const h = lambda0 * Math.exp(conf * z);
    wsum += w;
    sB += w * Math.exp(-h * t);
    let acc = 0;
    const m = 200;
    for (let j = 0; j < m; j++) {
      const u = ((j + 0.5) / m) * G;
      acc += Math.exp(-h * (Math.min(t, u) + hr * Math.max(0, t - u)));
    }
    sA += (w * acc) / m;
  }
  return (sA - sB) / wsum;
}

test('clone-censor-weight recovers the true survival difference under confounded treatment starts (n = 4000)', () => {
  // The chance of starting treatment (within 1 month) and the death hazard both rise with z.
  const c = simulateExposureCohort({ n: 4000, seed: 1, exposureWindow: 1, exposureProbability: 0.5, confounding: 0.8 });
  const base = { time: c.time, event: c.event, exposureTime: c.exposureTime, grace: 1, intervalLength: 1, times: [12, 24], model: 'cox' as const };
  const weighted = estimateCloneCensorWeight({ ...base, covariates: { n: c.n, p: 1, columns: [c.z], names: ['z'], assign: Int32Array.of(0), termLabels: ['z'] } });
  const unadjusted = estimateCloneCensorWeight({ ...base, covariates: noCovariates(c.n) });
  for (const [k, t] of [[0, 12], [1, 24]]) {
    const truth = trueDifference(t, 0.03, 0.5, 0.8, 1);
    assert.ok(Math.abs(weighted.survivalDifference[k] - truth) < 0.03, `weighted difference at ${t}: ${weighted.survivalDifference[k]} vs truth ${truth}`);
    assert.ok(Math.abs(unadjusted.survivalDifference[k] - truth) > 0.08, `unadjusted difference at ${t}: ${unadjusted.survivalDifference[k]} should be confounded`);
  }
  // The pooled-logistic censoring model gives nearly the same answer as the Cox one.
  const logit = estimateCloneCensorWeight({ ...base, model: 'pooled-logistic', covariates: { n: c.n, p: 1, columns: [c.z], names: ['z'], assign: Int32Array.of(0), termLabels: ['z'] } });
  assertClose(logit.survivalDifference[1], weighted.survivalDifference[1], 'logistic vs cox censoring model', 0.05);
});

/** Steps 1–4 on the materialised resample (duplicated patients): what a replicate must equal. */
function slowReplicate(input: CloneCensorWeightInput, idx: Int32Array): number[] {
  const pick = <T extends Float64Array | Uint8Array>(a: T): T => (a instanceof Uint8Array ? Uint8Array.from(idx, (i) => a[i]) : Float64Array.from(idx, (i) => a[i])) as T;
  const z = input.covariates;
  const est = estimateCloneCensorWeight({
    ...input, time: pick(input.time), event: pick(input.event), exposureTime: pick(input.exposureTime),
    covariates: { ...z, n: idx.length, columns: z.columns.map((c) => pick(c)) },
  });
  return [...est.arms[0].survival, ...est.arms[1].survival, ...est.survivalDifference, est.hazardRatio.logHr];
}

test('clone-censor-weight replicate (multiplicities, per-patient sums, one sweep) equals steps 1–4 on the duplicated resample', () => {
  const c = simulateExposureCohort({ n: 800, seed: 5, exposureWindow: 3, exposureProbability: 0.4, confounding: 0.6 });
  // A second, categorical covariate, and exposure times on interval boundaries, to exercise ties.
  const grp = Float64Array.from(c.z, (_, i) => i % 3 === 0 ? 1 : 0);
  const expo = Float64Array.from(c.exposureTime, (e, i) => (i % 7 === 0 && e > 1 && e < c.time[i] ? Math.floor(e) : e));
  for (const model of ['pooled-logistic', 'cox'] as const) {
    const input: CloneCensorWeightInput = {
      time: c.time, event: c.event, exposureTime: expo, grace: 3, intervalLength: 1, times: [6, 12, 24], model,
      covariates: { n: c.n, p: 2, columns: [c.z, grp], names: ['z', 'grp'], assign: Int32Array.of(0, 1), termLabels: ['z', 'grp'] },
    };
    const data: CcwData = { time: input.time, event: input.event, exposureTime: input.exposureTime, grace: 3, covariates: input.covariates, model, intervalLength: 1, times: input.times };
    const identity = Int32Array.from({ length: c.n }, (_, i) => i);
    assertAllClose(ccwReplicate(data, identity), slowReplicate(input, identity), `${model}: identity resample`, 1e-9);
    for (const r of [0, 1]) {
      const idx = resampleIndices(c.n, 42, r);
      assertAllClose(ccwReplicate(data, idx), slowReplicate(input, idx), `${model}: resample ${r}`, 1e-7);
    }
  }
  // With truncation the replicate recomputes the quantiles over its resample's clone rows
  // (each drawn patient's rows counted as often as it was drawn): the duplicated data again.
  const c2 = simulateExposureCohort({ n: 500, seed: 8, exposureWindow: 3, exposureProbability: 0.4, confounding: 0.8 });
  const input: CloneCensorWeightInput = {
    time: c2.time, event: c2.event, exposureTime: c2.exposureTime, grace: 3, intervalLength: 1, times: [6, 12], model: 'pooled-logistic',
    covariates: { n: c2.n, p: 1, columns: [c2.z], names: ['z'], assign: Int32Array.of(0), termLabels: ['z'] }, truncate: [0.05, 0.95],
  };
  const data: CcwData = { time: input.time, event: input.event, exposureTime: input.exposureTime, grace: 3, covariates: input.covariates, model: 'pooled-logistic', intervalLength: 1, times: input.times, truncate: [0.05, 0.95] };
  assert.ok(estimateCloneCensorWeight(input).truncation!.truncated > 0);
  for (const r of [0, 1]) {
    const idx = resampleIndices(c2.n, 7, r);
    const fast = ccwReplicate(data, idx);
    assertAllClose(fast, slowReplicate(input, idx), `truncated: resample ${r}`, 1e-7);
    assert.notDeepEqual(fast, ccwReplicate({ ...data, truncate: null }, idx));
  }
});

test('clone-censor-weight bootstrap: same seed gives identical CIs with 1 or 2 worker threads', async () => {
  const c = simulateExposureCohort({ n: 300, seed: 3, exposureWindow: 1, exposureProbability: 0.5, confounding: 0.5 });
  const input: CloneCensorWeightInput = {
    time: c.time, event: c.event, exposureTime: c.exposureTime, grace: 1, intervalLength: 1, times: [12, 24], model: 'cox',
    covariates: { n: c.n, p: 1, columns: [c.z], names: ['z'], assign: Int32Array.of(0), termLabels: ['z'] },
  };
  const one = await cloneCensorWeight({ ...input, bootstrap: { replicates: 8, seed: 99, workers: 1 } });
  const two = await cloneCensorWeight({ ...input, bootstrap: { replicates: 8, seed: 99, workers: 2 } });
  assert.ok(one.bootstrap && two.bootstrap);
  assert.deepEqual(two.bootstrap, one.bootstrap);
  // The same with the pooled-logistic censoring model (warm-started per worker from its own full-data fit).
  const logit = { ...input, model: 'pooled-logistic' as const };
  const l1 = await cloneCensorWeight({ ...logit, bootstrap: { replicates: 6, seed: 5, workers: 1 } });
  const l2 = await cloneCensorWeight({ ...logit, bootstrap: { replicates: 6, seed: 5, workers: 2 } });
  assert.deepEqual(l2.bootstrap, l1.bootstrap);
  // And with truncated weights.
  const t1 = await cloneCensorWeight({ ...logit, truncate: [0.01, 0.99], bootstrap: { replicates: 6, seed: 5, workers: 1 } });
  const t2 = await cloneCensorWeight({ ...logit, truncate: [0.01, 0.99], bootstrap: { replicates: 6, seed: 5, workers: 2 } });
  assert.deepEqual(t2.bootstrap, t1.bootstrap);
  assert.ok(t1.truncation!.truncated > 0);
  assert.notDeepEqual(t1.bootstrap, l1.bootstrap);
  const other = await cloneCensorWeight({ ...input, bootstrap: { replicates: 8, seed: 100, workers: 1 } });
  assert.notDeepEqual(other.bootstrap!.hazardRatio, one.bootstrap.hazardRatio);
  const b = one.bootstrap;
  for (let k = 0; k < 2; k++) assert.ok(b.survivalDifference[k].lower <= one.survivalDifference[k] && one.survivalDifference[k] <= b.survivalDifference[k].upper);
  assert.ok(b.hazardRatio.lower < one.hazardRatio.estimate && one.hazardRatio.estimate < b.hazardRatio.upper);
});

test('clone-censor-weight: a strategy with no patients is an EstimationError', () => {
  assert.throws(() => estimateCloneCensorWeight({ ...small, exposureTime: Float64Array.of(NaN, NaN, NaN, 3, NaN) }),
    (e: unknown) => e instanceof EstimationError && /treat within grace/.test(e.message));
  assert.throws(() => estimateCloneCensorWeight({ ...small, exposureTime: Float64Array.of(0, 0, 0, 0, 0) }),
    (e: unknown) => e instanceof EstimationError && /never treat/.test(e.message));
});

test('clone-censor-weight: exposure after the end of follow-up is an InputError naming the row; a grace period that is not a whole number of intervals is a SpecificationError', () => {
  assert.throws(() => estimateCloneCensorWeight({ ...small, exposureTime: Float64Array.of(1, NaN, NaN, 7, 0.5), source: 'cohort.csv' }),
    (e: unknown) => e instanceof InputError && e.context.row === 4 && e.context.value === '7' && e.context.file === 'cohort.csv');
  assert.throws(() => estimateCloneCensorWeight({ ...small, grace: 2.5 }), SpecificationError);
});

/**
 * The Monte-Carlo strategy truth against its closed form: S_B(t) = E_Z[exp(-r H0(t))] and
 * S_A(t) = E_Z E_S[exp(-r H0(min(t, S)) - r HR (H0(t) - H0(S))+)], S ~ Uniform(2, 6), summed
 * exactly over the discrete covariate distribution (age by the normal's rounding mass, Charlson,
 * stage, AFP given stage) and integrated over S by the midpoint rule; plus the invariances
 * HR = 1 => no contrast, and determinism.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strategyTruth } from './strategy-truth.js';
import { LIVER_DEFAULTS, type LiverModelParameters } from './liver-model.js';
import { normalCdf } from '../stats/distributions.js';

function closedForm(p: LiverModelParameters, t: number, grace: number): { A: number; B: number } {
  const s = p.survivalCore;
  const k = s.shape;
  // Age among known ages >= 18.
  const ageP = new Map<number, number>();
  const under = p.age.shareUnder40 / 28; // rng.int(12, 39): 28 values
  for (let a = 18; a <= 39; a++) ageP.set(a, under);
  const rest = 1 - p.age.shareUnknown - p.age.shareUnder40;
  const z = (x: number): number => normalCdf((x - p.age.mean) / p.age.sd);
  for (let a = 40; a <= 90; a++) ageP.set(a, (ageP.get(a) ?? 0) + rest * ((a === 90 ? 1 : z(a + 0.5)) - (a === 40 ? 0 : z(a - 0.5))));
  let total = 0;
  for (const v of ageP.values()) total += v;
  const ch = p.charlson.map((w) => w / p.charlson.reduce((x, y) => x + y, 0));
  const p4 = p.stageHcc[3]! / (p.stageHcc[2]! + p.stageHcc[3]!);
  let A = 0;
  let B = 0;
  const [lo, hi] = p.surgeryCore.windowMonths;
  const sHi = Math.min(hi, grace);
  const m = 400;
  for (const [age, pa] of ageP) for (let c = 0; c < 4; c++) for (const stage of [3, 4]) for (const afp of [true, false]) {
    const pr = (pa / total) * ch[c]! * (stage === 4 ? p4 : 1 - p4) * (afp ? p.afpElevated[stage - 1]! : 1 - p.afpElevated[stage - 1]!);
    const r = Math.exp(s.logHrAgePer10 * (age - 65) / 10 + (c > 0 ? s.logHrCharlson[c - 1]! : 0) + (afp ? s.logHrAfpElevated : 0));
    const lambda = (stage === 3 ? s.medianMonthsStage3 : s.medianMonthsStage4) / Math.pow(Math.LN2, 1 / k);
    const H0 = (u: number): number => Math.pow(u / lambda, k);
    B += pr * Math.exp(-r * H0(t));
    let acc = 0;
    for (let j = 0; j < m; j++) {
      const S = lo + ((j + 0.5) / m) * (sHi - lo);
      acc += Math.exp(-r * H0(Math.min(t, S)) - r * s.trueSurgeryHr * Math.max(0, H0(t) - H0(S)));
    }
    A += (pr * acc) / m;
  }
  return { A, B };
}

test('strategy truth: Monte-Carlo survival under A and B agrees with the closed form (4 MC standard errors)', () => {
  const truth = strategyTruth(LIVER_DEFAULTS, { perArm: 100000, grace: 6, times: [12, 24] });
  for (const t of [12, 24]) {
    const exact = closedForm(LIVER_DEFAULTS, t, 6);
    const mc = truth.survival[String(t)]!;
    const se = Math.sqrt(0.25 / 100000);
    assert.ok(Math.abs(mc.A - exact.A) < 4 * se, `S_A(${t}): ${mc.A} vs ${exact.A}`);
    assert.ok(Math.abs(mc.B - exact.B) < 4 * se, `S_B(${t}): ${mc.B} vs ${exact.B}`);
  }
  // Surgery lowers the hazard only after S, so the strategy HR lies between the per-surgery HR and 1.
  assert.ok(truth.hazard_ratio > LIVER_DEFAULTS.survivalCore.trueSurgeryHr && truth.hazard_ratio < 1);
  assert.ok(truth.hazard_ratio_study_follow_up > truth.hazard_ratio, 'shorter follow-up averages over more of the early, unaffected period');
  // The emulated strategy (natural course in the grace period, then surgery at G) shares arm B
  // and operates later, so its contrast lies between the headline strategy's and none.
  assert.deepEqual(Object.values(truth.emulated.survival).map((v) => v.B), Object.values(truth.survival).map((v) => v.B));
  assert.ok(truth.hazard_ratio < truth.emulated.hazard_ratio && truth.emulated.hazard_ratio < 1);
  for (const t of ['12', '24']) assert.ok(truth.emulated.survival[t]!.difference < truth.survival[t]!.difference && truth.emulated.survival[t]!.difference > 0);
});

test('strategy truth: no surgery effect gives no contrast; a fixed seed gives the same truth', () => {
  const p = structuredClone(LIVER_DEFAULTS);
  p.survivalCore.trueSurgeryHr = 1;
  const none = strategyTruth(p, { perArm: 20000 });
  assert.equal(none.survival['12']!.difference, 0);
  assert.ok(Math.abs(none.hazard_ratio - 1) < 1e-12);
  assert.deepEqual(strategyTruth(LIVER_DEFAULTS, { perArm: 5000 }), strategyTruth(LIVER_DEFAULTS, { perArm: 5000 }));
});

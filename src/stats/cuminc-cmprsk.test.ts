// cmprsk::cuminc's curves (estimate and variance corners), timepoints() and Gray's test, with
// and without strata, against cmprsk 2.2-11 (reference/r/competing-risks.R), plus invariances:
// the estimates equal the Aalen–Johansen pstate, and Gray's test does not depend on the
// order of the rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cumincAt, cumincCurves } from './cuminc-cmprsk.js';
import { grayTest } from './gray-test.js';
import { aalenJohansen } from './aalen-johansen.js';
import { buildCompetingRisksFrame } from './competing-risks-frame.js';
import { caseTable, competingRisksReference, describeDiff, maxDiff, type CumincRef } from '../testing/competing-risks-reference.js';

for (const [name, c] of Object.entries(competingRisksReference.cases)) {
  test(`cuminc ${name}: curves, variances and timepoints match cmprsk`, async (t) => {
    const frame = buildCompetingRisksFrame(`Surv(time, status) ~ ${c.group ?? '1'}`, await caseTable(c), 'groups');
    const curves = cumincCurves(frame.outcome, frame.groups);
    assert.equal(curves.length, c.cuminc.curves.length);
    let est = { abs: 0, rel: 0 };
    let vr = { abs: 0, rel: 0 };
    const worst = (a: { abs: number; rel: number }, b: { abs: number; rel: number }): { abs: number; rel: number } => ({ abs: Math.max(a.abs, b.abs), rel: Math.max(a.rel, b.rel) });
    curves.forEach((curve, i) => {
      const r = c.cuminc.curves[i]!;
      assert.deepEqual(Array.from(curve.time), r.time, `${r.name} time`);
      est = worst(est, maxDiff(curve.est, r.est, `${r.name} est`, 1e-12, 1e-14));
      vr = worst(vr, maxDiff(curve.variance, r.var, `${r.name} var`, 1e-10, 1e-15));
      const at = cumincAt(curve, c.cuminc.timepoints.times);
      est = worst(est, maxDiff(at.est, c.cuminc.timepoints.est[i]!, `${r.name} timepoints est`, 1e-12, 1e-14));
      vr = worst(vr, maxDiff(at.variance, c.cuminc.timepoints.var[i]!, `${r.name} timepoints var`, 1e-10, 1e-15));
    });
    t.diagnostic(`${name}: ${describeDiff('est', est)}; ${describeDiff('var', vr)}`);
  });

  const checkTests = (label: string, r: CumincRef, strata: Int32Array | null) => async (t: { diagnostic(s: string): void }): Promise<void> => {
    const frame = buildCompetingRisksFrame(`Surv(time, status) ~ ${c.group}`, await caseTable(c), 'groups');
    const tests = grayTest(frame.outcome, frame.groups!, { strata });
    assert.equal(tests.length, r.tests!.length);
    let stat = { abs: 0, rel: 0 };
    let p = { abs: 0, rel: 0 };
    tests.forEach((g, i) => {
      const e = r.tests![i]!;
      assert.equal(String(g.cause), e.cause);
      assert.equal(g.df, e.df);
      const ds = maxDiff([g.statistic], [e.stat], `${label} cause ${e.cause} statistic`, 1e-10, 1e-14);
      const dp = maxDiff([g.p], [e.p], `${label} cause ${e.cause} p`, 1e-8, 1e-14);
      stat = { abs: Math.max(stat.abs, ds.abs), rel: Math.max(stat.rel, ds.rel) };
      p = { abs: Math.max(p.abs, dp.abs), rel: Math.max(p.rel, dp.rel) };
    });
    t.diagnostic(`${label}: ${describeDiff('Gray statistic', stat)}; ${describeDiff('p', p)}`);
  };
  if (c.cuminc.tests) test(`Gray's test ${name} matches cuminc$Tests`, checkTests(name, c.cuminc, null));
  if (c.cuminc_strata) {
    test(`Gray's test ${name} with strata(${c.strata}) matches cuminc(..., strata)$Tests`, async (t) => {
      const frame = buildCompetingRisksFrame(`Surv(time, status) ~ ${c.group} + strata(${c.strata})`, await caseTable(c), 'groups');
      await checkTests(`${name} strata`, c.cuminc_strata!, frame.strata!.codes)(t);
    });
  }
}

test('cuminc estimates equal the Aalen–Johansen pstate at every event time', async () => {
  const c = competingRisksReference.cases.sim3!;
  const frame = buildCompetingRisksFrame('Surv(time, status) ~ grp', await caseTable(c), 'groups');
  const aj = aalenJohansen(frame.outcome, frame.groups);
  for (const curve of cumincCurves(frame.outcome, frame.groups)) {
    const g = aj.curves.find((x) => x.name === curve.group)!;
    const state = g.states.find((s) => s.state === String(curve.cause))!;
    const at = cumincAt(curve, g.time);
    for (let i = 0; i < g.time.length; i++) assert.ok(Math.abs(at.est[i]! - state.estimate[i]!) < 1e-14, `${curve.group} cause ${curve.cause} at ${g.time[i]}`);
  }
});

test("Gray's test is invariant to row order", async () => {
  const c = competingRisksReference.cases.sim3!;
  const frame = buildCompetingRisksFrame('Surv(time, status) ~ grp', await caseTable(c), 'groups');
  const y = frame.outcome;
  const perm = Array.from({ length: y.n }, (_, i) => (i * 7919) % y.n);
  const shuffled = { ...y, time: Float64Array.from(perm, (i) => y.time[i]!), cause: Int32Array.from(perm, (i) => y.cause[i]!) };
  const groups = { ...frame.groups!, codes: Int32Array.from(perm, (i) => frame.groups!.codes[i]!) };
  const a = grayTest(y, frame.groups!);
  const b = grayTest(shuffled, groups);
  a.forEach((x, i) => assert.ok(Math.abs(x.statistic - b[i]!.statistic) < 1e-10 * x.statistic));
});

test("Gray's test does not depend on which group is the reference", async () => {
  const c = competingRisksReference.cases.sim3!;
  const frame = buildCompetingRisksFrame('Surv(time, status) ~ grp + strata(stratum)', await caseTable(c), 'groups');
  const g = frame.groups!;
  const k = g.names.length;
  const reversed = { codes: Int32Array.from(g.codes, (x) => k - 1 - x), names: [...g.names].reverse() };
  const a = grayTest(frame.outcome, g, { strata: frame.strata!.codes });
  const b = grayTest(frame.outcome, reversed, { strata: frame.strata!.codes });
  a.forEach((x, i) => assert.ok(Math.abs(x.statistic - b[i]!.statistic) < 1e-10 * x.statistic, `cause ${x.cause}: ${x.statistic} vs ${b[i]!.statistic}`));
});

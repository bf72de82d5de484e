// Aalen–Johansen cumulative incidence against R survival 3.5.3's survfit(Surv(time,
// factor(status)) ~ group) on mgus2, pbc and a simulated 3-cause set with rounded times
// (reference/r/competing-risks.R), plus a closed form (no censoring: empirical proportions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aalenJohansen } from './aalen-johansen.js';
import { buildCompetingRisksFrame } from './competing-risks-frame.js';
import { caseTable, competingRisksReference, describeDiff, maxDiff } from '../testing/competing-risks-reference.js';

for (const [name, c] of Object.entries(competingRisksReference.cases)) {
  test(`Aalen–Johansen ${name}: pstate, IJ std.err and log limits match survfit`, async (t) => {
    const table = await caseTable(c);
    const frame = buildCompetingRisksFrame(`Surv(time, status) ~ ${c.group ?? '1'}`, table, 'groups');
    assert.equal(frame.outcome.n, c.n_group_rows);
    const fit = aalenJohansen(frame.outcome, frame.groups);
    assert.equal(fit.curves.length, c.survfit.length);
    const worst = { est: { abs: 0, rel: 0 }, se: { abs: 0, rel: 0 }, ci: { abs: 0, rel: 0 } };
    const fold = (w: { abs: number; rel: number }, d: { abs: number; rel: number }): void => {
      w.abs = Math.max(w.abs, d.abs);
      w.rel = Math.max(w.rel, d.rel);
    };
    fit.curves.forEach((curve, g) => {
      const r = c.survfit[g]!;
      if (c.group) assert.equal(curve.name, r.name);
      assert.deepEqual(curve.states.map((s) => s.state), r.states);
      assert.deepEqual(Array.from(curve.time), r.time);
      assert.deepEqual(Array.from(curve.nRisk), r.n_risk);
      curve.states.forEach((s, j) => {
        const col = (m: (number | null)[][]): (number | null)[] => m.map((row) => row[j]!);
        fold(worst.est, maxDiff(s.estimate, col(r.pstate), `${r.name} ${s.state} pstate`, 1e-12, 1e-14));
        fold(worst.se, maxDiff(s.stdErr, col(r.std_err), `${r.name} ${s.state} std.err`, 1e-10, 1e-13));
        fold(worst.ci, maxDiff(s.lower, col(r.lower), `${r.name} ${s.state} lower`, 1e-10, 1e-13));
        fold(worst.ci, maxDiff(s.upper, col(r.upper), `${r.name} ${s.state} upper`, 1e-10, 1e-13));
      });
    });
    // the states partition the population: pstate sums to 1 at every time
    for (const curve of fit.curves) {
      for (let i = 0; i < curve.time.length; i++) {
        const total = curve.states.reduce((sum, s) => sum + s.estimate[i]!, 0);
        assert.ok(Math.abs(total - 1) < 1e-14, `${curve.name} at ${curve.time[i]}: states sum to ${total}`);
      }
    }
    t.diagnostic(`${name}: ${describeDiff('pstate', worst.est)}; ${describeDiff('std.err', worst.se)}; ${describeDiff('limits', worst.ci)}`);
  });
}

test('Aalen–Johansen without censoring: incidences are the empirical cause proportions', () => {
  // 6 subjects, no censoring: P_c(t) = #{T <= t, cause c} / 6, S(t) = #{T > t} / 6, and the IJ
  // variance of an empirical proportion is p (1 - p) / n.
  const y = { n: 6, time: Float64Array.from([1, 2, 2, 3, 4, 5]), cause: Int32Array.from([1, 2, 1, 1, 2, 1]), causes: [1, 2] };
  const fit = aalenJohansen(y, null);
  const c = fit.curves[0]!;
  const p1 = [1, 2, 3, 3, 4].map((x) => x / 6);
  const p2 = [0, 1, 1, 2, 2].map((x) => x / 6);
  const s0 = [5, 3, 2, 1, 0].map((x) => x / 6);
  for (let i = 0; i < 5; i++) {
    assert.ok(Math.abs(c.states[1]!.estimate[i]! - p1[i]!) < 1e-15);
    assert.ok(Math.abs(c.states[2]!.estimate[i]! - p2[i]!) < 1e-15);
    assert.ok(Math.abs(c.states[0]!.estimate[i]! - s0[i]!) < 1e-15);
    const se = (p: number): number => Math.sqrt((p * (1 - p)) / 6);
    assert.ok(Math.abs(c.states[1]!.stdErr[i]! - se(p1[i]!)) < 1e-14, `se p1 at ${i}`);
    assert.ok(Math.abs(c.states[0]!.stdErr[i]! - se(s0[i]!)) < 1e-14, `se s0 at ${i}`);
  }
});

/**
 * The event-time sweep of the clone-censor-weight bootstrap against R
 * (reference/r/weighted-two-group.R): weighted KM of all rows and of each group at report
 * times, and the weighted Efron Cox model on the group indicator (estimate, log partial
 * likelihood, naive variance), on right-censored and counting-process data with tied times
 * and fractional weights, and with row copies against R on the duplicated rows. The robust
 * variance of the same model is cox.ts's, checked here on the same data against R's
 * coxph(..., cluster = id).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { riskSetOrder, tabulateTwoGroupRiskSets } from './two-group-risk-sets.js';
import { survivalAtTimesFromRiskSets } from './risk-set-kaplan-meier.js';
import { fitTwoGroupEfronCox } from './two-group-efron-cox.js';
import { coxph } from './cox.js';
import { assertAllClose, assertClose, loadReference } from '../testing/approx.js';
import type { DesignMatrix } from './types.js';

interface RefCase {
  name: string; id: number[]; start: number[]; stop: number[]; event: number[]; x: number[]; weight: number[]; copies: number[] | Record<string, never>;
  times: number[]; survival_all: number[]; survival_x0: number[]; survival_x1: number[];
  coefficient: number; loglik: number[]; naive_variance: number;
  robust_coefficient: number; robust_variance: number; robust_naive_variance: number;
}
const ref = loadReference<{ cases: RefCase[] }>('weighted-two-group.json');
/** jsonlite writes R's NULL (no copies) as {}. */
const copiesOf = (c: RefCase): number[] | null => (Array.isArray(c.copies) ? c.copies : null);

/** Case weights of the rows as the sweep takes them: a row with c copies weighs c w. */
function rows(c: RefCase): { start: Float64Array; stop: Float64Array; event: Uint8Array; x: Uint8Array; weight: Float64Array; copies: Float64Array | null } {
  const listed = copiesOf(c);
  const copies = listed ? Float64Array.from(listed) : null;
  return {
    start: Float64Array.from(c.start), stop: Float64Array.from(c.stop), event: Uint8Array.from(c.event), x: Uint8Array.from(c.x),
    weight: Float64Array.from(c.weight, (w, i) => (copies ? copies[i] * w : w)), copies,
  };
}

for (const c of ref.cases) {
  test(`two-group sweep: weighted KM at times matches R survfit(weights = w): ${c.name}`, () => {
    const r = rows(c);
    const order = riskSetOrder(r.start, r.stop, r.event);
    const byGroup = survivalAtTimesFromRiskSets(tabulateTwoGroupRiskSets(order, r.x, r.event, r.weight, r.copies), c.times);
    assertAllClose(byGroup.survival1, c.survival_x1, `${c.name} S(t | x = 1)`, 1e-8);
    assertAllClose(byGroup.survival0, c.survival_x0, `${c.name} S(t | x = 0)`, 1e-8);
    // One group: every row in group 0 gives survfit(Surv(...) ~ 1, weights = w).
    const all = survivalAtTimesFromRiskSets(tabulateTwoGroupRiskSets(order, new Uint8Array(r.x.length), r.event, r.weight, r.copies), c.times);
    assertAllClose(all.survival0, c.survival_all, `${c.name} S(t), one group`, 1e-8);
    assertAllClose(all.survival1, c.times.map(() => 1), `${c.name} an empty group 1 keeps S = 1`, 0);
  });

  test(`two-group sweep: weighted Efron Cox on x matches R coxph(weights = w, ties = "efron"): ${c.name}`, () => {
    const r = rows(c);
    const fit = fitTwoGroupEfronCox(tabulateTwoGroupRiskSets(riskSetOrder(r.start, r.stop, r.event), r.x, r.event, r.weight, r.copies));
    assertClose(fit.logHr, c.coefficient, `${c.name} coefficient`, 1e-8);
    assertAllClose(fit.loglik, c.loglik, `${c.name} loglik`, 1e-8);
    assertClose(fit.naiveVariance, c.naive_variance, `${c.name} naive variance`, 1e-6);
    assert.ok(fit.iterations > 0 && fit.iterations < 30);
  });
}

test('two-group sweep: cox.ts gives the same weighted Efron fit and R\'s robust variance clustered on the patient', () => {
  // Copies are not case weights under Efron (the tie count differs), so only the cases without copies.
  for (const c of ref.cases.filter((k) => copiesOf(k) === null)) {
    const r = rows(c);
    const n = r.stop.length;
    const x: DesignMatrix = { n, p: 1, columns: [Float64Array.from(r.x)], names: ['x'], assign: Int32Array.of(0), termLabels: ['x'] };
    const counting = r.start.some((s) => s > 0);
    const fit = coxph(x, { n, start: counting ? r.start : null, stop: r.stop, event: r.event }, { ties: 'efron', weights: r.weight, cluster: Int32Array.from(c.id), robust: true });
    assertClose(fit.coefficients[0], c.robust_coefficient, `${c.name} coefficient`, 1e-8);
    assert.ok(fit.naiveVariance);
    assertClose(fit.variance[0], c.robust_variance, `${c.name} robust variance`, 1e-6);
    assertClose(fit.naiveVariance[0], c.robust_naive_variance, `${c.name} naive variance`, 1e-6);
  }
});

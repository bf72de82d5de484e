// finegray() expansion and the weighted coxph route, and the cause-specific Cox helper, against
// R survival 3.5.3 (reference/r/competing-risks.R): the expanded rows exactly (sim3), row counts
// and total weight (mgus2, pbc), coefficients, robust (row and id-clustered) and naive variances.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fineGrayCox, finegrayExpand } from './finegray-expand.js';
import { fineGray } from './fine-gray.js';
import { causeSpecificCox } from './cause-specific-cox.js';
import { coxph } from './cox.js';
import { buildCompetingRisksFrame } from './competing-risks-frame.js';
import { buildModelFrame } from './model-frame.js';
import { caseTable, competingRisksReference, describeDiff, flatMatrix, maxDiff, type CoxRef } from '../testing/competing-risks-reference.js';
import type { CoxFit } from './cox.js';

function compareCox(fit: CoxFit, r: CoxRef, label: string): string {
  const coef = maxDiff(fit.coefficients, r.coef, `${label} coef`, 1e-8, 1e-11);
  const v = maxDiff(fit.variance, flatMatrix(r.var), `${label} var`, 1e-7, 1e-12);
  const ll = maxDiff(fit.loglik, r.loglik, `${label} loglik`, 1e-11);
  let out = `${label}: ${describeDiff('coef', coef)}; ${describeDiff('var', v)}; ${describeDiff('loglik', ll)}`;
  if (r.naive_var !== null) out += `; ${describeDiff('naive var', maxDiff(fit.naiveVariance ?? fit.variance, flatMatrix(r.naive_var), `${label} naive var`, 1e-7, 1e-12))}`;
  assert.equal(fit.n, r.n);
  assert.equal(fit.nevent, r.nevent);
  return out;
}

for (const [name, c] of Object.entries(competingRisksReference.cases)) {
  c.causes.forEach((cause, k) => {
    test(`finegray + coxph ${name} cause ${cause} matches R`, async (t) => {
      const frame = buildCompetingRisksFrame(`Surv(time, status) ~ ${c.rhs}`, await caseTable(c), 'design');
      const code = frame.outcome.causes.indexOf(cause) + 1;
      const r = c.finegray[k]!;
      const e = finegrayExpand(frame.outcome, code);
      assert.equal(e.row.length, r.rows);
      maxDiff([e.weight.reduce((s, w) => s + w, 0)], [r.weight_sum], 'weight sum', 1e-12);
      if (r.fgwt) {
        const ids = Array.from(e.row, (i) => frame.rows[i]! + 1);
        assert.deepEqual(ids, r.id);
        assert.deepEqual(Array.from(e.start), r.fgstart);
        assert.deepEqual(Array.from(e.stop), r.fgstop);
        assert.deepEqual(Array.from(e.status), r.fgstatus);
        maxDiff(e.weight, r.fgwt, 'fgwt', 1e-14, 1e-15);
      }
      const lines = [
        compareCox(fineGrayCox(frame.design!, frame.outcome, code).fit, r.efron_row_robust, 'efron, row-robust'),
        compareCox(fineGrayCox(frame.design!, frame.outcome, code, { cluster: 'id' }).fit, r.efron_id_cluster, 'efron, id-clustered'),
        compareCox(fineGrayCox(frame.design!, frame.outcome, code, { ties: 'breslow' }).fit, r.breslow_row_robust, 'breslow, row-robust'),
      ];
      t.diagnostic(`${name} cause ${cause}: ${lines.join(' | ')}`);
    });

    test(`cause-specific Cox ${name} cause ${cause} equals coxph(Surv(time, status == ${cause}))`, async (t) => {
      const table = await caseTable(c);
      const frame = buildCompetingRisksFrame(`Surv(time, status) ~ ${c.rhs}`, table, 'design');
      const code = frame.outcome.causes.indexOf(cause) + 1;
      const fit = causeSpecificCox(frame.design!, frame.outcome, code);
      t.diagnostic(`${name} cause ${cause}: ${compareCox(fit, c.cause_specific[k]!, 'cause-specific')}`);
      // and the same as coxph on the table with the other causes' rows censored
      const status = table.columns.get('status')!;
      assert.equal(status.kind, 'number');
      const censored = Float64Array.from((status as { values: Float64Array }).values, (v) => (Number.isNaN(v) ? NaN : v === cause ? 1 : 0));
      const other = buildModelFrame(`Surv(time, status) ~ ${c.rhs}`, { ...table, columns: new Map([...table.columns, ['status', { kind: 'number', values: censored }]]) });
      const direct = coxph(other.design, other.survival!);
      assert.deepEqual(Array.from(fit.coefficients), Array.from(direct.coefficients));
      assert.deepEqual(Array.from(fit.variance), Array.from(direct.variance));
    });
  });
}

test('without tied times, finegray + Breslow coxph has crr\'s estimates (their weights then agree)', async () => {
  // The two routes differ only in how the censoring Kaplan–Meier treats an event tied with a
  // censoring (crr: at risk for censoring; finegray: not). Break every tie and they coincide.
  const c = competingRisksReference.cases.sim3!;
  const frame = buildCompetingRisksFrame(`Surv(time, status) ~ ${c.rhs}`, await caseTable(c), 'design');
  const y = frame.outcome;
  const jittered = { ...y, time: Float64Array.from(y.time, (t, i) => t + (i + 1) / (4 * y.n)) };
  for (let code = 1; code <= y.causes.length; code++) {
    const crr = fineGray(frame.design!, jittered, code);
    const route = fineGrayCox(frame.design!, jittered, code, { ties: 'breslow' }).fit;
    for (let j = 0; j < crr.coefficients.length; j++) {
      // crr stops where its pseudo-likelihood is flat to machine precision: ~1e-8 relative
      assert.ok(Math.abs(crr.coefficients[j]! - route.coefficients[j]!) < 1e-7 * Math.max(1, Math.abs(crr.coefficients[j]!)), `cause ${code} coef ${j}: crr ${crr.coefficients[j]} vs finegray ${route.coefficients[j]}`);
      // and the model-based variances (inverse information) agree too
      const p = crr.coefficients.length;
      assert.ok(Math.abs(crr.naiveVariance[j * p + j]! - route.naiveVariance![j * p + j]!) < 1e-6 * crr.naiveVariance[j * p + j]!);
    }
  }
});

// Fine–Gray (cmprsk::crr) against cmprsk 2.2-11 on mgus2 (ties, missing hgb), pbc and the
// simulated 3-cause set (reference/r/competing-risks.R): coefficients, sandwich SEs, p,
// log pseudo-likelihoods. Invariance: with no competing events the model is a Breslow Cox
// model (weights are all 1), so the coefficients equal coxph(ties = "breslow").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fineGray } from './fine-gray.js';
import { coxph } from './cox.js';
import { buildCompetingRisksFrame } from './competing-risks-frame.js';
import { caseTable, competingRisksReference, describeDiff, flatMatrix, maxDiff } from '../testing/competing-risks-reference.js';

for (const [name, c] of Object.entries(competingRisksReference.cases)) {
  c.causes.forEach((cause, k) => {
    test(`Fine–Gray ${name} cause ${cause} matches crr`, async (t) => {
      const frame = buildCompetingRisksFrame(`Surv(time, status) ~ ${c.rhs}`, await caseTable(c), 'design');
      const r = c.crr[k]!;
      assert.equal(frame.nDropped, r.n_dropped);
      const code = frame.outcome.causes.indexOf(cause) + 1;
      const fit = fineGray(frame.design!, frame.outcome, code);
      assert.deepEqual(fit.names, r.terms);
      assert.equal(fit.n, r.n);
      assert.equal(fit.converged, r.converged);
      const coef = maxDiff(fit.coefficients, r.coef, 'coef', 1e-9, 1e-11);
      const se = maxDiff(fit.se, r.se, 'se', 1e-8, 1e-11);
      const v = maxDiff(fit.variance, flatMatrix(r.var), 'var', 1e-8, 1e-13);
      const p = maxDiff(fit.p, r.p, 'p', 1e-7, 1e-14);
      const ll = maxDiff([fit.loglik, fit.loglikNull], [r.loglik, r.loglik_null], 'loglik', 1e-12);
      t.diagnostic(`${name} cause ${cause}: ${describeDiff('coef', coef)}; ${describeDiff('se', se)}; ${describeDiff('var', v)}; ${describeDiff('p', p)}; ${describeDiff('loglik', ll)}`);
    });
  });
}

test('Fine–Gray without competing events is the Breslow Cox model', async () => {
  const c = competingRisksReference.cases.sim3!;
  const frame = buildCompetingRisksFrame(`Surv(time, status) ~ ${c.rhs}`, await caseTable(c), 'design');
  const y = frame.outcome;
  // merge causes 2 and 3 into censoring: only cause 1 remains
  const only1 = { ...y, cause: Int32Array.from(y.cause, (v) => (v === 1 ? 1 : 0)), causes: [1] };
  const fg = fineGray(frame.design!, only1, 1);
  const cox = coxph(frame.design!, { n: y.n, start: null, stop: y.time, event: Uint8Array.from(only1.cause) }, { ties: 'breslow', timefix: false, eps: 1e-14, maxIter: 50 });
  for (let j = 0; j < fg.coefficients.length; j++) {
    // Both stop where the log-likelihood is flat to machine precision (crr's line search can no
    // longer decrease it), which pins the coefficients to ~1e-8 relative, not 1e-15.
    assert.ok(Math.abs(fg.coefficients[j]! - cox.coefficients[j]!) < 1e-7 * Math.abs(cox.coefficients[j]!), `coef ${j}: ${fg.coefficients[j]} vs ${cox.coefficients[j]}`);
    // the inverse information is Cox's model-based variance
    assert.ok(Math.abs(fg.naiveVariance[j * fg.coefficients.length + j]! - cox.variance[j * fg.coefficients.length + j]!) < 1e-7 * cox.variance[j * fg.coefficients.length + j]!);
  }
});

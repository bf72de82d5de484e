/**
 * Cox model on one binary covariate (group 1 vs group 0) with case weights and Efron's tie
 * correction, fitted from the groups' risk sets at the event times (two-group-risk-sets.ts):
 * R's coxph(Surv(start, stop, d) ~ x, weights = w, ties = "efron"), point estimate and
 * model-based variance. The robust (sandwich) variance needs every row's score residual and is
 * cox.ts's; this module serves refits in which only the weights change (a bootstrap replicate).
 *
 * Inputs:  TwoGroupRiskSets: per event time the weighted at-risk sums R_1, R_0, weighted
 *          events D_1, D_0 and the number of tied event rows nd.
 * Outputs: logHr (beta), the information at beta, the naive variance 1 / information (R's
 *          fit$naive.var, or fit$var without cluster), the log partial likelihood at 0 and at
 *          beta (R's fit$loglik), and the number of Newton iterations.
 * Method:  Efron as coxph with weights (agfit4.c): the nd tied events share their mean weight
 *          (D_1 + D_0) / nd, and the j-th of them (j = 0 .. nd-1) sees the risk set minus j/nd
 *          of the tied events' weight. With s0 = R_0 + e^b R_1 and d0 = D_0 + e^b D_1 that is
 *          denominator s0 - (j/nd) d0 and mean covariate a_j = e^b (R_1 - (j/nd) D_1) / denominator;
 *          the score adds D_1 - meanW sum_j a_j, the information meanW sum_j a_j (1 - a_j).
 *          Newton-Raphson from beta = 0, halving the step (as coxph) while the partial
 *          likelihood decreases; stops when the step is below 1e-13 (1 + |beta|) or after 30
 *          iterations. A single binary covariate needs no centring or scaling.
 * Reference: Efron (1977), JASA 72:557; survival 3.5.3 agfit4.c; reference/r/weighted-two-group.R.
 */
import type { TwoGroupRiskSets } from './two-group-risk-sets.js';

export interface TwoGroupCoxFit {
  logHr: number;
  information: number;
  /** 1 / information: the model-based variance of logHr. */
  naiveVariance: number;
  /** Log partial likelihood at beta = 0 and at logHr. */
  loglik: [number, number];
  iterations: number;
}

interface PartialLikelihood { ll: number; u: number; info: number }

function efronPartialLikelihood(table: TwoGroupRiskSets, beta: number): PartialLikelihood {
  const { atRisk1, atRisk0, events1, events0, tiedEvents } = table;
  const T = table.eventTimes.length;
  const eb = Math.exp(beta);
  let ll = 0;
  let u = 0;
  let info = 0;
  for (let q = 0; q < T; q++) {
    const nd = tiedEvents[q];
    if (!(nd > 0)) continue;
    const meanW = (events1[q] + events0[q]) / nd;
    ll += events1[q] * beta;
    u += events1[q];
    const s0 = atRisk0[q] + eb * atRisk1[q];
    const d0 = events0[q] + eb * events1[q];
    for (let j = 0; j < nd; j++) {
      const f = j / nd;
      const denom = s0 - f * d0;
      const a = (eb * (atRisk1[q] - f * events1[q])) / denom;
      ll -= meanW * Math.log(denom);
      u -= meanW * a;
      info += meanW * (a - a * a);
    }
  }
  return { ll, u, info };
}

export function fitTwoGroupEfronCox(table: TwoGroupRiskSets): TwoGroupCoxFit {
  let beta = 0;
  let cur = efronPartialLikelihood(table, beta);
  const ll0 = cur.ll;
  let iterations = 0;
  for (let iter = 0; iter < 30; iter++) {
    if (!(cur.info > 0)) break;
    let step = cur.u / cur.info;
    let next = efronPartialLikelihood(table, beta + step);
    // Step halving, as coxph, if the partial likelihood went down.
    for (let h = 0; h < 20 && !(next.ll >= cur.ll - 1e-12 * Math.abs(cur.ll)); h++) { step /= 2; next = efronPartialLikelihood(table, beta + step); }
    beta += step;
    cur = next;
    iterations++;
    if (Math.abs(step) < 1e-13 * (1 + Math.abs(beta))) break;
  }
  return { logHr: beta, information: cur.info, naiveVariance: 1 / cur.info, loglik: [ll0, cur.ll], iterations };
}

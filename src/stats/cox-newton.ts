/**
 * Newton-Raphson for the Cox partial likelihood, step for step as R's survival 3.5 does it.
 *
 * Inputs: `CoxData` (sorted, centred, scaled), initial beta on the data scale, ties method,
 *   and R's control values (iter.max, eps, toler.chol).
 * Outputs: beta and the inverse information (model-based variance) on the data scale, the
 *   score vector at the final beta (used for R's "may be infinite" check), log-likelihood at
 *   the initial and final beta, the score test at the initial beta, R's iteration count and
 *   rank/convergence flags.
 * Method: two variants, because R has two and they differ in their bookkeeping:
 *  - right-censored (coxfit6.c): the initial evaluation is not counted; iterations 1..iter.max
 *    each evaluate a trial beta and stop when |1 - loglik_best/loglik_new| <= eps. A trial that
 *    lowers the log-likelihood is pulled back towards the last good beta (step halving, more
 *    aggressive each time). Running out of iterations reports iter.max + 1 and, like R,
 *    re-evaluates at the last good beta; R then inverts the NON-decomposed information, which
 *    yields diag(1/I_jj): we reproduce that, since users compare with R.
 *  - counting process (agfit4.c): iteration 0 is the initial evaluation; convergence also
 *    requires that no step halving is in progress and that the rank did not change; running
 *    out reports iter.max and falls back to the previous beta if the last step made things
 *    worse.
 *  The first iteration never declares convergence on its own loglik (as in R). Covariates that
 *  `cholesky2` finds collinear get a zero step and are reported as NA by the caller.
 * Reference: survival src/coxfit6.c and src/agfit4.c; R functions coxph.fit and agreg.fit.
 */
import type { CoxData } from './cox-data.js';
import { newRiskSetWork, riskSetPass } from './cox-riskset.js';
import { chinv2, cholesky2, chsolve2 } from './linear-algebra.js';

export interface NewtonControl {
  maxIter: number;
  eps: number;
  tolerChol: number;
}

export interface NewtonResult {
  beta: Float64Array;
  /** p*p inverse information (symmetric), data scale. */
  variance: Float64Array;
  /** Score vector at the returned beta (data scale), as R's coxfit$u. */
  u: Float64Array;
  loglik: [number, number];
  scoreTest: number;
  iterations: number;
  converged: boolean;
  /** R's rank flag: coxfit6's `flag` (rank, -2 after halving, 1000 not converged) or agfit4's flag[1]. */
  rankFlag: number;
}

function toDataScale(d: CoxData, beta: Float64Array, u: Float64Array, imat: Float64Array): void {
  const p = d.p;
  for (let i = 0; i < p; i++) {
    beta[i] = beta[i]! * d.scale[i]!;
    u[i] = u[i]! / d.scale[i]!;
    for (let j = 0; j < p; j++) imat[i * p + j] = imat[i * p + j]! * d.scale[i]! * d.scale[j]!;
  }
}

export function newtonRaphson(d: CoxData, init: Float64Array, efron: boolean, control: NewtonControl): NewtonResult {
  return d.counting ? newtonCounting(d, init, efron, control) : newtonRight(d, init, efron, control);
}

function newtonRight(d: CoxData, init: Float64Array, efron: boolean, control: NewtonControl): NewtonResult {
  const p = d.p;
  const { maxIter, eps, tolerChol } = control;
  const work = newRiskSetWork(d);
  const { u, imat } = work;
  const beta = new Float64Array(p);
  for (let i = 0; i < p; i++) beta[i] = init[i]! / d.scale[i]!;
  const ll0 = riskSetPass(d, beta, efron, work);
  const step = Float64Array.from(u);
  let flag = cholesky2(imat, p, tolerChol);
  chsolve2(imat, p, step);
  let scoreTest = 0;
  for (let i = 0; i < p; i++) scoreTest += u[i]! * step[i]!;
  let ll1 = ll0;
  if (maxIter === 0 || !Number.isFinite(ll0)) {
    chinv2(imat, p);
    toDataScale(d, beta, u, imat);
    return { beta, variance: imat, u, loglik: [ll0, ll0], scoreTest, iterations: 0, converged: maxIter === 0, rankFlag: flag };
  }
  const newbeta = new Float64Array(p);
  for (let i = 0; i < p; i++) newbeta[i] = beta[i]! + step[i]!;
  let halving = 0;
  let iter = 1;
  for (; iter <= maxIter; iter++) {
    const newlk = riskSetPass(d, newbeta, efron, work);
    flag = cholesky2(imat, p, tolerChol);
    let notfinite = !Number.isFinite(newlk);
    for (let i = 0; i < p && !notfinite; i++) {
      if (!Number.isFinite(u[i]!)) notfinite = true;
      for (let j = 0; j < p; j++) if (!Number.isFinite(imat[i * p + j]!)) notfinite = true;
    }
    if (!notfinite && Math.abs(1 - ll1 / newlk) <= eps) {
      chinv2(imat, p);
      beta.set(newbeta);
      toDataScale(d, beta, u, imat);
      if (halving) flag = -2;
      return { beta, variance: imat, u, loglik: [ll0, newlk], scoreTest, iterations: iter, converged: true, rankFlag: flag };
    }
    if (notfinite || newlk < ll1) {
      halving++;
      for (let i = 0; i < p; i++) newbeta[i] = (newbeta[i]! + halving * beta[i]!) / (halving + 1);
    } else {
      halving = 0;
      ll1 = newlk;
      chsolve2(imat, p, u);
      for (let i = 0; i < p; i++) {
        beta[i] = newbeta[i]!;
        newbeta[i] = newbeta[i]! + u[i]!;
      }
    }
  }
  // Out of iterations: R re-evaluates at the last good beta when iter.max > 1.
  if (maxIter > 1) ll1 = riskSetPass(d, beta, efron, work);
  chinv2(imat, p);
  toDataScale(d, beta, u, imat);
  return { beta, variance: imat, u, loglik: [ll0, ll1], scoreTest, iterations: iter, converged: false, rankFlag: 1000 };
}

function newtonCounting(d: CoxData, init: Float64Array, efron: boolean, control: NewtonControl): NewtonResult {
  const p = d.p;
  const { maxIter, eps, tolerChol } = control;
  const work = newRiskSetWork(d);
  const { u, imat } = work;
  const beta = new Float64Array(p);
  const oldbeta = new Float64Array(p);
  for (let i = 0; i < p; i++) beta[i] = init[i]! / d.scale[i]!;
  let ll0 = 0;
  let ll1 = 0;
  let newlk = 0;
  let scoreTest = 0;
  let rank = 0;
  let halving = 0;
  let converged = false;
  let iter = 0;
  for (; iter <= maxIter; iter++) {
    newlk = riskSetPass(d, beta, efron, work);
    if (iter === 0) {
      ll0 = ll1 = newlk;
      const step = Float64Array.from(u);
      rank = cholesky2(imat, p, tolerChol);
      chsolve2(imat, p, step);
      for (let i = 0; i < p; i++) scoreTest += u[i]! * step[i]!;
      if (maxIter === 0) {
        converged = true;
        break;
      }
      if (!Number.isFinite(newlk)) break;
      for (let i = 0; i < p; i++) {
        oldbeta[i] = beta[i]!;
        beta[i] = beta[i]! + step[i]!;
      }
      continue;
    }
    let fail = 0;
    for (let i = 0; i < p; i++) if (!Number.isFinite(imat[i * p + i]!)) fail++;
    const rank2 = cholesky2(imat, p, tolerChol);
    fail += (Number.isFinite(newlk) ? 0 : 1) + Math.abs(rank - rank2);
    if (fail === 0 && halving === 0 && Math.abs(1 - ll1 / newlk) <= eps) {
      converged = true;
      break;
    }
    if (iter === maxIter) {
      if (maxIter > 1 && (newlk - ll1) / Math.abs(ll1) < -eps) {
        // the last step was worse than the best so far: report the previous beta
        beta.set(oldbeta);
        newlk = riskSetPass(d, beta, efron, work);
        cholesky2(imat, p, tolerChol);
      }
      break;
    }
    if (fail > 0 || newlk < ll1) {
      halving++;
      for (let i = 0; i < p; i++) beta[i] = (oldbeta[i]! * halving + beta[i]!) / (halving + 1);
    } else {
      halving = 0;
      ll1 = newlk;
      chsolve2(imat, p, u);
      for (let i = 0; i < p; i++) {
        oldbeta[i] = beta[i]!;
        beta[i] = beta[i]! + u[i]!;
      }
    }
  }
  if (iter > maxIter) iter = maxIter;
  chinv2(imat, p);
  toDataScale(d, beta, u, imat);
  return { beta, variance: imat, u, loglik: [ll0, newlk], scoreTest, iterations: iter, converged, rankFlag: rank };
}

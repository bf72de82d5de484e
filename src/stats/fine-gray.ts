/**
 * The Fine–Gray proportional subdistribution-hazards model, R's cmprsk::crr(ftime, fstatus,
 * cov1, failcode, cencode = 0) with fixed covariates and one censoring group.
 *
 * Inputs:  a DesignMatrix (no intercept: model.matrix(~ rhs)[, -1]), a CompetingRisksOutcome,
 *          the cause code of interest (1..k), and crr's controls (maxiter = 10, gtol = 1e-6,
 *          init = 0).
 * Outputs: FineGrayFit: coefficients, crr's sandwich variance (`var`) and its inverse
 *          information (`invinf`, the naive variance), standard errors, z, two-sided p,
 *          log pseudo-likelihood at the estimate and at 0, convergence and iterations.
 * Method:  the subdistribution risk set at a failure time t of the cause holds everyone still
 *          event-free (T >= t, weight 1) and everyone who failed from another cause before t,
 *          with weight G(t-)/G(T-), G the Kaplan–Meier estimate of the censoring distribution
 *          (censorings as events; survfit(Surv(ftime, cenind) ~ 1) evaluated just before each
 *          time, as crr's approx(ftime * (1 - 100 eps)) does). Breslow ties. The weighted sums
 *          are cumulative: suffix sums over T >= t plus G(t-) times prefix sums of
 *          exp(x b)/G(T-) over earlier competing failures, O(n p^2) per evaluation.
 *          Fitting repeats crr exactly: Newton steps from init, accepted if the negative log
 *          pseudo-likelihood falls by at least 1e-4 of the predicted decrease, else halved (at
 *          most 20 times); converged when max|score| max(|b|, 1) < max(|loglik|, 1) gtol.
 *          Variance (Fine & Gray 1999, section 3; crrvv): H^-1 (sum_i (eta_i + psi_i)^2) H^-1
 *          where eta_i is subject i's score residual (its failure minus its share of each risk
 *          set's mean, weights included) and psi_i the correction for estimating G: the
 *          integral of q(u)/pi(u) against i's censoring martingale, with q(u) the derivative of
 *          the score with respect to the censoring hazard at u. Because of psi this sandwich is
 *          not the robust variance coxph gives on finegray() data, which treats the weights as
 *          known (see finegray-expand.ts).
 * Reference: Fine JP, Gray RJ (1999), A proportional hazards model for the subdistribution of a
 *          competing risk, JASA 94:496-509; cmprsk 2.2 crr(), crrfsv/crrf/crrvv (crr.f).
 */
import { chiSquareSurvival, normalCdf, normalQuantile } from './distributions.js';
import { EstimationError, SpecificationError } from '../core/errors.js';
import { cholesky2, chinv2, chsolve2 } from './linear-algebra.js';
import type { CompetingRisksOutcome } from './competing-risks-frame.js';
import type { DesignMatrix } from './types.js';

export interface FineGrayOptions {
  /** crr: maxiter = 10. */
  maxIter?: number;
  /** crr: gtol = 1e-6. */
  gtol?: number;
  init?: Float64Array;
}

export interface FineGrayFit {
  names: string[];
  /** The cause's status value. */
  cause: number;
  n: number;
  nEvent: number;
  nCompeting: number;
  nCensored: number;
  coefficients: Float64Array;
  /** crr's sandwich variance, p x p row-major. */
  variance: Float64Array;
  /** Inverse information (crr's invinf): the model-based variance. */
  naiveVariance: Float64Array;
  se: Float64Array;
  z: Float64Array;
  p: Float64Array;
  loglik: number;
  loglikNull: number;
  /** Likelihood-ratio-type statistic 2 (loglik - loglikNull); not a valid chi-square (weights), as crr's print notes. */
  pseudoLikelihoodRatio: { statistic: number; df: number; p: number };
  converged: boolean;
  iterations: number;
}

/** Sorted data, weights and failure-time structure shared by every evaluation. */
interface FineGrayData {
  n: number;
  p: number;
  /** Row-major n x p covariates in time order. */
  x: Float64Array;
  /** 1 = the cause, 2 = another cause, 0 = censored, in time order. */
  mark: Uint8Array;
  /** G(T-) per sorted row. */
  gLeft: Float64Array;
  /** Block (distinct time) boundaries: rows blockStart[b] .. blockStart[b+1]-1. */
  blockStart: Int32Array;
}

function prepare(x: DesignMatrix, y: CompetingRisksOutcome, target: number): FineGrayData {
  const n = y.n;
  const p = x.p;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => y.time[a]! - y.time[b]! || a - b);
  const xs = new Float64Array(n * p);
  const mark = new Uint8Array(n);
  const time = new Float64Array(n);
  order.forEach((r, i) => {
    for (let j = 0; j < p; j++) xs[i * p + j] = x.columns[j]![r]!;
    const c = y.cause[r]!;
    mark[i] = c === 0 ? 0 : c === target ? 1 : 2;
    time[i] = y.time[r]!;
  });
  const starts: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || time[i] !== time[i - 1]) starts.push(i);
  starts.push(n);
  const blockStart = Int32Array.from(starts);
  // Kaplan–Meier of the censoring distribution, left limits
  const gLeft = new Float64Array(n);
  let g = 1;
  for (let b = 0; b + 1 < blockStart.length; b++) {
    const lo = blockStart[b]!;
    const hi = blockStart[b + 1]!;
    let c = 0;
    for (let i = lo; i < hi; i++) {
      gLeft[i] = g;
      if (mark[i] === 0) c++;
    }
    g *= 1 - c / (n - lo);
  }
  return { n, p, x: xs, mark, gLeft, blockStart };
}

interface RiskSums {
  /** Per target failure block, in ascending time: the block index, d, S0, S1 (p), S2 (p x p), sum of x over failures. */
  blocks: Int32Array;
  d: Float64Array;
  s0: Float64Array;
  s1: Float64Array;
  s2: Float64Array | null;
  xFail: Float64Array;
}

function riskSums(data: FineGrayData, beta: Float64Array, withSecond: boolean): RiskSums {
  const { n, p, x, mark, gLeft, blockStart } = data;
  const nb = blockStart.length - 1;
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let lp = 0;
    for (let j = 0; j < p; j++) lp += x[i * p + j]! * beta[j]!;
    e[i] = Math.exp(lp);
  }
  const failBlocks: number[] = [];
  for (let b = 0; b < nb; b++) {
    for (let i = blockStart[b]!; i < blockStart[b + 1]!; i++) if (mark[i] === 1) { failBlocks.push(b); break; }
  }
  const m = failBlocks.length;
  const d = new Float64Array(m);
  const s0 = new Float64Array(m);
  const s1 = new Float64Array(m * p);
  const s2 = withSecond ? new Float64Array(m * p * p) : null;
  const xFail = new Float64Array(m * p);
  // suffix sums over T >= t (descending pass)
  let t0 = 0;
  const t1 = new Float64Array(p);
  const t2 = new Float64Array(p * p);
  let f = m - 1;
  for (let b = nb - 1; b >= 0 && f >= 0; b--) {
    for (let i = blockStart[b]!; i < blockStart[b + 1]!; i++) {
      const w = e[i]!;
      t0 += w;
      for (let j = 0; j < p; j++) {
        const xj = x[i * p + j]!;
        t1[j]! += w * xj;
        if (withSecond) for (let k = 0; k <= j; k++) t2[j * p + k]! += w * xj * x[i * p + k]!;
      }
    }
    if (failBlocks[f] === b) {
      s0[f] = t0;
      s1.set(t1, f * p);
      if (s2) s2.set(t2, f * p * p);
      f--;
    }
  }
  // prefix sums over earlier competing failures (ascending pass), scaled by G(t-)
  let c0 = 0;
  const c1 = new Float64Array(p);
  const c2 = new Float64Array(p * p);
  f = 0;
  for (let b = 0; b < nb && f < m; b++) {
    const lo = blockStart[b]!;
    if (failBlocks[f] === b) {
      const g = gLeft[lo]!;
      s0[f]! += g * c0;
      for (let j = 0; j < p; j++) {
        s1[f * p + j]! += g * c1[j]!;
        if (s2) for (let k = 0; k <= j; k++) s2[f * p * p + j * p + k]! += g * c2[j * p + k]!;
      }
      for (let i = lo; i < blockStart[b + 1]!; i++) {
        if (mark[i] !== 1) continue;
        d[f]!++;
        for (let j = 0; j < p; j++) xFail[f * p + j]! += x[i * p + j]!;
      }
      f++;
    }
    for (let i = lo; i < blockStart[b + 1]!; i++) {
      if (mark[i] !== 2) continue;
      const w = e[i]! / gLeft[i]!;
      c0 += w;
      for (let j = 0; j < p; j++) {
        const xj = x[i * p + j]!;
        c1[j]! += w * xj;
        for (let k = 0; k <= j; k++) c2[j * p + k]! += w * xj * x[i * p + k]!;
      }
    }
  }
  return { blocks: Int32Array.from(failBlocks), d, s0, s1, s2, xFail };
}

/** crr's objective: minus the log pseudo-likelihood, its gradient and Hessian. */
function objective(data: FineGrayData, beta: Float64Array, derivatives: boolean): { value: number; gradient: Float64Array; hessian: Float64Array } {
  const p = data.p;
  const r = riskSums(data, beta, derivatives);
  let value = 0;
  const gradient = new Float64Array(p);
  const hessian = new Float64Array(p * p);
  for (let f = 0; f < r.d.length; f++) {
    const d = r.d[f]!;
    const s0 = r.s0[f]!;
    let xb = 0;
    for (let j = 0; j < p; j++) xb += r.xFail[f * p + j]! * beta[j]!;
    value += -xb + d * Math.log(s0);
    if (!derivatives) continue;
    for (let j = 0; j < p; j++) {
      const mj = r.s1[f * p + j]! / s0;
      gradient[j]! += -r.xFail[f * p + j]! + d * mj;
      for (let k = 0; k <= j; k++) hessian[j * p + k]! += d * (r.s2![f * p * p + j * p + k]! / s0 - mj * (r.s1[f * p + k]! / s0));
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) hessian[k * p + j] = hessian[j * p + k]!;
  return { value, gradient, hessian };
}

function solve(h: Float64Array, p: number, rhs: Float64Array): Float64Array {
  const m = Float64Array.from(h);
  const rank = cholesky2(m, p, 1e-12);
  if (rank !== p) throw new EstimationError('the Fine–Gray information matrix is singular (collinear covariates, or a covariate constant among the risk sets)');
  const b = Float64Array.from(rhs);
  chsolve2(m, p, b);
  return b;
}

function inverse(h: Float64Array, p: number): Float64Array {
  const m = Float64Array.from(h);
  const rank = cholesky2(m, p, 1e-12);
  if (rank !== p) throw new EstimationError('the Fine–Gray information matrix is singular (collinear covariates, or a covariate constant among the risk sets)');
  chinv2(m, p);
  return m;
}

/** crrvv: the sandwich's middle, sum_i (eta_i + psi_i)(eta_i + psi_i)'. */
function scoreOuterProduct(data: FineGrayData, beta: Float64Array): Float64Array {
  const { n, p, x, mark, gLeft, blockStart } = data;
  const r = riskSums(data, beta, false);
  const m = r.d.length;
  const nb = blockStart.length - 1;
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let lp = 0;
    for (let j = 0; j < p; j++) lp += x[i * p + j]! * beta[j]!;
    e[i] = Math.exp(lp);
  }
  const xbar = new Float64Array(m * p);
  for (let f = 0; f < m; f++) for (let j = 0; j < p; j++) xbar[f * p + j] = r.s1[f * p + j]! / r.s0[f]!;
  // failure-time sums: a = d/S0 (with xbar), gd = d G/S0 (with xbar)
  const gFail = Float64Array.from(r.blocks, (b) => gLeft[blockStart[b]!]!);
  // per block: the index of the first failure block at or after it
  const nextFail = new Int32Array(nb + 1);
  {
    let f = m;
    for (let b = nb; b >= 0; b--) {
      if (f > 0 && r.blocks[f - 1] === b) f--;
      nextFail[b] = f;
    }
  }
  // prefix (t_j <= t) and suffix (t_j >= t) cumulative sums over failure blocks
  const a0 = new Float64Array(m + 1);
  const a1 = new Float64Array((m + 1) * p);
  for (let f = 0; f < m; f++) {
    const w = r.d[f]! / r.s0[f]!;
    a0[f + 1] = a0[f]! + w;
    for (let j = 0; j < p; j++) a1[(f + 1) * p + j] = a1[f * p + j]! + w * xbar[f * p + j]!;
  }
  const b0 = new Float64Array(m + 1); // b0[f] = sum over failure blocks >= f
  const b1 = new Float64Array((m + 1) * p);
  for (let f = m - 1; f >= 0; f--) {
    const w = (r.d[f]! * gFail[f]!) / r.s0[f]!;
    b0[f] = b0[f + 1]! + w;
    for (let j = 0; j < p; j++) b1[f * p + j] = b1[(f + 1) * p + j]! + w * xbar[f * p + j]!;
  }
  const out = new Float64Array(p * p);
  const u = new Float64Array(p);
  const ss2 = new Float64Array(p);
  const q = new Float64Array(p);
  // competing-failure sums before the current block: Q0 = sum e/G, Q1 = sum e x/G
  let q0 = 0;
  const q1 = new Float64Array(p);
  for (let b = 0; b < nb; b++) {
    const lo = blockStart[b]!;
    const hi = blockStart[b + 1]!;
    const atRisk = n - lo;
    // failure blocks with t_j <= T (this block) are 0..fLe-1; with t_j > T are fLe..m-1; >= T from nextFail[b]
    const fGe = nextFail[b]!;
    const fLe = fGe < m && r.blocks[fGe] === b ? fGe + 1 : fGe;
    let nCens = 0;
    for (let i = lo; i < hi; i++) if (mark[i] === 0) nCens++;
    if (nCens > 0) {
      for (let j = 0; j < p; j++) q[j] = q1[j]! * b0[fGe]! - q0 * b1[fGe * p + j]!;
      for (let j = 0; j < p; j++) ss2[j]! -= (nCens * q[j]!) / (atRisk * atRisk);
    }
    for (let i = lo; i < hi; i++) {
      const ei = e[i]!;
      for (let j = 0; j < p; j++) {
        const xij = x[i * p + j]!;
        let v = -ei * (xij * a0[fLe]! - a1[fLe * p + j]!);
        if (mark[i] === 1) v += xij - xbar[(fLe - 1) * p + j]!;
        if (mark[i] === 2) v -= (ei / gLeft[i]!) * (xij * b0[fLe]! - b1[fLe * p + j]!);
        v += ss2[j]!;
        if (mark[i] === 0) v += q[j]! / atRisk;
        u[j] = v;
      }
      for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) out[j * p + k]! += u[j]! * u[k]!;
    }
    for (let i = lo; i < hi; i++) {
      if (mark[i] !== 2) continue;
      const w = e[i]! / gLeft[i]!;
      q0 += w;
      for (let j = 0; j < p; j++) q1[j]! += w * x[i * p + j]!;
    }
  }
  return out;
}

/** Fits cmprsk::crr(ftime, fstatus, cov1 = design, failcode = cause). */
export function fineGray(x: DesignMatrix, y: CompetingRisksOutcome, causeCode: number, options: FineGrayOptions = {}): FineGrayFit {
  const p = x.p;
  if (p === 0) throw new SpecificationError('a Fine–Gray model needs at least one covariate');
  if (x.n !== y.n) throw new SpecificationError(`design has ${x.n} rows, outcome ${y.n}`);
  if (!(causeCode >= 1 && causeCode <= y.causes.length)) throw new SpecificationError(`cause code ${causeCode} is not one of 1..${y.causes.length}`);
  const maxIter = options.maxIter ?? 10;
  const gtol = options.gtol ?? 1e-6;
  const data = prepare(x, y, causeCode);
  let nEvent = 0;
  let nCompeting = 0;
  for (let i = 0; i < y.n; i++) {
    if (data.mark[i] === 1) nEvent++;
    else if (data.mark[i] === 2) nCompeting++;
  }
  if (nEvent === 0) throw new EstimationError(`no failures from cause ${y.causes[causeCode - 1]}: the Fine–Gray model cannot be fitted`);
  let beta: Float64Array = Float64Array.from(options.init ?? new Float64Array(p));
  if (beta.length !== p) throw new SpecificationError(`init has ${beta.length} values for ${p} coefficients`, { field: 'init' });
  let converged = false;
  let iterations = 0;
  let current = objective(data, beta, true);
  for (let ll = 0; ll <= maxIter; ll++) {
    iterations = ll;
    let lhs = 0;
    for (let j = 0; j < p; j++) lhs = Math.max(lhs, Math.abs(current.gradient[j]!) * Math.max(Math.abs(beta[j]!), 1));
    if (lhs < Math.max(Math.abs(current.value), 1) * gtol) {
      converged = true;
      break;
    }
    if (ll === maxIter) break;
    const step = solve(current.hessian, p, current.gradient);
    for (let j = 0; j < p; j++) step[j] = -step[j]!;
    let predicted = 0;
    for (let j = 0; j < p; j++) predicted += step[j]! * current.gradient[j]!;
    const trial = (): Float64Array => Float64Array.from(beta, (b, j) => b + step[j]!);
    let next = trial();
    let fNext = objective(data, next, false).value;
    let halvings = 0;
    let failed = false;
    while (Number.isNaN(fNext) || fNext > current.value + 1e-4 * predicted) {
      halvings++;
      for (let j = 0; j < p; j++) step[j] = step[j]! * 0.5;
      next = trial();
      fNext = objective(data, next, false).value;
      if (halvings > 20) {
        failed = true;
        break;
      }
    }
    if (failed) break;
    beta = next;
    current = objective(data, beta, true);
  }
  const naiveVariance = inverse(current.hessian, p);
  const middle = scoreOuterProduct(data, beta);
  const tmp = new Float64Array(p * p);
  const variance = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) { let s = 0; for (let k = 0; k < p; k++) s += naiveVariance[i * p + k]! * middle[k * p + j]!; tmp[i * p + j] = s; }
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) { let s = 0; for (let k = 0; k < p; k++) s += tmp[i * p + k]! * naiveVariance[k * p + j]!; variance[i * p + j] = s; }
  const se = Float64Array.from({ length: p }, (_, j) => Math.sqrt(variance[j * p + j]!));
  const z = Float64Array.from(beta, (b, j) => b / se[j]!);
  const pv = Float64Array.from(z, (zz) => 2 * normalCdf(-Math.abs(zz)));
  const loglik = -current.value;
  const loglikNull = -objective(data, new Float64Array(p), false).value;
  const lr = 2 * (loglik - loglikNull);
  return {
    names: x.names,
    cause: y.causes[causeCode - 1]!,
    n: y.n,
    nEvent,
    nCompeting,
    nCensored: y.n - nEvent - nCompeting,
    coefficients: beta,
    variance,
    naiveVariance,
    se,
    z,
    p: pv,
    loglik,
    loglikNull,
    pseudoLikelihoodRatio: { statistic: lr, df: p, p: chiSquareSurvival(lr, p) },
    converged,
    iterations,
  };
}

/** summary.crr's rows: coef, exp(coef), se, z, p and the exp(coef) confidence limits. */
export function fineGraySummaryRows(fit: FineGrayFit, level = 0.95): { term: string; coef: number; hr: number; se: number; z: number; p: number; hrLower: number; hrUpper: number }[] {
  const q = normalQuantile(1 - (1 - level) / 2);
  return fit.names.map((term, j) => {
    const b = fit.coefficients[j]!;
    const s = fit.se[j]!;
    return { term, coef: b, hr: Math.exp(b), se: s, z: fit.z[j]!, p: fit.p[j]!, hrLower: Math.exp(b - q * s), hrUpper: Math.exp(b + q * s) };
  });
}

/**
 * Logistic regression by iteratively reweighted least squares, as R's `glm(family = binomial)`.
 *
 * Inputs:  x, the model matrix (DesignMatrix, including the "(Intercept)" column if wanted);
 *          y, the 0/1 response; optional prior weights (> 0), maxIter (R's maxit, 25) and
 *          epsilon (R's epsilon, 1e-8).
 * Outputs: a LogisticFit: coefficients, standard errors, Wald z and p, odds ratios with Wald
 *          95% intervals (R's confint.default), deviance, null deviance, degrees of freedom,
 *          AIC, the likelihood-ratio test against the intercept-only model, iterations,
 *          convergence, fitted probabilities, linear predictor and R's warnings. Aliased
 *          (linearly dependent) columns get NaN, as R's NA.
 * Method:  R's glm.fit exactly: start from mu = (w y + 0.5) / (w + 1); each iteration solves
 *          the weighted least-squares problem of the working response z = eta + (y - mu)/mu'
 *          with weights w mu'^2 / (mu (1 - mu)) by a Householder QR with R's limited column
 *          pivoting (LINPACK dqrdc2, tolerance min(1e-7, epsilon/1000)): a column whose
 *          remaining norm falls below tol x its original norm is moved to the end and treated
 *          as aliased (coefficient 0 while iterating, NA at the end). Converged when
 *          |dev - devold| / (|dev| + 0.1) < epsilon. The covariance is (R'R)^-1 from the QR of
 *          the LAST iteration (whose weights come from the previous linear predictor), which is
 *          what summary.glm uses; SEs therefore match R's to rounding, not just to tolerance.
 *          The inverse link and mu' are clamped as R's C code does (eta beyond +-30), so a
 *          separated fit runs the same 25 iterations to the same place as R's.
 * Reference: R's stats::glm.fit, binomial() (logit_linkinv, logit_mu_eta, binomial_dev_resids
 *          in src/library/stats/src/family.c), summary.glm, confint.default; LINPACK dqrdc2.
 */
import { EstimationError, InputError } from '../core/errors.js';
import { chiSquareSurvival, normalCdf, normalQuantile } from './distributions.js';
import type { DesignMatrix } from './types.js';
import { chol2inv } from './linear-algebra.js';

export interface LogisticFit {
  names: string[];
  coefficients: Float64Array;
  se: Float64Array;
  z: Float64Array;
  p: Float64Array;
  /** exp(coefficient). */
  or: Float64Array;
  /** Wald 95% limits exp(b -+ qnorm(0.975) se), as exp(confint.default(fit)). */
  orLower: Float64Array;
  orUpper: Float64Array;
  /** Columns dropped as linear combinations of earlier ones (R's NA coefficients). */
  aliased: boolean[];
  deviance: number;
  nullDeviance: number;
  dfResidual: number;
  dfNull: number;
  rank: number;
  aic: number;
  /** Likelihood-ratio test against the null (intercept-only) model: null deviance - deviance. */
  lrTest: { statistic: number; df: number; p: number };
  iterations: number;
  converged: boolean;
  fitted: Float64Array;
  linearPredictor: Float64Array;
  /** R's warning messages, in R's order. */
  warnings: string[];
}

export interface LogisticOptions {
  weights?: Float64Array | null;
  maxIter?: number;
  epsilon?: number;
}

// R's family.c constants: eta is clamped at +-30 and mu kept strictly inside (0, 1).
const THRESH = 30;
const MTHRESH = -30;
const DBL_EPSILON = 2.220446049250313e-16;
const INVEPS = 1 / DBL_EPSILON;

function logitInverse(eta: number): number {
  const t = eta < MTHRESH ? DBL_EPSILON : eta > THRESH ? INVEPS : Math.exp(eta);
  return t / (1 + t);
}

function logitMuEta(eta: number): number {
  const opexp = 1 + Math.exp(eta);
  return eta > THRESH || eta < MTHRESH ? DBL_EPSILON : Math.exp(eta) / (opexp * opexp);
}

function yLogY(y: number, mu: number): number {
  return y !== 0 ? y * Math.log(y / mu) : 0;
}

/** Binomial deviance sum(2 w (y log(y/mu) + (1-y) log((1-y)/(1-mu)))). */
function binomialDeviance(y: Float64Array, mu: Float64Array, w: Float64Array): number {
  let dev = 0;
  for (let i = 0; i < y.length; i++) dev += 2 * w[i]! * (yLogY(y[i]!, mu[i]!) + yLogY(1 - y[i]!, 1 - mu[i]!));
  return dev;
}

/** R's round(): halves go to the even neighbour (IEC 60559), unlike Math.round. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : r;
}

/** Result of one weighted least-squares solve by pivoted Householder QR. */
export interface PivotedQr {
  /** Coefficients in the ORIGINAL column order; 0 for aliased columns. */
  coefficients: Float64Array;
  /** pivot[k] = original index of the k-th column after pivoting (aliased ones last). */
  pivot: Int32Array;
  rank: number;
  /** Upper-triangular R (rank x rank, column-major, leading dimension rank), pivoted order. */
  r: Float64Array;
}

/**
 * Least squares of z on the columns of a (n x p, column-major, overwritten) by Householder QR
 * with LINPACK dqrdc2's limited pivoting: columns are taken left to right, and one whose norm
 * below the diagonal has dropped under tol x its original norm is moved to the end. That keeps
 * the earliest of any set of collinear columns, as R does.
 */
export function pivotedLeastSquares(a: Float64Array, n: number, p: number, z: Float64Array, tol: number): PivotedQr {
  const pivot = new Int32Array(p);
  for (let j = 0; j < p; j++) pivot[j] = j;
  const original = new Float64Array(p);
  const current = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[j * n + i]! ** 2;
    current[j] = Math.sqrt(s);
    original[j] = current[j] === 0 ? 1 : current[j]!;
  }
  const qz = Float64Array.from(z);
  let k = p; // columns [k, p) have been moved to the end as negligible
  const lup = Math.min(n, p);
  const tmp = new Float64Array(n);
  for (let l = 0; l < lup; l++) {
    while (l < k && current[l]! < original[l]! * tol) {
      // Rotate column l to the end (dqrdc2 keeps the others in their order).
      tmp.set(a.subarray(l * n, l * n + n));
      a.copyWithin(l * n, (l + 1) * n, p * n);
      a.set(tmp, (p - 1) * n);
      const pv = pivot[l]!, cu = current[l]!, or = original[l]!;
      for (let j = l; j < p - 1; j++) {
        pivot[j] = pivot[j + 1]!;
        current[j] = current[j + 1]!;
        original[j] = original[j + 1]!;
      }
      pivot[p - 1] = pv;
      current[p - 1] = cu;
      original[p - 1] = or;
      k--;
    }
    if (l === n - 1) break;
    const col = l * n;
    let nrm = 0;
    for (let i = l; i < n; i++) nrm += a[col + i]! ** 2;
    nrm = Math.sqrt(nrm);
    if (nrm === 0) continue;
    if (a[col + l] !== 0) nrm = Math.sign(a[col + l]!) * nrm;
    for (let i = l; i < n; i++) a[col + i] = a[col + i]! / nrm;
    a[col + l] = a[col + l]! + 1;
    const apply = (v: Float64Array, off: number): void => {
      let t = 0;
      for (let i = l; i < n; i++) t -= a[col + i]! * v[off + i]!;
      t /= a[col + l]!;
      for (let i = l; i < n; i++) v[off + i] = v[off + i]! + t * a[col + i]!;
    };
    for (let j = l + 1; j < p; j++) {
      apply(a, j * n);
      // Norm of what is left below row l: recomputed directly rather than downdated.
      let s = 0;
      for (let i = l + 1; i < n; i++) s += a[j * n + i]! ** 2;
      current[j] = Math.sqrt(s);
    }
    apply(qz, 0);
    a[col + l] = -nrm;
  }
  const rank = Math.min(k, n);
  const r = new Float64Array(rank * rank);
  for (let j = 0; j < rank; j++) for (let i = 0; i <= j; i++) r[j * rank + i] = a[j * n + i]!;
  // Back-substitution R b = (Q'z)[0:rank].
  const b = new Float64Array(rank);
  for (let i = rank - 1; i >= 0; i--) {
    let s = qz[i]!;
    for (let j = i + 1; j < rank; j++) s -= r[j * rank + i]! * b[j]!;
    b[i] = s / r[i * rank + i]!;
  }
  const coefficients = new Float64Array(p);
  for (let j = 0; j < rank; j++) coefficients[pivot[j]!] = b[j]!;
  return { coefficients, pivot, rank, r };
}


function isInterceptColumn(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 1) return false;
  return true;
}

/**
 * Fits glm(y ~ x - 1, family = binomial, weights) on an explicit model matrix.
 *
 * @example
 *   const fit = logisticRegression(design, y);
 *   fit.coefficients; fit.se; fit.or; fit.warnings
 */
export function logisticRegression(x: DesignMatrix, y: Float64Array, options: LogisticOptions = {}): LogisticFit {
  const n = x.n;
  const p = x.p;
  const maxIter = options.maxIter ?? 25;
  const epsilon = options.epsilon ?? 1e-8;
  if (y.length !== n) throw new InputError(`response has ${y.length} values but the design matrix has ${n} rows`);
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new InputError('the logistic response must be 0 or 1', { row: i + 1, column: 'response', value: String(y[i]) });
  }
  const w = new Float64Array(n);
  if (options.weights) {
    if (options.weights.length !== n) throw new InputError(`weights have ${options.weights.length} values but the data have ${n} rows`);
    for (let i = 0; i < n; i++) {
      const v = options.weights[i]!;
      if (!(v > 0) || !Number.isFinite(v)) throw new InputError('weights must be positive and finite', { row: i + 1, column: 'weights', value: String(v) });
      w[i] = v;
    }
  } else {
    w.fill(1);
  }
  for (let j = 0; j < p; j++) {
    const c = x.columns[j]!;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(c[i]!)) throw new InputError('model matrix values must be finite (drop missing rows first)', { row: i + 1, column: x.names[j], value: String(c[i]) });
    }
  }
  if (n === 0) throw new EstimationError('no observations to fit');

  const warnings: string[] = [];
  // binomial()$initialize: weighted 0/1 responses must give whole numbers of successes.
  for (let i = 0; i < n; i++) {
    const m = w[i]! * y[i]!;
    if (Math.abs(m - roundHalfEven(m)) > 0.001) {
      warnings.push('non-integer #successes in a binomial glm!');
      break;
    }
  }

  const tol = Math.min(1e-7, epsilon / 1000);
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mu[i] = (w[i]! * y[i]! + 0.5) / (w[i]! + 1);
    eta[i] = Math.log(mu[i]! / (1 - mu[i]!));
  }
  let devold = binomialDeviance(y, mu, w);
  let dev = devold;
  let converged = false;
  let iterations = 0;
  let qr: PivotedQr | null = null;
  let coef: Float64Array = new Float64Array(p);
  const a = new Float64Array(n * p);
  const z = new Float64Array(n);
  for (let iter = 1; iter <= maxIter; iter++) {
    iterations = iter;
    for (let i = 0; i < n; i++) {
      const d = logitMuEta(eta[i]!);
      const variance = mu[i]! * (1 - mu[i]!);
      const sw = Math.sqrt((w[i]! * d * d) / variance);
      z[i] = (eta[i]! + (y[i]! - mu[i]!) / d) * sw;
      for (let j = 0; j < p; j++) a[j * n + i] = x.columns[j]![i]! * sw;
    }
    qr = pivotedLeastSquares(a, n, p, z, tol);
    coef = qr.coefficients;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += x.columns[j]![i]! * coef[j]!;
      eta[i] = s;
      mu[i] = logitInverse(s);
    }
    dev = binomialDeviance(y, mu, w);
    if (!Number.isFinite(dev)) throw new EstimationError('logistic regression: deviance is not finite; check the model matrix for extreme values');
    if (Math.abs(dev - devold) / (Math.abs(dev) + 0.1) < epsilon) {
      converged = true;
      break;
    }
    devold = dev;
  }
  if (qr === null) throw new EstimationError('logistic regression: maxIter must be at least 1');
  if (!converged) warnings.push('glm.fit: algorithm did not converge');
  const eps10 = 10 * DBL_EPSILON;
  for (let i = 0; i < n; i++) {
    if (mu[i]! > 1 - eps10 || mu[i]! < eps10) {
      warnings.push('glm.fit: fitted probabilities numerically 0 or 1 occurred');
      break;
    }
  }

  const rank = qr.rank;
  const aliased: boolean[] = new Array<boolean>(p).fill(true);
  for (let k = 0; k < rank; k++) aliased[qr.pivot[k]!] = false;
  const cov = chol2inv(qr.r, rank);
  const coefficients = new Float64Array(p);
  const se = new Float64Array(p);
  const zStat = new Float64Array(p);
  const pValue = new Float64Array(p);
  const or = new Float64Array(p);
  const orLower = new Float64Array(p);
  const orUpper = new Float64Array(p);
  const zCrit = normalQuantile(0.975);
  for (let j = 0; j < p; j++) {
    if (aliased[j]) {
      coefficients[j] = se[j] = zStat[j] = pValue[j] = or[j] = orLower[j] = orUpper[j] = NaN;
    }
  }
  for (let k = 0; k < rank; k++) {
    const j = qr.pivot[k]!;
    const b = coef[j]!;
    const s = Math.sqrt(cov[k * rank + k]!);
    coefficients[j] = b;
    se[j] = s;
    zStat[j] = b / s;
    pValue[j] = 2 * normalCdf(-Math.abs(b / s));
    or[j] = Math.exp(b);
    orLower[j] = Math.exp(b - zCrit * s);
    orUpper[j] = Math.exp(b + zCrit * s);
  }

  // Null model: glm.fit's wtdmu is the weighted mean of y with an intercept, else linkinv(0).
  const hasIntercept = x.columns.some(isInterceptColumn);
  let sw = 0, swy = 0;
  for (let i = 0; i < n; i++) {
    sw += w[i]!;
    swy += w[i]! * y[i]!;
  }
  const nullMu = new Float64Array(n).fill(hasIntercept ? swy / sw : 0.5);
  const nullDeviance = binomialDeviance(y, nullMu, w);
  const dfNull = n - (hasIntercept ? 1 : 0);
  const dfResidual = n - rank;

  // binomial()$aic with m = prior weight: -2 sum dbinom(round(m y), round(m), mu, log = TRUE).
  let loglik = 0;
  for (let i = 0; i < n; i++) {
    const size = roundHalfEven(w[i]!);
    const successes = roundHalfEven(w[i]! * y[i]!);
    if (successes > 0) loglik += successes * Math.log(mu[i]!);
    if (size - successes > 0) loglik += (size - successes) * Math.log1p(-mu[i]!);
  }
  const aic = -2 * loglik + 2 * rank;
  const lrStatistic = nullDeviance - dev;
  const lrDf = dfNull - dfResidual;

  return {
    names: x.names.slice(),
    coefficients,
    se,
    z: zStat,
    p: pValue,
    or,
    orLower,
    orUpper,
    aliased,
    deviance: dev,
    nullDeviance,
    dfResidual,
    dfNull,
    rank,
    aic,
    lrTest: { statistic: lrStatistic, df: lrDf, p: lrDf > 0 ? chiSquareSurvival(Math.max(lrStatistic, 0), lrDf) : NaN },
    iterations,
    converged,
    fitted: mu,
    linearPredictor: eta,
    warnings,
  };
}

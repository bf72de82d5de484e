/**
 * The Cox proportional-hazards model, matching R's coxph() in survival 3.5.
 *
 * Inputs: a DesignMatrix (no intercept; R's model.matrix without the strata term), a
 *   SurvivalData outcome (right-censored, or counting-process (start, stop]) and CoxOptions:
 *   ties (Efron default, or Breslow), strata, case weights, cluster / robust, starting values
 *   and R's coxph.control settings.
 * Outputs: `CoxFit`: coefficients (NaN where R reports NA for a collinear column), model-based
 *   and robust variances, log-likelihoods, likelihood-ratio / Wald / score / robust score
 *   tests, concordance with its standard error, R's iteration count, convergence and R's
 *   warning texts, centred linear predictors and the centring means.
 * Method: sort once (cox-data.ts), Newton-Raphson with R's step halving and convergence rule
 *   (cox-newton.ts) over O(n p^2) risk-set sweeps (cox-riskset.ts). The robust variance is
 *   R's: D'D with D the case-weighted dfbeta residuals (score residuals times the model
 *   variance) summed within clusters (or per row); the Wald test then uses it, and the robust
 *   score test uses score residuals at the initial beta. Concordance: concordance.ts on the
 *   linear predictor with reverse = TRUE.
 * Reference: Therneau & Grambsch (2000), Modeling Survival Data; R survival 3.5 coxph(),
 *   coxph.fit(), agreg.fit(), coxph.wtest(), summary.coxph().
 */
import { concordance as concordanceFit } from './concordance.js';
import { prepareCoxData, validateCoxInput, type CoxData } from './cox-data.js';
import { newtonRaphson } from './cox-newton.js';
import { scoreResidualsFromData } from './cox-score.js';
import { chiSquareSurvival, normalQuantile } from './distributions.js';
import { InputError, SpecificationError } from '../core/errors.js';
import { timefix } from './timefix.js';
import { waldQuadratic } from './linear-algebra.js';
import type { DesignMatrix } from './types.js';
import type { SurvivalData } from '../core/types.js';

export type CoxTies = 'efron' | 'breslow';

export interface CoxOptions {
  ties?: CoxTies;
  /** 0-based stratum code per row. */
  strata?: Int32Array | null;
  /** Case weights (> 0). */
  weights?: Float64Array | null;
  /** Cluster code per row (0-based); implies robust unless robust is false (then R warns and ignores it). */
  cluster?: Int32Array | null;
  /**
   * Sandwich variance (clustered on rows if no cluster). Default as R: on when a cluster is
   * given or any case weight is not a whole number (e.g. inverse-probability weights).
   */
  robust?: boolean;
  /** Starting values (default 0). */
  init?: Float64Array;
  /** R: iter.max = 20. */
  maxIter?: number;
  /** R: eps = 1e-9. */
  eps?: number;
  /** R: toler.chol = .Machine$double.eps^0.75. */
  tolerChol?: number;
  /** R: toler.inf = sqrt(eps) (the "coefficient may be infinite" warning). */
  tolerInf?: number;
  /** R: timefix = TRUE: times equal up to floating-point noise are made equal (aeqSurv). */
  timefix?: boolean;
}

export interface CoxTest {
  statistic: number;
  df: number;
  p: number;
}

export interface CoxFit {
  n: number;
  nevent: number;
  names: string[];
  coefficients: Float64Array;
  variance: Float64Array;
  naiveVariance: Float64Array | null;
  robustVariance: Float64Array | null;
  se: Float64Array;
  robustSe: Float64Array | null;
  loglik: [number, number];
  tests: { likelihoodRatio: CoxTest; wald: CoxTest; score: CoxTest; robustScore: CoxTest | null };
  concordance: { c: number; se: number; concordant: number; discordant: number; tiedRisk: number; tiedTime: number; tiedBoth: number };
  iterations: number;
  converged: boolean;
  warnings: string[];
  linearPredictors: Float64Array;
  means: Float64Array;
  /** Ties method used. */
  ties: CoxTies;
  /** Whether the reported `variance` is the robust one. */
  robust: boolean;
}

const DOUBLE_EPS = 2.220446049250313e-16;

function makeTest(statistic: number, df: number): CoxTest {
  return { statistic, df, p: df > 0 ? chiSquareSurvival(statistic, df) : NaN };
}

/** Sums the rows of an n*p matrix (row-major) by cluster code (or keeps rows), returns ncl*p. */
function collapse(m: Float64Array, n: number, p: number, cluster: Int32Array | null): { t: Float64Array; rows: number } {
  if (!cluster) return { t: m, rows: n };
  let ncl = 0;
  for (let i = 0; i < n; i++) if (cluster[i]! + 1 > ncl) ncl = cluster[i]! + 1;
  const t = new Float64Array(ncl * p);
  for (let i = 0; i < n; i++) {
    const c = cluster[i]! * p;
    for (let j = 0; j < p; j++) t[c + j]! += m[i * p + j]!;
  }
  return { t, rows: ncl };
}

/** T'T for a rows*p row-major matrix. */
function crossprod(t: Float64Array, rows: number, p: number): Float64Array {
  const out = new Float64Array(p * p);
  for (let r = 0; r < rows; r++) {
    const b = r * p;
    for (let i = 0; i < p; i++) {
      const ti = t[b + i]!;
      if (ti === 0) continue;
      for (let j = 0; j <= i; j++) out[i * p + j]! += ti * t[b + j]!;
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) out[j * p + i] = out[i * p + j]!;
  return out;
}

/** Case-weighted score residuals at beta (data scale), n*p, R's residuals(type="score", weighted=TRUE). */
function weightedScoreResiduals(d: CoxData, beta: Float64Array, efron: boolean, weights: Float64Array | null): Float64Array {
  const bs = new Float64Array(d.p);
  for (let j = 0; j < d.p; j++) bs[j] = beta[j]! / d.scale[j]!;
  const r = scoreResidualsFromData(d, bs, efron);
  if (weights) for (let i = 0; i < d.n; i++) for (let j = 0; j < d.p; j++) r[i * d.p + j]! *= weights[i]!;
  return r;
}

/** Fits R's coxph(Surv(...) ~ x, ties, strata, weights, cluster, robust). */
export function coxph(x: DesignMatrix, yIn: SurvivalData, options: CoxOptions = {}): CoxFit {
  const p = x.p;
  if (p === 0) throw new SpecificationError('a Cox model needs at least one covariate');
  validateCoxInput(x, yIn, options);
  let y = yIn;
  if (options.timefix ?? true) {
    // R's coxph applies aeqSurv to the outcome before anything else
    const fixed = timefix(yIn.stop, yIn.start);
    if (fixed.changed) {
      y = { n: yIn.n, start: fixed.start, stop: fixed.stop, event: yIn.event };
      if (y.start) {
        for (let i = 0; i < y.n; i++) {
          if (!(y.stop[i]! > y.start[i]!)) throw new InputError('interval has effectively zero length after rounding tied times (R: aeqSurv exception)', { row: i + 1, column: 'stop', value: String(yIn.stop[i]) });
        }
      }
    }
  }
  const n = y.n;
  const ties = options.ties ?? 'efron';
  if (ties !== 'efron' && ties !== 'breslow') throw new SpecificationError(`unknown ties method "${String(ties)}" (use efron or breslow)`, { field: 'ties' });
  const efron = ties === 'efron';
  const eps = options.eps ?? 1e-9;
  const maxIter = options.maxIter ?? 20;
  const tolerChol = options.tolerChol ?? Math.pow(DOUBLE_EPS, 0.75);
  const tolerInf = options.tolerInf ?? Math.sqrt(eps);
  if (!(eps > 0)) throw new SpecificationError('eps must be > 0', { field: 'eps' });
  if (!(maxIter >= 0) || !Number.isInteger(maxIter)) throw new SpecificationError('maxIter must be a whole number >= 0', { field: 'maxIter' });
  const init = options.init ?? new Float64Array(p);
  if (init.length !== p) throw new SpecificationError(`init has ${init.length} values for ${p} coefficients`, { field: 'init' });
  const cluster = options.cluster ?? null;
  if (cluster) {
    if (cluster.length !== n) throw new InputError(`cluster has length ${cluster.length}, expected ${n}`, { column: 'cluster' });
    for (let i = 0; i < n; i++) if (cluster[i]! < 0) throw new InputError('cluster codes must be >= 0', { row: i + 1, column: 'cluster', value: String(cluster[i]) });
  }
  const weights = options.weights ?? null;
  let fractionalWeights = false;
  if (weights) for (let i = 0; i < n && !fractionalWeights; i++) if (weights[i] !== Math.floor(weights[i]!)) fractionalWeights = true;
  const robust = options.robust ?? (cluster !== null || fractionalWeights);
  const earlyWarnings: string[] = [];
  // The sandwich uses the cluster only when robust; the concordance's variance uses it
  // regardless, as R's coxph does.
  const varianceCluster = robust ? cluster : null;
  if (cluster && !robust) earlyWarnings.push('cluster specified with robust=FALSE, cluster ignored');

  const d = prepareCoxData(x, y, options);
  const nr = newtonRaphson(d, init, efron, { maxIter, eps, tolerChol });
  const beta = nr.beta;
  const naive = nr.variance;

  // R: which.sing <- diag(var) == 0 when the rank flag is below p
  const singular = new Uint8Array(p);
  if (nr.rankFlag < p) for (let j = 0; j < p; j++) if (naive[j * p + j] === 0) singular[j] = 1;

  const lp = new Float64Array(n);
  let offsetMean = 0;
  for (let j = 0; j < p; j++) offsetMean += beta[j]! * d.means[j]!;
  let maxLp = -Infinity;
  for (let i = 0; i < n; i++) {
    let z = 0;
    for (let j = 0; j < p; j++) z += x.columns[j]![i]! * beta[j]!;
    lp[i] = z - offsetMean;
    if (lp[i]! > maxLp) maxLp = lp[i]!;
  }

  const warnings: string[] = earlyWarnings;
  if (maxIter > 1) {
    const infs = new Float64Array(p);
    let anyNonFinite = false;
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < p; k++) s += nr.u[k]! * naive[k * p + j]!;
      infs[j] = Math.abs(s);
      if (!Number.isFinite(infs[j]!)) anyNonFinite = true;
    }
    if (!nr.converged) {
      warnings.push('Ran out of iterations and did not converge');
      if (!d.counting && (maxLp > 500 || anyNonFinite)) warnings.push('one or more coefficients may be infinite');
    } else {
      const flagged: number[] = [];
      for (let j = 0; j < p; j++) {
        const bad = d.counting
          ? !Number.isFinite(nr.u[j]!) || infs[j]! > tolerInf * (1 + Math.abs(beta[j]!))
          : !Number.isFinite(nr.u[j]!) || (infs[j]! > eps && infs[j]! > tolerInf * Math.abs(beta[j]!));
        if (bad) flagged.push(j + 1);
      }
      if (flagged.length > 0) {
        const what = d.counting ? 'beta may be infinite' : 'coefficient may be infinite';
        warnings.push(`Loglik converged before variable  ${flagged.join(',')} ; ${what}. `);
      }
    }
  }

  const coefficients = Float64Array.from(beta);
  if (maxIter > 0) for (let j = 0; j < p; j++) if (singular[j]) coefficients[j] = NaN;
  const naiveVar = Float64Array.from(naive);
  for (let j = 0; j < p; j++) {
    if (!singular[j]) continue;
    for (let k = 0; k < p; k++) {
      naiveVar[j * p + k] = NaN;
      naiveVar[k * p + j] = NaN;
    }
  }

  let robustVar: Float64Array | null = null;
  let robustScore: CoxTest | null = null;
  const kept: number[] = [];
  for (let j = 0; j < p; j++) if (!Number.isNaN(coefficients[j]!)) kept.push(j);
  const df = kept.length;
  if (robust && df > 0) {
    // dfbeta = weighted score residuals %*% naive variance (zeros for dropped columns)
    const r = weightedScoreResiduals(d, beta, efron, weights);
    const dfb = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let k = 0; k < p; k++) s += r[i * p + k]! * naive[k * p + j]!;
        dfb[i * p + j] = s;
      }
    }
    const c = collapse(dfb, n, p, varianceCluster);
    robustVar = crossprod(c.t, c.rows, p);
    // robust score test at the initial values (R: beta = 0 unless init given with a cluster)
    const b0 = varianceCluster && options.init ? init : new Float64Array(p);
    const r0 = weightedScoreResiduals(d, b0, efron, weights);
    const c0 = collapse(r0, n, p, varianceCluster);
    const u0 = new Float64Array(p);
    for (let i = 0; i < c0.rows; i++) for (let j = 0; j < p; j++) u0[j]! += c0.t[i * p + j]!;
    robustScore = makeTest(waldQuadratic(crossprod(c0.t, c0.rows, p), u0, tolerChol).statistic, df);
    for (let j = 0; j < p; j++) {
      if (!singular[j]) continue;
      for (let k = 0; k < p; k++) {
        robustVar[j * p + k] = NaN;
        robustVar[k * p + j] = NaN;
      }
    }
  }
  const variance = robustVar ?? naiveVar;

  // Wald test on the non-NA coefficients, with the variance R reports (robust if robust)
  const vk = new Float64Array(df * df);
  const bk = new Float64Array(df);
  kept.forEach((j, a) => {
    bk[a] = coefficients[j]! - init[j]!;
    kept.forEach((k, b) => (vk[a * df + b] = variance[j * p + k]!));
  });
  const wald = makeTest(waldQuadratic(vk, bk, tolerChol).statistic, df);

  const se = new Float64Array(p);
  for (let j = 0; j < p; j++) se[j] = Math.sqrt(naiveVar[j * p + j]!);
  let robustSe: Float64Array | null = null;
  if (robustVar) {
    robustSe = new Float64Array(p);
    for (let j = 0; j < p; j++) robustSe[j] = Math.sqrt(robustVar[j * p + j]!);
  }

  const conc = concordanceFit(y, lp, { strata: options.strata ?? null, weights, cluster, reverse: true });

  return {
    n,
    nevent: d.nevent,
    names: x.names.slice(),
    coefficients,
    variance,
    naiveVariance: robustVar ? naiveVar : null,
    robustVariance: robustVar,
    se,
    robustSe,
    loglik: nr.loglik,
    tests: {
      likelihoodRatio: makeTest(2 * (nr.loglik[1] - nr.loglik[0]), df),
      wald,
      score: makeTest(nr.scoreTest, df),
      robustScore,
    },
    concordance: {
      c: conc.concordance,
      se: Math.sqrt(conc.variance),
      concordant: conc.concordant,
      discordant: conc.discordant,
      tiedRisk: conc.tiedRisk,
      tiedTime: conc.tiedTime,
      tiedBoth: conc.tiedBoth,
    },
    iterations: nr.iterations,
    converged: nr.converged,
    warnings,
    linearPredictors: lp,
    means: d.means,
    ties,
    robust: robustVar !== null,
  };
}

export interface CoxSummaryRow {
  term: string;
  coef: number;
  se: number;
  robustSe: number | null;
  z: number;
  p: number;
  hr: number;
  hrLower: number;
  hrUpper: number;
}

/** R's summary(coxph) coefficient and conf.int tables; z and CI use the robust SE when robust. */
export function coxSummaryRows(fit: CoxFit, confLevel = 0.95): CoxSummaryRow[] {
  const q = normalQuantile((1 + confLevel) / 2);
  return fit.names.map((term, j) => {
    const coef = fit.coefficients[j]!;
    const se = fit.se[j]!;
    const rse = fit.robustSe ? fit.robustSe[j]! : null;
    const useSe = rse ?? se;
    const z = coef / useSe;
    return {
      term,
      coef,
      se,
      robustSe: rse,
      z,
      p: chiSquareSurvival(z * z, 1),
      hr: Math.exp(coef),
      hrLower: Math.exp(coef - q * useSe),
      hrUpper: Math.exp(coef + q * useSe),
    };
  });
}

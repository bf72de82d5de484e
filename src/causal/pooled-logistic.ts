/**
 * Pooled logistic regression for a discrete-time hazard, fitted from per-patient sums instead
 * of the person-period rows.
 *
 * Inputs: per patient i (0..n-1) the number of at-risk intervals `intervals[i]` (>= 1; interval
 *   k = 0 .. intervals[i]-1 starts at t_k = k dt), `event[i]` (1 = the outcome happens in the
 *   patient's last interval, 0 = no outcome), baseline covariates Z (p columns of length n), a
 *   frequency weight `count[i]` >= 0 (a bootstrap multiplicity; 0 drops the patient), dt, and
 *   optionally start coefficients (a warm start, in the output parametrisation).
 * Model: logit h_ik = b0 + b1 t_k + b2 t_k^2 + Z_i'g, the person-period model of
 *   glm(y ~ t + I(t^2) + Z, binomial, weights = count) on the expanded rows.
 * Outputs: coefficients [b0, b1, b2, g...] (NaN where aliased, as R's NA), deviance,
 *   iterations, converged.
 * Method: IRLS, which for the canonical logit link is Newton–Raphson, with glm.fit's start
 *   (mu = (y + 1/2) / 2), its convergence rule |dev - dev_old| / (|dev| + 0.1) < epsilon and
 *   its limit of 25 iterations, and R's clamping of eta at +-30. Why not logisticRegression on
 *   the expanded rows: the person-period design row is (1, t_k, t_k^2, Z_i), so every block of
 *   X'WX and X'Wz reduces to per-patient sums over intervals: the Z–Z block needs only
 *   sum_k w_ik per patient. One iteration costs O(rows + n p^2) instead of the QR's
 *   O(rows p^2) — about 100 times less at the study's size (50,000 rows, p = 23). Frequency
 *   weights give the same likelihood as duplicated patients, so a bootstrap replicate needs no
 *   resampled copy of the data.
 *   Stability: the normal equations square the condition number, so they are formed in a
 *   centred and scaled basis (t / t_max and Z minus its mean, which leaves the fitted hazards
 *   unchanged) and solved by a Cholesky factorisation whose limited pivoting mirrors LINPACK
 *   dqrdc2 as glm uses it: a column whose remaining squared norm falls below 1e-14 of its own
 *   (a norm ratio of 1e-7) is aliased and gets coefficient 0 while iterating. The coefficients
 *   are mapped back to the raw parametrisation at the end.
 * Reference: R's stats::glm.fit; D'Agostino et al. (1990), Stat Med 9:1501 (pooled logistic).
 */
import type { DesignMatrix } from '../stats/types.js';
import { choleskySolveAliased } from '../stats/linear-algebra.js';

export interface PooledLogisticInput {
  intervals: Int32Array;
  event: Uint8Array;
  covariates: DesignMatrix;
  intervalLength: number;
  count?: Float64Array | null;
  start?: Float64Array | null;
  maxIter?: number;
  epsilon?: number;
}

export interface PooledLogisticFit {
  names: string[];
  /** [intercept, interval_start, interval_start^2, covariates...]; NaN = aliased. */
  coefficients: Float64Array;
  deviance: number;
  iterations: number;
  converged: boolean;
}

const THRESH = 30;
const DBL_EPSILON = 2.220446049250313e-16;
const INVEPS = 1 / DBL_EPSILON;
const ALIAS_TOL2 = 1e-14;

/** Fits the pooled logistic model; see the module header. */
export function pooledLogistic(input: PooledLogisticInput): PooledLogisticFit {
  const { intervals, event, intervalLength: dt } = input;
  const z = input.covariates;
  const n = intervals.length;
  const p = z.p;
  const q = 3 + p;
  const count = input.count ?? new Float64Array(n).fill(1);
  const maxIter = input.maxIter ?? 25;
  const epsilon = input.epsilon ?? 1e-8;
  let maxK = 0;
  for (let i = 0; i < n; i++) if (count[i] > 0 && intervals[i] > maxK) maxK = intervals[i];
  const scale = maxK > 1 ? (maxK - 1) * dt : 1;
  const tau = Float64Array.from({ length: Math.max(maxK, 1) }, (_, k) => (k * dt) / scale);
  // Centred covariates, patient-major so the Z–Z accumulation reads one contiguous row.
  const means = new Float64Array(p);
  let cTotal = 0;
  for (let i = 0; i < n; i++) cTotal += count[i];
  for (let j = 0; j < p; j++) {
    const col = z.columns[j];
    let s = 0;
    for (let i = 0; i < n; i++) s += count[i] * col[i];
    means[j] = cTotal > 0 ? s / cTotal : 0;
  }
  const zc = new Float64Array(n * p);
  for (let j = 0; j < p; j++) { const col = z.columns[j]; for (let i = 0; i < n; i++) zc[i * p + j] = col[i] - means[j]; }

  // Current coefficients in the centred/scaled basis; null = glm's mustart for the first step.
  let beta: Float64Array | null = null;
  if (input.start) {
    const s = input.start;
    beta = new Float64Array(q);
    beta[1] = fin(s[1]) * scale; beta[2] = fin(s[2]) * scale * scale;
    let b0 = fin(s[0]);
    for (let j = 0; j < p; j++) { beta[3 + j] = fin(s[3 + j]); b0 += beta[3 + j] * means[j]; }
    beta[0] = b0;
  }
  const aliased = new Uint8Array(q);
  const A = new Float64Array(q * q);
  const rhs = new Float64Array(q);
  const lpz = new Float64Array(n);
  // glm.fit's dev_old for mustart: every row has mu = 3/4 on its own outcome.
  const expTime = new Float64Array(tau.length);
  // One pass over the person-periods at coefficients `bt` (null: glm's mustart) fills X'WX and
  // X'Wz for the next step and returns the deviance at `bt`, so each iteration reads the rows once.
  // exp(eta_ik) = exp(Z_i'g) exp(b1 t_k + b2 t_k^2): two tables of exponentials, a product per row.
  const accumulate = (bt: Float64Array | null): number => {
    A.fill(0); rhs.fill(0);
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, r0 = 0, r1 = 0, r2 = 0;
    let dev = 0;
    if (bt) {
      fillLpz(bt);
      for (let k = 0; k < tau.length; k++) expTime[k] = Math.exp(bt[1] * tau[k] + bt[2] * tau[k] * tau[k]);
    }
    for (let i = 0; i < n; i++) {
      const c = count[i];
      if (!(c > 0)) continue;
      const last = intervals[i] - 1;
      const eLp = bt ? Math.exp(lpz[i]) : 0;
      let pw = 0, pwt = 0, pwt2 = 0, pwz = 0, pdev = 0;
      // The patient's log-likelihood as a running product of probabilities (one log per
      // patient, not per row), renormalised before it could underflow.
      let prob = 1;
      for (let k = 0; k <= last; k++) {
        const y = k === last ? event[i] : 0;
        const t = tau[k];
        let eta: number;
        let mu: number;
        let w: number;
        if (bt) {
          eta = lpz[i] + bt[1] * t + bt[2] * t * t;
          if (eta > -THRESH && eta < THRESH) {
            const e = eLp * expTime[k];
            mu = e / (1 + e);
            w = mu * (1 - mu);
          } else {
            // R's clamped logit_linkinv and logit_mu_eta.
            const e = eta < -THRESH ? DBL_EPSILON : INVEPS;
            mu = e / (1 + e);
            w = (DBL_EPSILON * DBL_EPSILON) / (mu * (1 - mu));
          }
          prob *= y ? mu : 1 - mu;
          if (prob < 1e-250) { pdev += Math.log(prob); prob = 1; }
        } else {
          mu = (y + 0.5) / 2;
          eta = Math.log(mu / (1 - mu));
          w = mu * (1 - mu);
        }
        // Working response eta + (y - mu) / mu'; the IRLS weight mu'^2 / V(mu) = mu'(eta) here.
        const me = bt && (eta <= -THRESH || eta >= THRESH) ? DBL_EPSILON : w;
        const zw = eta + (y - mu) / me;
        pw += w; pwt += w * t; pwt2 += w * t * t; pwz += w * zw;
        const wt3 = w * t * t * t;
        s3 += c * wt3; s4 += c * wt3 * t;
        r1 += c * w * t * zw; r2 += c * w * t * t * zw;
      }
      if (bt) pdev += Math.log(prob);
      dev -= 2 * c * pdev;
      const sw = c * pw;
      const swt = c * pwt;
      const swt2 = c * pwt2;
      const swz = c * pwz;
      s0 += sw; s1 += swt; s2 += swt2; r0 += swz;
      const off = i * p;
      for (let j = 0; j < p; j++) {
        const zj = zc[off + j];
        A[3 + j] += sw * zj;
        A[q + 3 + j] += swt * zj;
        A[2 * q + 3 + j] += swt2 * zj;
        rhs[3 + j] += swz * zj;
        const szj = sw * zj;
        const row = (3 + j) * q + 3;
        for (let l = j; l < p; l++) A[row + l] += szj * zc[off + l];
      }
    }
    A[0] = s0; A[1] = s1; A[2] = s2; A[q + 1] = s2; A[q + 2] = s3; A[2 * q + 2] = s4;
    rhs[0] = r0; rhs[1] = r1; rhs[2] = r2;
    for (let a = 0; a < q; a++) for (let b = a + 1; b < q; b++) A[b * q + a] = A[a * q + b];
    return dev;
  };
  let devOld = accumulate(beta);
  if (!beta) devOld = mustartDeviance();
  let converged = false;
  let iterations = 0;
  for (let iter = 1; iter <= maxIter; iter++) {
    iterations = iter;
    beta = choleskySolveAliased(A, rhs, q, aliased, ALIAS_TOL2);
    const dev = accumulate(beta);
    if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < epsilon) { converged = true; devOld = dev; break; }
    devOld = dev;
  }
  const b = beta!;
  const out = new Float64Array(q);
  out[1] = b[1] / scale; out[2] = b[2] / (scale * scale);
  let b0 = b[0];
  for (let j = 0; j < p; j++) { out[3 + j] = b[3 + j]; b0 -= b[3 + j] * means[j]; }
  out[0] = b0;
  for (let j = 0; j < q; j++) if (aliased[j]) out[j] = NaN;
  return { names: ['(Intercept)', 'interval_start', 'interval_start^2', ...z.names], coefficients: out, deviance: devOld, iterations, converged };

  function fillLpz(bt: Float64Array): void {
    for (let i = 0; i < n; i++) {
      let s = bt[0];
      const off = i * p;
      for (let j = 0; j < p; j++) s += bt[3 + j] * zc[off + j];
      lpz[i] = s;
    }
  }
  function mustartDeviance(): number {
    let rows = 0;
    for (let i = 0; i < n; i++) if (count[i] > 0) rows += count[i] * intervals[i];
    return -2 * Math.log(0.75) * rows;
  }
}

function fin(x: number): number {
  return Number.isFinite(x) ? x : 0;
}


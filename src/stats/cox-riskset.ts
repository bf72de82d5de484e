/**
 * One sweep of the Cox partial likelihood over the sorted data: log-likelihood, score vector
 * and information matrix at a given beta (Breslow or Efron ties).
 *
 * Inputs: `CoxData` from prepareCoxData (rows in stratum order, stop time descending, covariates
 *   centred and scaled), beta on that scale, ties method, and a reusable `RiskSetWork`.
 * Outputs: the log partial likelihood (returned); `work.u` the score vector; `work.imat` the
 *   information matrix, UPPER triangle only (row <= column), as survival's C code leaves it for
 *   cholesky2.
 * Method: R's coxfit6.c / agfit4.c accumulation, in one backward-in-time pass, O(n p^2):
 *   running sums over the risk set of w*exp(eta), w*exp(eta)*x and w*exp(eta)*x x' are updated
 *   as rows enter (stop time reached) and, for counting-process data, leave (start time
 *   reached, walking R's sort.start order). The rows that die at a time are accumulated
 *   separately; Efron's correction then adds 1/d of the deaths' sums at each of the d steps,
 *   so the k-th death sees the risk set with (d-k)/d of the tied deaths' weight removed.
 *   If the mean linear predictor in the risk set drifts by more than 200 from the current
 *   centring value, sums are rescaled (agfit4.c) so exp() never overflows.
 * Reference: Therneau & Grambsch (2000) ch. 3; survival src/coxfit6.c, src/agfit4.c.
 */
import type { CoxData } from './cox-data.js';

export interface RiskSetWork {
  u: Float64Array;
  imat: Float64Array;
  eta: Float64Array;
  a: Float64Array;
  a2: Float64Array;
  /** Lower triangles (j <= i) of the risk-set sums of w exp(eta) x x', packed row by row: entry (i, j) at i (i + 1) / 2 + j. */
  cmat: Float64Array;
  cmat2: Float64Array;
}

/** Scratch arrays for riskSetPass, allocated once per fit and reused by every Newton iteration. */
export function newRiskSetWork(d: CoxData): RiskSetWork {
  const p = d.p;
  const tri = (p * (p + 1)) / 2;
  return {
    u: new Float64Array(p),
    imat: new Float64Array(p * p),
    eta: new Float64Array(d.nused),
    a: new Float64Array(p),
    a2: new Float64Array(p),
    cmat: new Float64Array(tri),
    cmat2: new Float64Array(tri),
  };
}

/**
 * Linear predictor eta = x beta at the sorted positions (scaled covariates and beta), into `eta`
 * (length nused). Shared by the likelihood sweep and the residual sums so both see the same eta.
 */
export function linearPredictor(d: CoxData, beta: ArrayLike<number>, eta: Float64Array = new Float64Array(d.nused)): Float64Array {
  const { p, x, nused } = d;
  for (let k = 0; k < nused; k++) {
    let z = 0;
    const base = k * p;
    for (let j = 0; j < p; j++) z += beta[j]! * x[base + j]!;
    eta[k] = z;
  }
  return eta;
}

/** Log partial likelihood at `beta` (scaled covariates); fills work.u and work.imat (upper). */
export function riskSetPass(d: CoxData, beta: Float64Array, efron: boolean, work: RiskSetWork): number {
  const { p, x, stop, event, weight, stratumStart, start, startOrder } = d;
  const { u, imat, eta, a, a2, cmat, cmat2 } = work;
  const tri = cmat.length;
  linearPredictor(d, beta, eta);
  u.fill(0);
  imat.fill(0);
  let loglik = 0;
  let recenter = 0;
  const nstrata = stratumStart.length - 1;
  for (let s = 0; s < nstrata; s++) {
    const lo = stratumStart[s]!;
    const hi = stratumStart[s + 1]!;
    let denom = 0;
    let nrisk = 0;
    let etasum = 0;
    a.fill(0);
    cmat.fill(0);
    let person = lo;
    let startPtr = lo;
    while (person < hi) {
      const dtime = stop[person]!;
      let deaths = 0;
      let denom2 = 0;
      let meanwt = 0;
      a2.fill(0);
      cmat2.fill(0);
      // add every row whose stop time is dtime (they are contiguous)
      for (; person < hi && stop[person] === dtime; person++) {
        nrisk++;
        etasum += eta[person]!;
        if (Math.abs(etasum / nrisk - recenter) > 200) {
          const shift = etasum / nrisk - recenter;
          recenter = etasum / nrisk;
          if (denom > 0) {
            const f = Math.exp(-shift);
            denom *= f;
            for (let i = 0; i < p; i++) a[i]! *= f;
            for (let i = 0; i < tri; i++) cmat[i]! *= f;
          }
          if (denom2 > 0) {
            const f = Math.exp(-shift);
            denom2 *= f;
            for (let i = 0; i < p; i++) a2[i]! *= f;
            for (let i = 0; i < tri; i++) cmat2[i]! *= f;
            loglik -= meanwt * shift;
          }
        }
        const w = weight[person]!;
        const e = eta[person]! - recenter;
        const risk = Math.exp(e) * w;
        const base = person * p;
        if (event[person] === 1) {
          deaths++;
          denom2 += risk;
          meanwt += w;
          loglik += w * e;
          for (let i = 0; i < p; i++) {
            const xi = x[base + i]!;
            u[i]! += w * xi;
            const rxi = risk * xi;
            a2[i]! += rxi;
            const row = (i * (i + 1)) >> 1;
            for (let j = 0; j <= i; j++) cmat2[row + j]! += rxi * x[base + j]!;
          }
        } else {
          denom += risk;
          for (let i = 0; i < p; i++) {
            const rxi = risk * x[base + i]!;
            a[i]! += rxi;
            const row = (i * (i + 1)) >> 1;
            for (let j = 0; j <= i; j++) cmat[row + j]! += rxi * x[base + j]!;
          }
        }
      }
      if (deaths === 0) continue;
      if (startOrder && start) {
        // drop rows whose entry time is at or after this event time: not at risk at dtime
        for (; startPtr < hi; startPtr++) {
          const q = startOrder[startPtr]!;
          if (start[q]! < dtime) break;
          nrisk--;
          etasum -= eta[q]!;
          if (nrisk === 0) {
            etasum = 0;
            denom = 0;
            a.fill(0);
            cmat.fill(0);
          } else {
            const risk = Math.exp(eta[q]! - recenter) * weight[q]!;
            denom -= risk;
            const base = q * p;
            for (let i = 0, t = 0; i < p; i++) {
              const rxi = risk * x[base + i]!;
              a[i]! -= rxi;
              for (let j = 0; j <= i; j++, t++) cmat[t]! -= rxi * x[base + j]!;
            }
          }
        }
      }
      if (!efron || deaths === 1) {
        denom += denom2;
        loglik -= meanwt * Math.log(denom);
        for (let i = 0, t = 0; i < p; i++) {
          a[i]! += a2[i]!;
          const mean = a[i]! / denom;
          u[i]! -= meanwt * mean;
          for (let j = 0; j <= i; j++, t++) {
            cmat[t]! += cmat2[t]!;
            imat[j * p + i]! += (meanwt * (cmat[t]! - mean * a[j]!)) / denom;
          }
        }
      } else {
        // Efron: the k-th of d tied deaths (f = k/d, k = 1..d) sees denom + f*denom2,
        // a + f*a2 and cmat + f*cmat2. Summing over k in closed form needs only five scalar
        // sums, so a time with d deaths costs O(d + p^2) instead of R's O(d p^2).
        const wtave = meanwt / deaths;
        let s0 = 0;
        let s1 = 0;
        let t0 = 0;
        let t1 = 0;
        let t2 = 0;
        for (let k = 1; k <= deaths; k++) {
          const f = k / deaths;
          const dk = denom + f * denom2;
          loglik -= wtave * Math.log(dk);
          const inv = 1 / dk;
          const inv2 = inv * inv;
          s0 += inv;
          s1 += f * inv;
          t0 += inv2;
          t1 += f * inv2;
          t2 += f * f * inv2;
        }
        for (let i = 0, t = 0; i < p; i++) {
          const ai = a[i]!;
          const a2i = a2[i]!;
          u[i]! -= wtave * (ai * s0 + a2i * s1);
          for (let j = 0; j <= i; j++, t++) {
            const aj = a[j]!;
            const a2j = a2[j]!;
            const second = cmat[t]! * s0 + cmat2[t]! * s1;
            const outer = ai * aj * t0 + (ai * a2j + a2i * aj) * t1 + a2i * a2j * t2;
            imat[j * p + i]! += wtave * (second - outer);
          }
        }
        denom += denom2;
        for (let i = 0; i < p; i++) a[i]! += a2[i]!;
        for (let t = 0; t < tri; t++) cmat[t]! += cmat2[t]!;
      }
    }
  }
  return loglik;
}

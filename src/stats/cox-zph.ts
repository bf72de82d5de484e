/**
 * Test of the proportional-hazards assumption of a Cox model: R `survival::cox.zph`
 * (survival >= 3.0, the score test of Grambsch & Therneau 1994, Biometrika 81:515).
 *
 * Inputs:
 *  - fit: the fitted coefficients beta (only these are used, so the test is exactly R's for
 *    the same beta);
 *  - x: the model matrix the fit used (columns, names, assign/termLabels for grouping);
 *  - y: the outcome, right-censored or counting-process `(start, stop]`;
 *  - options: transform of time ('km' default, 'identity', 'rank', 'log'), strata codes,
 *    case weights, ties ('efron' default, as coxph), terms (true: one test per model term,
 *    factor columns tested jointly, R's default).
 * Outputs: per-term and GLOBAL chi-square, df and p; and for plotting, the event times, the
 *   transformed event times and the scaled Schoenfeld residuals (R's `x`, `time`, `y`), in
 *   R's row order (by stratum, then time).
 *
 * Method (R's C routines zph1/zph2): one pass over the risk sets at beta computes, for the
 * model extended by x * g(t) with g the centred transformed time, the score vector at the
 * extension's null point (its first p elements are ~0 at the MLE and are set to 0, as R does)
 * and the full 2p x 2p information matrix. Each test is the score statistic
 * u' I^{-1} u on the rows/columns of the term. Efron ties enter each tied death into the risk
 * set with weights 1, (d-1)/d, ..., 1/d, exactly as in the coxph fit. The rows are sorted, and
 * the covariates centred and scaled, by the fit's own prepareCoxData (cox-data.ts), because the
 * information is a difference of large sums; results are returned on the data scale.
 * Scaled Schoenfeld residuals are r * V^{-1} + beta, where V is the per-event average
 * information (R's `vmean`, which only counts events in strata where the covariate varies).
 */
import { SpecificationError, EstimationError } from '../core/errors.js';
import type { DesignMatrix } from './types.js';
import type { SurvivalData } from '../core/types.js';
import { timefix } from './timefix.js';
import { chiSquareSurvival } from './distributions.js';
import { prepareCoxData, type CoxData } from './cox-data.js';
import { linearPredictor } from './cox-riskset.js';
import { lowerBound } from '../core/binary-search.js';
import { gaussianSolve } from './linear-algebra.js';

export type ZphTransform = 'km' | 'identity' | 'rank' | 'log';

export interface CoxZphOptions {
  transform?: ZphTransform;
  strata?: Int32Array | null;
  weights?: Float64Array | null;
  ties?: 'efron' | 'breslow';
  /** true (default): one test per term of x.termLabels; false: one per column. */
  terms?: boolean;
  /** Skip R's aeqSurv tie-merging of near-equal times (coxph's timefix = FALSE). */
  noTimefix?: boolean;
}

export interface ZphTestRow {
  term: string;
  chisq: number;
  df: number;
  p: number;
}

export interface CoxZph {
  transform: ZphTransform;
  table: ZphTestRow[];
  global: { chisq: number; df: number; p: number };
  /** Event times, in R's order (stratum, then time). */
  time: Float64Array;
  /** g(time) before centring (R's `x`). */
  transformedTime: Float64Array;
  /** One column per tested term (or model column when terms = false): R's `y`. NaN where R has NA. */
  scaledSchoenfeld: Float64Array[];
  /** Names of the scaledSchoenfeld columns. */
  names: string[];
  /** Stratum code of each event row, or null without strata. */
  strata: Int32Array | null;
}

/** R `cox.zph(fit, transform, terms)`. Only `fit.coefficients` is read from the fit. */
export function coxZph(fit: { coefficients: ArrayLike<number> }, x: DesignMatrix, y: SurvivalData, options: CoxZphOptions = {}): CoxZph {
  // As coxph (timefix = TRUE): times equal up to rounding noise are tied first (R's aeqSurv).
  if (!options.noTimefix) {
    const fixed = timefix(y.stop, y.start);
    if (fixed.changed) y = { ...y, stop: fixed.stop, start: fixed.start };
  }
  const transform = options.transform ?? 'km';
  const efron = (options.ties ?? 'efron') === 'efron';
  const useTerms = options.terms ?? true;
  const n = y.n;
  const nvar = x.p;
  const beta = fit.coefficients;
  if (beta.length !== nvar) throw new SpecificationError(`coxZph: ${beta.length} coefficients for a model matrix with ${nvar} columns`);
  if (nvar === 0) throw new SpecificationError('coxZph: the model has no covariates (R: there are no score residuals for a Null model)');
  // R drops aliased (NA) coefficients and their columns before the test; so do we.
  const keep: number[] = [];
  for (let j = 0; j < nvar; j++) {
    if (Number.isNaN(beta[j])) continue;
    if (!Number.isFinite(beta[j])) throw new EstimationError(`coxZph: coefficient of ${x.names[j]} is infinite`);
    keep.push(j);
  }
  if (keep.length < nvar) {
    if (keep.length === 0) throw new EstimationError('coxZph: every coefficient is NA (aliased)');
    const reduced: DesignMatrix = { ...x, p: keep.length, columns: keep.map((j) => x.columns[j]), names: keep.map((j) => x.names[j]), assign: Int32Array.from(keep, (j) => x.assign[j]) };
    return coxZph({ coefficients: keep.map((j) => beta[j]) }, reduced, y, options);
  }
  const strata = options.strata ?? null;
  const weights = options.weights ?? null;
  const start = y.start;
  const stop = y.stop;
  const status = y.event;
  const stratOf = (i: number): number => (strata ? strata[i] : 0);

  // Transformed time for every row (R computes it for all rows, then centres on the events).
  const ttimes = transformTimes(y, transform);
  let tsum = 0;
  let nev = 0;
  for (let i = 0; i < n; i++) if (status[i]) { tsum += ttimes[i]; nev++; }
  if (nev === 0) throw new EstimationError('coxZph: no events');
  const tmean = tsum / nev;

  // The fit's own sorted data (prepareCoxData: stratum, then stop descending; start order for
  // counting-process data; covariates row-major, centred and scaled as coxph does). The test
  // statistics are invariant to centring and scaling; u, imat and the residuals are put back on
  // the data scale below.
  const d = prepareCoxData(x, y, { strata, weights });
  const scale = d.scale;
  const bs = new Float64Array(nvar);
  for (let j = 0; j < nvar; j++) bs[j] = beta[j] / scale[j];
  const eta = linearPredictor(d, bs);
  const risk = new Float64Array(d.nused);
  for (let k = 0; k < d.nused; k++) risk[k] = Math.exp(eta[k]) * d.weight[k];

  const p2 = 2 * nvar;
  const u = new Float64Array(p2);
  const imat = new Float64Array(p2 * p2); // upper and lower filled symmetrically at the end
  const schoen: Float64Array[] = Array.from({ length: nvar }, () => new Float64Array(n).fill(NaN));
  riskSetPass({ d, risk, ttimes, tmean, efron }, u, imat, schoen);
  // Back to the data scale: x_scaled = (x - centre) * scale.
  for (let i = 0; i < nvar; i++) {
    u[i] /= scale[i];
    u[i + nvar] /= scale[i];
    for (let j = 0; j < nvar; j++) {
      const f = scale[i] * scale[j];
      imat[i * p2 + j] /= f;
      imat[i * p2 + j + nvar] /= f;
      imat[(i + nvar) * p2 + j] /= f;
      imat[(i + nvar) * p2 + j + nvar] /= f;
    }
    const col = schoen[i];
    for (let r = 0; r < n; r++) col[r] /= scale[i];
  }

  // Fill in the symmetric parts, mirroring R's layout (imat[j][i + nvar] holds both orders).
  for (let i = 0; i < nvar; i++) {
    for (let j = 0; j < i; j++) {
      imat[i * p2 + j] = imat[j * p2 + i];
      imat[i * p2 + j + nvar] = imat[j * p2 + i + nvar];
      imat[(i + nvar) * p2 + j + nvar] = imat[(j + nvar) * p2 + i + nvar];
    }
  }
  for (let i = 0; i < nvar; i++) for (let j = 0; j < nvar; j++) imat[(i + nvar) * p2 + j] = imat[j * p2 + i + nvar];

  // Term grouping (R's fit$assign): columns with the same assign are tested jointly.
  const groups: number[][] = [];
  const termNames: string[] = [];
  if (useTerms) {
    const byTerm = new Map<number, number[]>();
    for (let j = 0; j < nvar; j++) {
      const t = x.assign[j];
      if (!byTerm.has(t)) byTerm.set(t, []);
      byTerm.get(t)!.push(j);
    }
    for (const [t, cols] of [...byTerm.entries()].sort((p, q) => p[0] - q[0])) {
      groups.push(cols);
      termNames.push(x.termLabels[t] ?? x.names[cols[0]]);
    }
  } else {
    for (let j = 0; j < nvar; j++) { groups.push([j]); termNames.push(x.names[j]); }
  }

  const uFull = new Float64Array(p2);
  for (let j = 0; j < nvar; j++) uFull[j + nvar] = u[j + nvar];
  const table: ZphTestRow[] = groups.map((cols, g) => {
    const kk = [...Array.from({ length: nvar }, (_, i) => i), ...cols.map((c) => c + nvar)];
    const chisq = quadraticSolve(imat, p2, kk, uFull);
    return { term: termNames[g], chisq, df: cols.length, p: chiSquareSurvival(chisq, cols.length) };
  });
  const allIdx = Array.from({ length: p2 }, (_, i) => i);
  const gchisq = quadraticSolve(imat, p2, allIdx, uFull);
  const global = { chisq: gchisq, df: nvar, p: chiSquareSurvival(gchisq, nvar) };

  // Event rows in R's order: stratum ascending, then time ascending (ties: see below).
  const order = Array.from({ length: n }, (_, i) => i).filter((i) => status[i] === 1);
  if (start) {
    // R: rev(order(-strata, -stop)): ties in (strata, stop) come out in DEcreasing row order.
    order.sort((p, q) => stratOf(p) - stratOf(q) || stop[p] - stop[q] || q - p);
  } else {
    order.sort((p, q) => stratOf(p) - stratOf(q) || stop[p] - stop[q] || p - q);
  }
  const nd = order.length;
  const time = new Float64Array(nd);
  const transformedTime = new Float64Array(nd);
  for (let k = 0; k < nd; k++) { time[k] = stop[order[k]]; transformedTime[k] = ttimes[order[k]]; }

  // used[s][j]: events in stratum s if column j varies within s, else 0 (R's `used`).
  // from the sorted data: a spread of every row's code into Math.max overflowed the stack at ~10^5 rows
  const nstrat = d.stratumStart.length - 1;
  const used: number[][] = Array.from({ length: nstrat }, () => new Array<number>(nvar).fill(0));
  {
    const first = new Int32Array(nstrat).fill(-1);
    const varies: boolean[][] = Array.from({ length: nstrat }, () => new Array<boolean>(nvar).fill(false));
    const nEvents = new Float64Array(nstrat);
    for (let i = 0; i < n; i++) {
      const s = stratOf(i);
      nEvents[s] += status[i];
      if (first[s] < 0) { first[s] = i; continue; }
      for (let j = 0; j < nvar; j++) if (x.columns[j][i] !== x.columns[j][first[s]]) varies[s][j] = true;
    }
    for (let s = 0; s < nstrat; s++) for (let j = 0; j < nvar; j++) used[s][j] = varies[s][j] ? nEvents[s] : 0;
  }
  // A factor term counts as used in a stratum if any of its columns varies there (R).
  if (useTerms) {
    for (const g of groups) {
      if (g.length < 2) continue;
      for (const row of used) {
        if (g.some((j) => row[j] === 0)) {
          const mx = Math.max(...g.map((j) => row[j]));
          for (const j of g) row[j] = mx;
        }
      }
    }
  }
  // Collapse the term groups into single columns (factor terms: weighted by beta, as R).
  let usedT = used;
  if (useTerms && groups.some((g) => g.length > 1)) usedT = used.map((row) => groups.map((g) => row[g[0]]));
  const wtmat = new Float64Array(nvar * nvar);
  for (const row of used) for (let i = 0; i < nvar; i++) for (let j = 0; j < nvar; j++) wtmat[i * nvar + j] += Math.min(row[i], row[j]);
  let vmean = new Float64Array(nvar * nvar);
  for (let i = 0; i < nvar; i++) for (let j = 0; j < nvar; j++) vmean[i * nvar + j] = imat[i * p2 + j] / (wtmat[i * nvar + j] === 0 ? 1 : wtmat[i * nvar + j]);
  let q = nvar;
  let sres: Float64Array[] = order.length ? Array.from({ length: nvar }, (_, j) => Float64Array.from(order, (i) => schoen[j][i])) : [];
  if (useTerms && groups.some((g) => g.length > 1)) {
    const nt = groups.length;
    const temp = new Float64Array(nvar * nt); // nvar x nt
    groups.forEach((g, t) => { for (const j of g) temp[j * nt + t] = g.length === 1 ? 1 : beta[j]; });
    sres = Array.from({ length: nt }, (_, t) => {
      const c = new Float64Array(nd);
      for (const j of groups[t]) { const f = temp[j * nt + t]; for (let k = 0; k < nd; k++) c[k] += sres[j][k] * f; }
      return c;
    });
    const vm = new Float64Array(nt * nt);
    for (let s = 0; s < nt; s++) for (let t = 0; t < nt; t++) {
      let acc = 0;
      for (let i = 0; i < nvar; i++) for (let j = 0; j < nvar; j++) acc += temp[i * nt + s] * vmean[i * nvar + j] * temp[j * nt + t];
      vm[s * nt + t] = acc;
    }
    vmean = vm;
    q = nt;
  }
  // Rows of each stratum: R assigns the first max(used[s]) event rows to stratum s, in order.
  let rowPos = 0;
  for (let s = 0; s < nstrat; s++) {
    const count = Math.max(0, ...usedT[s]);
    const k = usedT[s].map((v, j) => (v > 0 ? j : -1)).filter((j) => j >= 0);
    if (k.length > 0) {
      for (let r = rowPos; r < rowPos + count; r++) {
        const rhs = k.map((j) => sres[j][r]);
        const sol = solveSubset(vmean, q, k, rhs);
        k.forEach((j, m) => { sres[j][r] = sol[m]; });
        for (let j = 0; j < q; j++) if (!k.includes(j)) sres[j][r] = NaN;
      }
    }
    rowPos += count;
  }
  for (let t = 0; t < q; t++) {
    const add = useTerms && groups[t].length > 1 ? 1 : beta[useTerms ? groups[t][0] : t];
    for (let r = 0; r < nd; r++) sres[t][r] += add;
  }
  return {
    transform,
    table,
    global,
    time,
    transformedTime,
    scaledSchoenfeld: sres,
    names: useTerms ? termNames : x.names.slice(),
    strata: strata ? Int32Array.from(order, (i) => strata[i]) : null,
  };
}

interface ZphPassInput {
  d: CoxData;
  /** w exp(eta) at the sorted positions. */
  risk: Float64Array;
  /** g(t) per input row, and its mean over the events. */
  ttimes: Float64Array;
  tmean: number;
  efron: boolean;
}

/**
 * R's zph2 risk-set pass over the fit's sorted data: accumulates the score u (2 nvar) and the
 * information imat (2 nvar square, upper parts) of the time-extended model, and the unscaled
 * Schoenfeld residuals (by input row), all on the scaled covariates. A function of its own over
 * typed arrays, so V8 optimises it as one hot loop (inlined in coxZph it was deoptimised and
 * re-run in the interpreter, 5-10 times slower). It walks the risk sets as riskSetPass
 * (cox-riskset.ts) does, but also weights each event time's contribution by g(t) and g(t)^2.
 */
function riskSetPass(inp: ZphPassInput, u: Float64Array, imat: Float64Array, schoen: Float64Array[]): void {
  const { d, risk, ttimes, tmean, efron } = inp;
  const { p: nvar, x: cxr, stop, start, event, weight, stratumStart, startOrder, order } = d;
  const p2 = 2 * nvar;
  const a = new Float64Array(nvar);
  const a2 = new Float64Array(nvar);
  const cmat = new Float64Array(nvar * nvar);
  const cmat2 = new Float64Array(nvar * nvar);
  const deaths: number[] = [];
  const nstrata = stratumStart.length - 1;
  for (let s = 0; s < nstrata; s++) {
    const hi = stratumStart[s + 1]!;
    let denom = 0;
    let nrisk = 0;
    a.fill(0);
    cmat.fill(0);
    let ip = stratumStart[s]!;
    let ir = ip;
    while (ip < hi) {
      const dtime = stop[ip]!;
      // Everyone leaving at dtime: deaths into the "2" sums, the rest into the risk set.
      let denom2 = 0;
      let deadwt = 0;
      deaths.length = 0;
      a2.fill(0);
      cmat2.fill(0);
      for (; ip < hi && stop[ip] === dtime; ip++) {
        const r = risk[ip]!;
        nrisk++;
        const off = ip * nvar;
        if (event[ip]) {
          deaths.push(ip);
          denom2 += r;
          deadwt += weight[ip]!;
          for (let j = 0; j < nvar; j++) {
            const xj = cxr[off + j]!;
            a2[j] += r * xj;
            const rowj = j * nvar;
            for (let k = 0; k <= j; k++) cmat2[rowj + k] += r * xj * cxr[off + k]!;
          }
        } else {
          denom += r;
          for (let j = 0; j < nvar; j++) {
            const xj = cxr[off + j]!;
            a[j] += r * xj;
            const rowj = j * nvar;
            for (let k = 0; k <= j; k++) cmat[rowj + k] += r * xj * cxr[off + k]!;
          }
        }
      }
      // Counting process: rows that start at or after dtime are not at risk at dtime.
      if (startOrder && start) {
        for (; ir < hi && start[startOrder[ir]!]! >= dtime; ir++) {
          const q = startOrder[ir]!;
          nrisk--;
          if (nrisk === 0) {
            // Start the sums afresh rather than carry cancellation error forward (as agfit4).
            denom = 0;
            a.fill(0);
            cmat.fill(0);
            continue;
          }
          const r = risk[q]!;
          denom -= r;
          const off = q * nvar;
          for (let j = 0; j < nvar; j++) {
            const xj = cxr[off + j]!;
            a[j] -= r * xj;
            const rowj = j * nvar;
            for (let k = 0; k <= j; k++) cmat[rowj + k] -= r * xj * cxr[off + k]!;
          }
        }
      }
      const ndead = deaths.length;
      if (ndead === 0) continue;
      const timewt = ttimes[order[deaths[0]!]!]! - tmean;
      for (const k of deaths) {
        const i = order[k]!;
        const w = weight[k]!;
        for (let j = 0; j < nvar; j++) {
          const xj = cxr[k * nvar + j]!;
          schoen[j]![i] = xj;
          u[j] += w * xj;
          u[j + nvar] += timewt * w * xj;
        }
      }
      // Efron: the d tied deaths are in the risk set with weights k/d, k = 1..d (symmetric to
      // R's 1, (d-1)/d, ...). Breslow is the d = 1 special case of the same loop.
      const steps = efron ? ndead : 1;
      const wtave = deadwt / steps;
      for (let j = 0; j < nvar; j++) {
        let mean = 0;
        for (let k = 0; k < steps; k++) {
          const f = (k + 1) / steps;
          mean += (a[j] + a2[j] * f) / (denom + denom2 * f);
        }
        mean /= steps;
        for (const k of deaths) schoen[j]![order[k]!] -= mean;
      }
      for (let k = 0; k < steps; k++) {
        denom += denom2 / steps;
        for (let j = 0; j < nvar; j++) a[j] += a2[j] / steps;
        for (let j = 0; j < nvar; j++) {
          const mj = a[j] / denom;
          u[j] -= wtave * mj;
          u[j + nvar] -= timewt * wtave * mj;
          for (let l = 0; l <= j; l++) {
            cmat[j * nvar + l] += cmat2[j * nvar + l] / steps;
            const v = (wtave * (cmat[j * nvar + l] - mj * a[l])) / denom;
            imat[l * p2 + j] += v;
            imat[l * p2 + j + nvar] += v * timewt;
            imat[(l + nvar) * p2 + j + nvar] += v * timewt * timewt;
          }
        }
      }
    }
  }
}

/** g(t) for every row: R's `km` is 1 - S(t-) from the unweighted KM of y (left-continuous). */
function transformTimes(y: SurvivalData, transform: ZphTransform): Float64Array {
  const n = y.n;
  const t = y.stop;
  const out = new Float64Array(n);
  switch (transform) {
    case 'identity':
      out.set(t);
      return out;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(t[i]);
      return out;
    case 'rank': {
      // Average ranks for ties, as R's rank().
      const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => t[a] - t[b]);
      for (let i = 0; i < n; ) {
        let j = i;
        while (j + 1 < n && t[idx[j + 1]] === t[idx[i]]) j++;
        const r = (i + j + 2) / 2;
        for (let k = i; k <= j; k++) out[idx[k]] = r;
        i = j + 1;
      }
      return out;
    }
    case 'km': {
      // Distinct event times with their death counts and risk set sizes (start < s <= stop),
      // ascending. Deaths are counted from the sorted event times (a run per distinct time), so
      // the whole transform is O(n log n); a scan of all rows per event time was quadratic.
      let nEv = 0;
      for (let i = 0; i < n; i++) if (y.event[i]) nEv++;
      const evAll = new Float64Array(nEv);
      for (let i = 0, q = 0; i < n; i++) if (y.event[i]) evAll[q++] = t[i];
      evAll.sort();
      const ev: number[] = [];
      const deaths: number[] = [];
      for (let q = 0; q < nEv; q++) {
        if (q > 0 && evAll[q] === evAll[q - 1]) deaths[deaths.length - 1]++;
        else { ev.push(evAll[q]); deaths.push(1); }
      }
      const stops = Float64Array.from(t).sort();
      const starts = y.start ? Float64Array.from(y.start).sort() : null;
      const surv = new Float64Array(ev.length); // S just after each event time
      let s = 1;
      for (let k = 0; k < ev.length; k++) {
        const tk = ev[k];
        const d = deaths[k];
        let nr = n - lowerBound(stops, tk);
        if (starts) nr -= n - lowerBound(starts, tk);
        s *= 1 - d / nr;
        surv[k] = s;
      }
      const evArr = Float64Array.from(ev);
      for (let i = 0; i < n; i++) {
        const k = lowerBound(evArr, t[i]); // number of event times < t
        out[i] = 1 - (k === 0 ? 1 : surv[k - 1]);
      }
      return out;
    }
    default:
      throw new SpecificationError(`coxZph: unknown transform "${String(transform)}" (use km, identity, rank or log)`, { value: String(transform) });
  }
}

/** Solves M[idx, idx] z = rhs by Gaussian elimination (M is dim x dim, row-major). */
function solveSubset(m: Float64Array, dim: number, idx: number[], rhs: ArrayLike<number>): Float64Array {
  const k = idx.length;
  const a = new Float64Array(k * k);
  for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) a[r * k + c] = m[idx[r] * dim + idx[c]];
  const z = gaussianSolve(a, Float64Array.from(rhs), k, 0);
  if (z === null) throw new EstimationError('coxZph: singular information matrix');
  return z;
}

/** Solves M[idx, idx] z = b[idx] and returns b[idx]' z (M is dim x dim, row-major). */
function quadraticSolve(m: Float64Array, dim: number, idx: number[], b: Float64Array): number {
  const rhs = idx.map((i) => b[i]);
  const z = solveSubset(m, dim, idx, rhs);
  let acc = 0;
  for (let k = 0; k < idx.length; k++) acc += rhs[k] * z[k];
  return acc;
}


/**
 * The log-rank test and the Harrington-Fleming G-rho family, R's survdiff(Surv(time, status) ~
 * group + strata(s), rho = rho).
 *
 * Inputs:  right-censored y; a Grouping of k >= 2 groups, each with at least one row; options
 *          rho (0 = log-rank, 1 = Peto-Peto modification of the Gehan-Wilcoxon) and strata
 *          (0-based codes or null).
 * Outputs: per group n, observed and expected (weighted) events summed over strata, as R prints
 *          them; the k x k variance matrix (row-major, summed over strata); chisq on
 *          df = (number of groups with expected > 0) - 1 and its upper-tail p-value.
 * Method:  within each stratum, at each distinct death time t with n at risk and d deaths,
 *          weight w = S(t-)^rho (the pooled, unweighted, left-continuous KM of the stratum):
 *            E_g += w d n_g / n
 *            V_gh += w^2 d (n - d) / (n - 1) * n_g / n * (1[g = h] - n_h / n)   (n > 1)
 *          accumulated in one backward pass over the time-sorted stratum, as survdiff2.c does.
 *          chisq = (O - E)' V^- (O - E) with the first group (among those with E > 0) dropped,
 *          solved by Gaussian elimination with partial pivoting (R's solve()).
 *          Times within sqrt(eps) are merged first (aeqSurv, survdiff's timefix = TRUE).
 * Reference: survival 3.5.3 survdiff, survdiff.fit, survdiff2.c; Harrington & Fleming (1982),
 *          Biometrika 69:553-566.
 */
import type { Grouping } from './types.js';
import type { SurvivalData } from '../core/types.js';
import { EstimationError, InputError, SpecificationError } from '../core/errors.js';
import { radixOrder, orderWithinGroups } from './radix-order.js';
import { timefix } from './timefix.js';
import { chiSquareSurvival } from './distributions.js';
import { gaussianSolve } from './linear-algebra.js';

export interface LogRankResult {
  groups: string[];
  n: Float64Array;
  observed: Float64Array;
  expected: Float64Array;
  /** k x k, row-major. */
  variance: Float64Array;
  chisq: number;
  df: number;
  p: number;
  rho: number;
}

export function logRankTest(y: SurvivalData, groups: Grouping, options: { rho?: number; strata?: Int32Array | null } = {}): LogRankResult {
  const rho = options.rho ?? 0;
  if (!Number.isFinite(rho)) throw new SpecificationError('rho must be a finite number', { field: 'rho', value: String(rho) });
  if (y.start !== null) throw new SpecificationError('survdiff handles right-censored data only, not (start, stop] intervals');
  const n = y.n;
  const k = groups.names.length;
  if (y.stop.length !== n || y.event.length !== n || groups.codes.length !== n) throw new InputError(`time, status and group must all have length n = ${n}`);
  const strataCodes = options.strata ?? null;
  if (strataCodes && strataCodes.length !== n) throw new InputError(`strata codes have length ${strataCodes.length}, expected ${n}`, { column: 'strata' });
  const nPerGroup = new Float64Array(k);
  let nstrat = 1;
  for (let i = 0; i < n; i++) {
    const t = y.stop[i];
    if (!(t >= 0) || t === Infinity) throw new InputError('time must be a finite number >= 0', { row: i + 1, column: 'time', value: String(t) });
    const e = y.event[i];
    if (e !== 0 && e !== 1) throw new InputError('status must be 0 (censored) or 1 (event)', { row: i + 1, column: 'status', value: String(e) });
    const g = groups.codes[i];
    if (!(g >= 0 && g < k)) throw new InputError(`group code must be 0..${k - 1}`, { row: i + 1, column: 'group', value: String(g) });
    nPerGroup[g]++;
    if (strataCodes) {
      const s = strataCodes[i];
      if (!(s >= 0)) throw new InputError('strata code must be a non-negative integer', { row: i + 1, column: 'strata', value: String(s) });
      if (s + 1 > nstrat) nstrat = s + 1;
    }
  }
  if (k < 2) throw new EstimationError('There is only 1 group', { column: 'group' });
  for (let g = 0; g < k; g++) {
    if (nPerGroup[g] === 0) throw new EstimationError(`group "${groups.names[g]}" has no rows`, { column: 'group', value: groups.names[g] });
  }

  const stop = timefix(y.stop, null).stop;
  let order = radixOrder(stop);
  if (strataCodes && nstrat > 1) order = orderWithinGroups(order, strataCodes, nstrat);

  const observed = new Float64Array(k);
  const expected = new Float64Array(k);
  const variance = new Float64Array(k * k);
  const risk = new Float64Array(k);
  // Per-row sorted copies, so the passes below read memory in order.
  const ts = new Float64Array(n);
  const ev = new Uint8Array(n);
  const gr = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = order[i];
    ts[i] = stop[r];
    ev[i] = y.event[r];
    gr[i] = groups.codes[r];
  }
  const kaplan = rho !== 0 ? new Float64Array(n) : null;
  let lo = 0;
  while (lo < n) {
    let hi = lo + 1;
    if (strataCodes) while (hi < n && strataCodes[order[hi]] === strataCodes[order[lo]]) hi++;
    else hi = n;
    if (kaplan) {
      // Left-continuous pooled KM: every row at a tied time gets S just before that time.
      let km = 1;
      for (let i = lo; i < hi; ) {
        const nrisk = hi - i;
        let deaths = 0;
        let j = i;
        for (; j < hi && ts[j] === ts[i]; j++) {
          kaplan[j] = km;
          deaths += ev[j];
        }
        km *= (nrisk - deaths) / nrisk;
        i = j;
      }
    }
    risk.fill(0);
    for (let i = hi - 1; i >= lo; ) {
      const w = kaplan ? Math.pow(kaplan[i], rho) : 1;
      let deaths = 0;
      let j = i;
      for (; j >= lo && ts[j] === ts[i]; j--) {
        risk[gr[j]] += 1;
        deaths += ev[j];
        observed[gr[j]] += ev[j] * w;
      }
      const nrisk = hi - (j + 1);
      if (deaths > 0) {
        for (let g = 0; g < k; g++) expected[g] += (w * deaths * risk[g]) / nrisk;
        if (nrisk > 1) {
          const w2 = w * w;
          for (let a = 0; a < k; a++) {
            const tmp = (w2 * deaths * risk[a] * (nrisk - deaths)) / (nrisk * (nrisk - 1));
            variance[a * k + a] += tmp;
            for (let b = 0; b < k; b++) variance[a * k + b] -= (tmp * risk[b]) / nrisk;
          }
        }
      }
      i = j;
    }
    lo = hi;
  }

  let totalEvents = 0;
  for (let i = 0; i < n; i++) totalEvents += y.event[i];
  if (totalEvents === 0) throw new EstimationError('no events: the log-rank test is undefined');

  // R: drop groups with no expected events, then the first remaining one.
  const used: number[] = [];
  for (let g = 0; g < k; g++) if (expected[g] > 0) used.push(g);
  let chisq = 0;
  if (used.length >= 2) {
    const idx = used.slice(1);
    const p = idx.length;
    const a = new Float64Array(p * p);
    const b = new Float64Array(p);
    for (let r = 0; r < p; r++) {
      b[r] = observed[idx[r]] - expected[idx[r]];
      for (let c = 0; c < p; c++) a[r * p + c] = variance[idx[r] * k + idx[c]];
    }
    // R's solve() stops on an exactly (to LAPACK's tolerance) singular matrix; so do we.
    const x = gaussianSolve(a, b.slice(), p, 1e-14);
    if (x === null) throw new EstimationError('the log-rank variance matrix is singular');
    for (let r = 0; r < p; r++) chisq += x[r] * b[r];
  }
  // With fewer than two groups expecting deaths R reports chisq 0 on 0 df and p = pchisq(0, 0,
  // lower.tail = FALSE) = 1.
  const df = used.length - 1;
  return { groups: groups.names.slice(), n: nPerGroup, observed, expected, variance, chisq, df, p: df > 0 ? chiSquareSurvival(chisq, df) : 1, rho };
}


/**
 * Restricted mean survival time (RMST) and restricted mean time lost (RMTL) up to tau, per
 * group, with the between-group contrasts of R's survRM2::rmst2 (Uno et al. 2014,
 * J Clin Oncol 32:2380; Royston & Parmar 2013, BMC Med Res Methodol 13:152).
 *
 * Inputs: right-censored outcome y, an optional grouping (null = one group), tau > 0, and
 *   confLevel (default 0.95).
 * Outputs: per group: n, events, RMST = integral_0^tau S(t) dt of the Kaplan–Meier curve, its SE
 *   and normal CI; RMTL = tau - RMST with the same SE. With exactly two groups, the contrasts
 *   of the SECOND group against the FIRST (survRM2's "arm 1 vs arm 0"): difference in RMST with
 *   SE sqrt(v1 + v0); ratio of RMSTs and ratio of RMTLs on the log scale with delta-method SE
 *   sqrt(v1/m1^2 + v0/m0^2); two-sided Wald p-values. Null for other numbers of groups.
 *
 * Method: the KM step function is integrated exactly. The variance is the Greenwood plug-in
 *   sum over event times t_i <= tau of A_i^2 d_i / (n_i (n_i - d_i)), where A_i is the area
 *   under the curve from t_i to tau; a term with n_i = d_i contributes 0 (survRM2's rule). This
 *   equals survival's summary(survfit, rmean = tau) se(rmean), which reference/r/rmst.R checks.
 * tau beyond a group's last follow-up time is an EstimationError naming the group: the curve
 *   is not estimable there (survRM2 refuses the same).
 */
import { EstimationError, SpecificationError } from '../core/errors.js';
import type { Grouping } from './types.js';
import type { SurvivalData } from '../core/types.js';
import { normalCdf, normalQuantile } from './distributions.js';

export interface RmstGroup {
  name: string;
  n: number;
  events: number;
  rmst: number;
  se: number;
  lower: number;
  upper: number;
  rmtl: number;
  rmtlSe: number;
  rmtlLower: number;
  rmtlUpper: number;
}

export interface RmstContrast {
  estimate: number;
  /** SE of the estimate (difference) or of its logarithm (ratios). */
  se: number;
  lower: number;
  upper: number;
  p: number;
}

export interface RmstResult {
  tau: number;
  confLevel: number;
  groups: RmstGroup[];
  /** Second group minus first; null unless there are exactly two groups. */
  difference: RmstContrast | null;
  /** RMST second / first (se on the log scale). */
  ratio: RmstContrast | null;
  /** RMTL second / first (se on the log scale). */
  rmtlRatio: RmstContrast | null;
}

/** RMST and RMTL at tau per group, with survRM2's contrasts for two groups. */
export function rmst(y: SurvivalData, groups: Grouping | null, tau: number, options: { confLevel?: number } = {}): RmstResult {
  const confLevel = options.confLevel ?? 0.95;
  if (!(tau > 0) || !Number.isFinite(tau)) throw new SpecificationError('rmst: tau must be a positive number', { value: String(tau) });
  if (!(confLevel > 0 && confLevel < 1)) throw new SpecificationError('rmst: confLevel must be in (0, 1)', { value: String(confLevel) });
  if (y.start) throw new SpecificationError('rmst: counting-process (start, stop] data are not supported; use right-censored times');
  const z = normalQuantile(1 - (1 - confLevel) / 2);
  const names = groups ? groups.names : ['all'];
  const members: number[][] = names.map(() => []);
  for (let i = 0; i < y.n; i++) {
    const t = y.stop[i];
    if (!(t >= 0)) throw new SpecificationError('rmst: survival times must be >= 0', { row: i + 1, value: String(t) });
    members[groups ? groups.codes[i] : 0].push(i);
  }
  const out: RmstGroup[] = names.map((name, g) => {
    const rows = members[g];
    if (rows.length === 0) throw new EstimationError(`rmst: group "${name}" has no patients`, { column: name });
    const { rmst: m, variance, events, maxTime } = rmstOneGroup(y, rows, tau);
    if (tau > maxTime) {
      throw new EstimationError(`rmst: tau = ${tau} is beyond the last follow-up time (${maxTime}) of group "${name}"; choose tau <= ${maxTime}`, { value: String(tau) });
    }
    const se = Math.sqrt(variance);
    return {
      name, n: rows.length, events, rmst: m, se, lower: m - z * se, upper: m + z * se,
      rmtl: tau - m, rmtlSe: se, rmtlLower: tau - m - z * se, rmtlUpper: tau - m + z * se,
    };
  });
  let difference: RmstContrast | null = null;
  let ratio: RmstContrast | null = null;
  let rmtlRatio: RmstContrast | null = null;
  if (out.length === 2) {
    const [g0, g1] = out;
    const d = g1.rmst - g0.rmst;
    const dse = Math.sqrt(g1.se ** 2 + g0.se ** 2);
    difference = { estimate: d, se: dse, lower: d - z * dse, upper: d + z * dse, p: 2 * normalCdf(-Math.abs(d) / dse) };
    ratio = logRatio(g1.rmst, g1.se, g0.rmst, g0.se, z);
    rmtlRatio = logRatio(g1.rmtl, g1.se, g0.rmtl, g0.se, z);
  }
  return { tau, confLevel, groups: out, difference, ratio, rmtlRatio };
}

function logRatio(m1: number, se1: number, m0: number, se0: number, z: number): RmstContrast {
  const lr = Math.log(m1 / m0);
  const se = Math.sqrt((se1 * se1) / (m1 * m1) + (se0 * se0) / (m0 * m0));
  return { estimate: Math.exp(lr), se, lower: Math.exp(lr - z * se), upper: Math.exp(lr + z * se), p: 2 * normalCdf(-Math.abs(lr) / se) };
}

/** Integrates one group's KM curve to tau and accumulates the Greenwood plug-in variance. */
function rmstOneGroup(y: SurvivalData, rows: number[], tau: number): { rmst: number; variance: number; events: number; maxTime: number } {
  const order = rows.slice().sort((a, b) => y.stop[a] - y.stop[b]);
  const n = order.length;
  // Distinct event times <= tau with risk set and deaths, and the survival just after each.
  const times: number[] = [];
  const surv: number[] = [];
  const varTerm: number[] = [];
  let atRisk = n;
  let s = 1;
  let events = 0;
  for (let k = 0; k < n; ) {
    const t = y.stop[order[k]];
    let d = 0;
    let m = 0;
    while (k + m < n && y.stop[order[k + m]] === t) { d += y.event[order[k + m]] ? 1 : 0; m++; }
    events += d;
    if (d > 0 && t <= tau) {
      s *= 1 - d / atRisk;
      times.push(t);
      surv.push(s);
      varTerm.push(atRisk - d === 0 ? 0 : d / (atRisk * (atRisk - d)));
    }
    atRisk -= m;
    k += m;
  }
  // Areas of the steps: [0, t1) at S = 1, [t1, t2) at S(t1), ..., [t_last, tau] at S(t_last).
  const nt = times.length;
  const areas = new Float64Array(nt + 1);
  let prev = 0;
  let level = 1;
  for (let k = 0; k < nt; k++) {
    areas[k] = (times[k] - prev) * level;
    prev = times[k];
    level = surv[k];
  }
  areas[nt] = (tau - prev) * level;
  let total = 0;
  for (let k = 0; k <= nt; k++) total += areas[k];
  // A_k = area after event time k = sum of areas[k+1..nt].
  let variance = 0;
  let after = 0;
  for (let k = nt - 1; k >= 0; k--) {
    after += areas[k + 1];
    variance += after * after * varTerm[k];
  }
  return { rmst: total, variance, events, maxTime: y.stop[order[n - 1]] };
}

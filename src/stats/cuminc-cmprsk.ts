/**
 * Cumulative incidence with cmprsk's variance estimate, R's cmprsk::cuminc curves and
 * timepoints().
 *
 * Inputs:  a CompetingRisksOutcome and an optional Grouping.
 * Outputs: for each cause and group (cmprsk's order: causes outer, groups inner), the step
 *          function's corners as cuminc returns them: time, est and var start at (0, 0, 0),
 *          each event time of the cause appears twice (value before, value after the jump), and
 *          the last point carries the estimate out to the group's largest follow-up time.
 *          `cumincAt` evaluates one curve at given times as timepoints() does (the value at the
 *          last corner <= t; NaN beyond the largest follow-up time).
 * Method:  the Aalen–Johansen estimate F(t) = sum_{s <= t} S(s-) d_1(s) / n(s), and the
 *          delta-method variance of Gray's cinc routine (Aalen 1978 / Dinse & Larson 1986 with
 *          the binomial tie correction 1 - (d - 1) / (n - 1)): three running sums
 *          v1, v2, v3 over failure times from any cause give
 *          var F(t) = v1 + F(t)^2 v3 - 2 F(t) v2.
 *          The estimates equal aalen-johansen.ts's; the variances differ from survfit's IJ
 *          std.err^2 (a different estimator of the same quantity).
 * Reference: cmprsk 2.2 cuminc(), cinc (cincsub.f), timepoints() (tpoi.f); Gray (1988) Ann
 *          Statist 16:1141-1154; Aalen (1978).
 */
import { upperBound } from '../core/binary-search.js';
import type { CompetingRisksOutcome } from './competing-risks-frame.js';
import type { Grouping } from './types.js';

export interface CumincCurve {
  /** Group name ("all" without groups). */
  group: string;
  /** Cause status value. */
  cause: number;
  time: Float64Array;
  est: Float64Array;
  variance: Float64Array;
}

/** cinc for one group and one cause; `rows` sorted by time. */
function cinc(time: Float64Array, cause: Int32Array, rows: number[], target: number): { time: number[]; est: number[]; variance: number[] } {
  const n = rows.length;
  const x = [0];
  const f = [0];
  const v = [0];
  let fk = 1;
  let v1 = 0;
  let v2 = 0;
  let v3 = 0;
  let i = 0;
  while (i < n) {
    const t = time[rows[i]!]!;
    let j = i;
    let nd1 = 0;
    let nd2 = 0;
    while (j < n && time[rows[j]!] === t) {
      const c = cause[rows[j]!]!;
      if (c === target) nd1++;
      else if (c !== 0) nd2++;
      j++;
    }
    const rs = n - i;
    const nd = nd1 + nd2;
    if (nd > 0) {
      const fkn = (fk * (rs - nd)) / rs;
      let fNow = f[f.length - 1]!;
      if (nd1 > 0) fNow += (fk * nd1) / rs;
      if (nd2 > 0 && fkn > 0) {
        const tie = nd2 > 1 ? 1 - (nd2 - 1) / (rs - 1) : 1;
        const w = (fk * fk * tie * nd2) / (rs * rs);
        const a = 1 / fkn;
        const b = fNow / fkn;
        v1 += b * b * w;
        v2 += a * b * w;
        v3 += a * a * w;
      }
      if (nd1 > 0) {
        const tie = nd1 > 1 ? 1 - (nd1 - 1) / (rs - 1) : 1;
        const w = (fk * fk * tie * nd1) / (rs * rs);
        const a = fkn > 0 ? 1 / fkn : 0;
        const b = 1 + a * fNow;
        v1 += b * b * w;
        v2 += a * b * w;
        v3 += a * a * w;
        const before = v[v.length - 1]!;
        x.push(t, t);
        f.push(f[f.length - 1]!, fNow);
        v.push(before, v1 + fNow * fNow * v3 - 2 * fNow * v2);
      }
      fk = fkn;
    }
    i = j;
  }
  x.push(n > 0 ? time[rows[n - 1]!]! : 0);
  f.push(f[f.length - 1]!);
  v.push(v[v.length - 1]!);
  return { time: x, est: f, variance: v };
}

/** cmprsk::cuminc(ftime, fstatus, group)'s curves: causes outer, groups inner. */
export function cumincCurves(y: CompetingRisksOutcome, groups: Grouping | null): CumincCurve[] {
  const names = groups ? groups.names : ['all'];
  const members: number[][] = names.map(() => []);
  for (let i = 0; i < y.n; i++) members[groups ? groups.codes[i]! : 0]!.push(i);
  for (const m of members) m.sort((a, b) => y.time[a]! - y.time[b]! || a - b);
  const out: CumincCurve[] = [];
  y.causes.forEach((label, c) => {
    members.forEach((rows, g) => {
      if (rows.length === 0) return;
      const r = cinc(y.time, y.cause, rows, c + 1);
      out.push({ group: names[g]!, cause: label, time: Float64Array.from(r.time), est: Float64Array.from(r.est), variance: Float64Array.from(r.variance) });
    });
  });
  return out;
}

/** timepoints(): each curve at `times` (value at the last corner <= t; NaN past the last corner). */
export function cumincAt(curve: CumincCurve, times: ArrayLike<number>): { est: Float64Array; variance: Float64Array } {
  const m = curve.time.length;
  const est = new Float64Array(times.length);
  const variance = new Float64Array(times.length);
  for (let k = 0; k < times.length; k++) {
    const t = times[k]!;
    if (!(t <= curve.time[m - 1]!)) {
      est[k] = NaN;
      variance[k] = NaN;
      continue;
    }
    const ix = upperBound(curve.time, t) - 1; // last corner with time <= t
    est[k] = ix >= 0 ? curve.est[ix]! : NaN;
    variance[k] = ix >= 0 ? curve.variance[ix]! : NaN;
  }
  return { est, variance };
}

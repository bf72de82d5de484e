/**
 * Kaplan–Meier curves of the analysis dataset with numbers at risk and the log-rank p, in the
 * JSON shape results.json uses (the report draws the curves and risk tables from it).
 */
import { kaplanMeier } from '../../stats/kaplan-meier.js';
import { buildGroupingFrame } from '../../stats/model-frame.js';
import { logRankTest } from '../../stats/survdiff.js';
import type { DataTable } from '../../core/types.js';

export interface KmCurveJson {
  name: string;
  n: number;
  events: number;
  median: number | null;
  median_lower: number | null;
  median_upper: number | null;
  time: number[];
  surv: number[];
  lower: (number | null)[];
  upper: (number | null)[];
  n_risk: number[];
  n_event: number[];
  n_censor: number[];
  risk_table: { time: number[]; n_risk: number[] };
  survival_at: { time: number[]; surv: number[]; lower: (number | null)[]; upper: (number | null)[] };
}

export interface KmJson {
  formula: string;
  conf_type: string;
  curves: KmCurveJson[];
  logrank: { chisq: number; df: number; p: number } | null;
  weighted: boolean;
}

const nullIfNaN = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * KM by the groups of `formula` (e.g. `Surv(os_months, death) ~ group`), with numbers at risk
 * at `breaks` (R's summary(fit, times = breaks)$n.risk; 0 beyond the last follow-up) and
 * survival at `survivalTimes`.
 */
export function kmWithRiskTable(table: DataTable, formula: string, breaks: number[], survivalTimes: number[], options: { weights?: string | null; logrank?: boolean } = {}): KmJson {
  const frame = buildGroupingFrame(formula, table, { weights: options.weights ?? null });
  const fit = kaplanMeier(frame.survival, frame.groups, { weights: frame.weights, confType: 'log' });
  const curves = fit.strata.map((c) => {
    // Numbers at risk at t: rows with time >= t (counting data: start < t <= stop), as survfit counts.
    const members: number[] = [];
    const idx = frame.groups ? frame.groups.names.indexOf(c.name) : 0;
    for (let i = 0; i < frame.survival.n; i++) if (!frame.groups || frame.groups.codes[i] === idx) members.push(i);
    const atRisk = (t: number): number => {
      let k = 0;
      const y = frame.survival;
      for (const i of members) {
        const w = frame.weights ? frame.weights[i]! : 1;
        if (y.stop[i]! >= t && (y.start === null || y.start[i]! < t || (t === 0 && y.start[i]! === 0))) k += w;
      }
      return k;
    };
    const survAt = (t: number): [number, number, number] => {
      let s = 1, lo = 1, up = 1;
      for (let j = 0; j < c.time.length && c.time[j]! <= t; j++) { s = c.surv[j]!; lo = c.lower[j]!; up = c.upper[j]!; }
      return [s, lo, up];
    };
    const maxTime = c.time.length > 0 ? c.time[c.time.length - 1]! : 0;
    const at = survivalTimes.filter((t) => t <= maxTime);
    return {
      name: c.name,
      n: c.n,
      events: c.events,
      median: c.median,
      median_lower: c.medianLower,
      median_upper: c.medianUpper,
      time: Array.from(c.time),
      surv: Array.from(c.surv),
      lower: Array.from(c.lower, nullIfNaN),
      upper: Array.from(c.upper, nullIfNaN),
      n_risk: Array.from(c.nRisk),
      n_event: Array.from(c.nEvent),
      n_censor: Array.from(c.nCensor),
      risk_table: { time: breaks, n_risk: breaks.map(atRisk) },
      survival_at: { time: at, surv: at.map((t) => survAt(t)[0]), lower: at.map((t) => nullIfNaN(survAt(t)[1])), upper: at.map((t) => nullIfNaN(survAt(t)[2])) },
    };
  });
  let logrank: KmJson['logrank'] = null;
  if (options.logrank !== false && frame.groups !== null && frame.groups.names.length > 1 && frame.weights === null && frame.survival.start === null) {
    const lr = logRankTest(frame.survival, frame.groups);
    logrank = { chisq: lr.chisq, df: lr.df, p: lr.p };
  }
  return { formula, conf_type: fit.confType, curves, logrank, weighted: frame.weights !== null };
}

export const breaksUpTo = (step: number, max: number): number[] => Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);

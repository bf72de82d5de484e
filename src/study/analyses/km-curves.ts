/**
 * Kaplan–Meier curves of the analysis dataset with numbers at risk and the log-rank p, in the
 * JSON shape results.json uses (the report draws the curves and risk tables from it). The curve
 * fields are stats/kaplan-meier-json.ts's, the serializer `oncosurv km --json` uses.
 */
import { kaplanMeier } from '../../stats/kaplan-meier.js';
import { kmAtJson, kmCurveJson, type KmCurveJson as BaseKmCurveJson } from '../../stats/kaplan-meier-json.js';
import { buildGroupingFrame } from '../../stats/model-frame.js';
import { logRankTest } from '../../stats/survdiff.js';
import type { DataTable } from '../../core/types.js';

/** A curve as results.json holds it: the survfit curve, numbers at risk at the breaks, survival at the report times. */
export interface KmCurveJson extends BaseKmCurveJson {
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

/**
 * KM by the groups of `formula` (e.g. `Surv(os_months, death) ~ group`), with numbers at risk
 * at `breaks` (R's summary(fit, times = breaks)$n.risk; 0 beyond the last follow-up) and
 * survival at `survivalTimes`.
 */
export function kmWithRiskTable(table: DataTable, formula: string, breaks: number[], survivalTimes: number[], options: { weights?: string | null; logrank?: boolean } = {}): KmJson {
  const frame = buildGroupingFrame(formula, table, { weights: options.weights ?? null });
  // kaplanMeier's summary(fit, times =) gives survival at the report times (after a curve's last time: left out).
  const fit = kaplanMeier(frame.survival, frame.groups, { weights: frame.weights, confType: 'log', times: survivalTimes });
  const curves = fit.strata.map((c): KmCurveJson => {
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
    const { time, surv, lower, upper } = kmAtJson(c.at!);
    return { ...kmCurveJson(c), risk_table: { time: breaks, n_risk: breaks.map(atRisk) }, survival_at: { time, surv, lower, upper } };
  });
  let logrank: KmJson['logrank'] = null;
  if (options.logrank !== false && frame.groups !== null && frame.groups.names.length > 1 && frame.weights === null && frame.survival.start === null) {
    const lr = logRankTest(frame.survival, frame.groups);
    logrank = { chisq: lr.chisq, df: lr.df, p: lr.p };
  }
  return { formula, conf_type: fit.confType, curves, logrank, weighted: frame.weights !== null };
}

export const breaksUpTo = (step: number, max: number): number[] => Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);

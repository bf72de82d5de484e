/**
 * Shared pieces of the study's analyses: fit a Cox model from a formula on a DataTable and
 * report one term as an HR entry; Kaplan–Meier curves with numbers at risk and the log-rank p,
 * in the plain JSON shape results.json uses.
 *
 * Models are specified as R formulas on the analysis-dataset column names so that reproduce.R
 * fits exactly the same models in R from the CSVs.
 */
import { coxph, coxSummaryRows, type CoxFit } from '../../stats/cox.js';
import { EstimationError } from '../../core/errors.js';
import { kaplanMeier } from '../../stats/kaplan-meier.js';
import { buildGroupingFrame, buildModelFrame, type ModelFrame } from '../../stats/model-frame.js';
import { logRankTest } from '../../stats/survdiff.js';
import type { DataTable } from '../../core/types.js';

/** One hazard ratio, as results.json reports it. */
export interface HrEntry {
  hr: number;
  lower: number;
  upper: number;
  p: number;
  n: number;
  events: number;
  adjusted: boolean;
  covariates: string[];
  term: string;
  formula: string;
  robust: boolean;
  se: number;
  robust_se: number | null;
  /** Counting-process rows, when they differ from patients. */
  n_rows?: number;
  warnings: string[];
}

export interface Skipped { skipped: string }

export interface CoxModelResult {
  fit: CoxFit;
  frame: ModelFrame;
  formula: string;
}

export function fitCox(table: DataTable, formula: string, options: { ties: 'efron' | 'breslow'; weights?: string | null; robust?: boolean }): CoxModelResult {
  const frame = buildModelFrame(formula, table, { weights: options.weights ?? null });
  if (frame.survival === null) throw new EstimationError(`${formula}: not a survival formula`);
  const fit = coxph(frame.design, frame.survival, {
    ties: options.ties,
    strata: frame.strata?.codes ?? null,
    weights: frame.weights,
    cluster: frame.cluster,
    robust: options.robust === true || frame.cluster !== null,
  });
  return { fit, frame, formula };
}

/** The HR entry for `term` of a fitted model. `nPatients` overrides n for counting-process data. */
export function hrEntry(model: CoxModelResult, term: string, covariates: string[], nPatients?: number): HrEntry {
  const rows = coxSummaryRows(model.fit);
  const row = rows.find((r) => r.term === term);
  if (row === undefined) throw new EstimationError(`term ${term} is not in the model ${model.formula}`);
  if (!Number.isFinite(row.coef)) throw new EstimationError(`the coefficient of ${term} could not be estimated (collinear or no variation)`);
  const entry: HrEntry = {
    hr: row.hr,
    lower: row.hrLower,
    upper: row.hrUpper,
    p: row.p,
    n: nPatients ?? model.fit.n,
    events: model.fit.nevent,
    adjusted: covariates.length > 0,
    covariates,
    term,
    formula: model.formula,
    robust: row.robustSe !== null && row.robustSe !== undefined,
    se: row.se,
    robust_se: row.robustSe ?? null,
    warnings: [...model.fit.warnings],
  };
  if (nPatients !== undefined) entry.n_rows = model.fit.n;
  return entry;
}

/** All coefficients of a model (for the adjusted models' full tables). */
export function coefficientTable(model: CoxModelResult): { term: string; hr: number; lower: number; upper: number; p: number; coef: number; se: number; robust_se: number | null }[] {
  return coxSummaryRows(model.fit).map((r) => ({ term: r.term, coef: r.coef, se: r.se, robust_se: r.robustSe ?? null, hr: r.hr, lower: r.hrLower, upper: r.hrUpper, p: r.p }));
}

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

/** Runs an analysis; a data limitation (EstimationError) becomes { skipped: reason }. */
export function orSkip<T>(f: () => T): T | Skipped {
  try {
    return f();
  } catch (err) {
    if (err instanceof EstimationError) return { skipped: err.message };
    throw err;
  }
}

export const breaksUpTo = (step: number, max: number): number[] => Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);

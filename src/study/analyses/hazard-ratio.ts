/**
 * A Cox model fitted from an R formula on the analysis dataset, and one term of it as the
 * hazard-ratio entry results.json reports (HR, CI, p, n, events, SEs, warnings).
 *
 * Models are specified as R formulas on the analysis-dataset column names so that reproduce.R
 * fits exactly the same models in R from the CSVs.
 */
import { coxph, coxSummaryRows, type CoxFit } from '../../stats/cox.js';
import { EstimationError } from '../../core/errors.js';
import { buildModelFrame, type ModelFrame } from '../../stats/model-frame.js';
import type { DataTable } from '../../core/types.js';
import { numberColumn } from '../../data/table-ops.js';

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
    // Unset unless asked for: coxph then follows R's default, robust when there is a cluster()
    // term OR the weights are not whole numbers (IPTW); forcing false here would silently give
    // naive SEs for a weighted fit without cluster().
    robust: options.robust,
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

/**
 * Refuses a Cox model of `exposure` (0/1) whose exposure groups (rows with a positive weight, when
 * weighted) hold fewer than `minEvents` events: with none R's coxph reports a coefficient drifting
 * towards infinity, and with a handful the estimate is noise. An EstimationError, so orSkip
 * reports the model as skipped with this reason.
 */
export function requireEventsPerGroup(table: DataTable, exposure: string, event: string, minEvents: number, labels: [string, string], weights: ArrayLike<number> | null = null): void {
  const x = numberColumn(table, exposure);
  const d = numberColumn(table, event);
  const events = [0, 0];
  for (let i = 0; i < table.nrow; i++) {
    if (weights !== null && !(weights[i]! > 0)) continue;
    if (d[i] === 1 && (x[i] === 0 || x[i] === 1)) events[x[i]!]!++;
  }
  for (const g of [1, 0]) {
    if (events[g]! < minEvents) {
      throw new EstimationError(`the "${labels[g]}" group has ${events[g]} event${events[g] === 1 ? '' : 's'}, fewer than the protocol's minimum of ${minEvents} (analyses.min_events_per_group)`);
    }
  }
}

/**
 * The JSON form of a Kaplan–Meier fit (kaplan-meier.ts): the one serializer of survfit results,
 * used by `oncosurv km --json` and by the study's results.json (study/analyses/km-curves.ts,
 * ccw-analysis.ts), so a field has one name and one rule everywhere. Formatting only: it reads
 * the typed result and never recomputes.
 *
 * Inputs:  a KaplanMeierCurve (one stratum) or a KaplanMeierFit.
 * Outputs: plain objects with snake_case keys and plain number arrays; a confidence limit R
 *          gives as NA (NaN here) is null, as are medians that do not exist.
 *          kmCurveJson: the curve at every distinct time (R's fit$time, surv, lower, upper,
 *          n.risk, n.event, n.censor) with n, events and print.survfit's median and limits.
 *          kmAtJson: summary(fit, times =) rows. kmFitJson: the CLI's --json contract (README):
 *          every curve with rmean, rmean_se, std_err and `at`.
 */
import type { KaplanMeierCurve, KaplanMeierFit } from './kaplan-meier.js';

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
}

export interface KmAtJson {
  time: number[];
  surv: number[];
  std_err: (number | null)[];
  lower: (number | null)[];
  upper: (number | null)[];
  n_risk: number[];
}

export interface KmFitJson {
  conf_type: string;
  n_dropped: number;
  strata: (KmCurveJson & { rmean: number | null; rmean_se: number | null; std_err: (number | null)[]; at: KmAtJson | null })[];
}

/** NaN (R's NA) and infinities are null in JSON. */
const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function kmCurveJson(c: KaplanMeierCurve): KmCurveJson {
  return {
    name: c.name,
    n: c.n,
    events: c.events,
    median: c.median,
    median_lower: c.medianLower,
    median_upper: c.medianUpper,
    time: Array.from(c.time),
    surv: Array.from(c.surv),
    lower: Array.from(c.lower, finiteOrNull),
    upper: Array.from(c.upper, finiteOrNull),
    n_risk: Array.from(c.nRisk),
    n_event: Array.from(c.nEvent),
    n_censor: Array.from(c.nCensor),
  };
}

export function kmAtJson(at: NonNullable<KaplanMeierCurve['at']>): KmAtJson {
  return {
    time: Array.from(at.time),
    surv: Array.from(at.surv),
    std_err: Array.from(at.stdErr, finiteOrNull),
    lower: Array.from(at.lower, finiteOrNull),
    upper: Array.from(at.upper, finiteOrNull),
    n_risk: Array.from(at.nRisk),
  };
}

/** The `oncosurv km --json` contract; `at` is null unless times were asked for. */
export function kmFitJson(fit: KaplanMeierFit, nDropped: number, withTimes: boolean): KmFitJson {
  return {
    conf_type: fit.confType,
    n_dropped: nDropped,
    strata: fit.strata.map((c) => ({
      ...kmCurveJson(c),
      rmean: finiteOrNull(c.rmean),
      rmean_se: finiteOrNull(c.rmeanSe),
      std_err: Array.from(c.stdErr, finiteOrNull),
      at: withTimes && c.at ? kmAtJson(c.at) : null,
    })),
  };
}

/**
 * Target-trial emulation for the study by clone–censor–weight (src/causal/clone-censor-weight.ts):
 * strategy A "curative surgery within the grace period" vs strategy B "no surgery", time zero at
 * immunotherapy start, censoring weights from a pooled logistic (or Cox) model on the protocol's
 * adjustment covariates, and percentile CIs from a seeded bootstrap over patients (worker threads:
 * --workers, default one per core; the CIs do not depend on the count).
 */
import { availableParallelism } from 'node:os';
import { cloneCensorWeight } from '../../causal/clone-censor-weight.js';
import type { Progress } from '../../core/progress.js';
import { numberColumn } from '../../data/table-ops.js';
import { EstimationError } from '../../core/errors.js';
import { buildModelFrame } from '../../stats/model-frame.js';
import type { KaplanMeierCurve } from '../../stats/kaplan-meier.js';
import { kmCurveJson } from '../../stats/kaplan-meier-json.js';
import type { DataTable } from '../../core/types.js';
import type { Protocol } from '../protocol.js';
import type { Skipped } from './skipped.js';

export interface CcwAnalysis {
  grace_months: number;
  censoring_model: string;
  interval_months: number;
  covariates: string[];
  /** Winsorizing quantiles of the censoring weights (protocol), or null for none. */
  truncate_percentiles: [number, number] | null;
  hr: { hr: number; lower: number; upper: number; p: number; n: number; events: number; adjusted: boolean; covariates: string[]; ci_method: string; robust_lower: number; robust_upper: number };
  arms: { name: string; clones: number; censored_at_deviation: number; events: number; survival: { time: number; surv: number; lower: number | null; upper: number | null }[]; curve: { time: number[]; surv: number[] } }[];
  survival_difference: { time: number; difference: number; lower: number | null; upper: number | null }[];
  /** The weights used (after truncation, if any). */
  weights: { min: number; max: number; mean: number };
  /** With truncation: the weights before it, the bounds (type-7 quantiles over all clone rows) and the number of clone rows changed. */
  weight_truncation: { before: { min: number; max: number; mean: number }; after: { min: number; max: number; mean: number }; bounds: [number, number]; truncated_rows: number; clone_rows: number } | null;
  bootstrap: { replicates: number; failures: number; seed: number } | null;
}

/** The weighted KM step function the report draws: the time and surv fields of kmCurveJson. */
function stepFunction(curve: KaplanMeierCurve): { time: number[]; surv: number[] } {
  const { time, surv } = kmCurveJson(curve);
  return { time, surv };
}

export async function cloneCensorWeightAnalysis(data: DataTable, protocol: Protocol, options: { seed: number; workers?: number; progress: Progress }): Promise<CcwAnalysis | Skipped> {
  const c = protocol.analyses.clone_censor_weight;
  const covs = protocol.covariates.adjusted;
  try {
    const os = numberColumn(data, 'os_months');
    const surgery = numberColumn(data, 'surgery_months');
    const frame = buildModelFrame(`Surv(os_months, death) ~ ${covs.join(' + ')}`, data);
    if (frame.survival === null) throw new EstimationError('no survival outcome');
    const rows = frame.rows;
    const exposure = Float64Array.from(rows, (i) => (Number.isNaN(surgery[i]!) ? NaN : Math.min(surgery[i]!, os[i]!)));
    const replicates = protocol.analyses.bootstrap_replicates;
    const r = await cloneCensorWeight({
      time: frame.survival.stop,
      event: frame.survival.event,
      exposureTime: exposure,
      grace: c.grace_months,
      covariates: frame.design,
      model: c.censoring_model,
      intervalLength: c.interval_months,
      times: c.survival_times_months,
      truncate: c.truncate_percentiles ?? null,
      bootstrap: replicates > 0 ? { replicates, seed: options.seed, workers: options.workers ?? availableParallelism(), progress: options.progress } : null,
      source: 'analysis dataset',
    });
    const b = r.bootstrap;
    const finiteOrNull = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);
    return {
      grace_months: c.grace_months,
      censoring_model: c.censoring_model,
      interval_months: c.interval_months,
      covariates: covs,
      truncate_percentiles: c.truncate_percentiles ?? null,
      hr: {
        hr: r.hazardRatio.estimate,
        lower: b ? b.hazardRatio.lower : r.hazardRatio.lower,
        upper: b ? b.hazardRatio.upper : r.hazardRatio.upper,
        p: r.hazardRatio.p,
        n: frame.survival.n,
        events: r.arms[0].events + r.arms[1].events,
        adjusted: true,
        covariates: covs,
        ci_method: b ? `percentile bootstrap, ${b.replicates} replicates (seed ${b.seed})` : 'robust (patient-clustered) Wald',
        robust_lower: r.hazardRatio.lower,
        robust_upper: r.hazardRatio.upper,
      },
      arms: r.arms.map((arm, k) => ({
        name: arm.name,
        clones: arm.clones,
        censored_at_deviation: arm.censoredAtDeviation,
        events: arm.events,
        survival: r.times.map((t, j) => ({ time: t, surv: arm.survival[j]!, lower: finiteOrNull((k === 0 ? b?.survivalA : b?.survivalB)?.[j]?.lower), upper: finiteOrNull((k === 0 ? b?.survivalA : b?.survivalB)?.[j]?.upper) })),
        curve: stepFunction(arm.curve),
      })),
      survival_difference: r.times.map((t, j) => ({ time: t, difference: r.survivalDifference[j]!, lower: finiteOrNull(b?.survivalDifference[j]?.lower), upper: finiteOrNull(b?.survivalDifference[j]?.upper) })),
      weights: r.weights,
      weight_truncation: r.truncation ? { before: r.truncation.before, after: r.weights, bounds: r.truncation.bounds, truncated_rows: r.truncation.truncated, clone_rows: r.clones.n } : null,
      bootstrap: b ? { replicates: b.replicates, failures: b.failures, seed: b.seed } : null,
    };
  } catch (err) {
    if (err instanceof EstimationError) return { skipped: err.message };
    throw err;
  }
}

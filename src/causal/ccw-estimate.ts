/**
 * Clone–censor–weight, the point estimate (steps 1–4 of clone-censor-weight.ts's header,
 * without the bootstrap).
 *
 * Inputs:  CloneCensorWeightInput.
 * Outputs: CcwEstimate: per strategy the clone counts and the weighted Kaplan–Meier curve and
 *          survival at `times`, the survival difference A − B, the hazard ratio A vs B from the
 *          weighted Efron Cox model on the strategy indicator with robust SE clustered on the
 *          patient (normal CI and Wald p), the weight summary and truncation, the censoring
 *          model, and the weighted clone rows.
 * Method:  validate (ccw-input.ts), clone (ccw-clones.ts), weight (ccw-censoring-weights.ts),
 *          optionally truncate (ccw-truncation.ts), then stats/kaplan-meier.ts and stats/cox.ts
 *          on the weighted clone rows.
 */
import { kaplanMeier, type KaplanMeierCurve } from '../stats/kaplan-meier.js';
import { coxph } from '../stats/cox.js';
import { normalCdf, normalQuantile } from '../stats/distributions.js';
import type { DesignMatrix } from '../stats/types.js';
import { validateCcwInput, type CensoringModel, type CloneCensorWeightInput } from './ccw-input.js';
import { buildCloneRows, requireBothStrategies, STRATEGY_NAMES } from './ccw-clones.js';
import { fitCensoringWeights } from './ccw-censoring-weights.js';
import { summarizeWeights, truncateCloneWeights, type WeightSummary } from './ccw-truncation.js';

export interface CcwArm {
  name: string;
  /** Clones that start follow-up under this strategy. */
  clones: number;
  /** Of them, clones censored at deviation from the strategy. */
  censoredAtDeviation: number;
  /** Events among clones while following the strategy (unweighted). */
  events: number;
  curve: KaplanMeierCurve;
  /** Weighted KM survival at `times`. */
  survival: Float64Array;
}

export interface CcwEstimate {
  times: number[];
  arms: [CcwArm, CcwArm];
  /** Survival A − B at `times`. */
  survivalDifference: Float64Array;
  /** Strategy A vs B, weighted Cox, robust SE clustered on patient. */
  hazardRatio: { estimate: number; logHr: number; robustSe: number; lower: number; upper: number; p: number };
  /** Summary of the weights used (after truncation, if any). */
  weights: WeightSummary;
  /** Truncation of step 3, or null when not asked for. */
  truncation: CcwTruncation | null;
  censoringModel: { model: CensoringModel; names: string[]; coefficients: Float64Array };
  clones: { n: number; start: Float64Array; stop: Float64Array; event: Uint8Array; weight: Float64Array; strategyA: Uint8Array; patient: Int32Array };
}

export interface CcwTruncation {
  percentiles: [number, number];
  /** q_lo, q_hi: the type-7 quantiles of the clone-row weights. */
  bounds: [number, number];
  /** Clone rows whose weight was changed (raised to q_lo or lowered to q_hi). */
  truncated: number;
  /** Summary of the weights before truncation. */
  before: WeightSummary;
}

/** The point estimate (steps 1–4 of the module header), without bootstrap. */
export function estimateCloneCensorWeight(input: CloneCensorWeightInput): CcwEstimate {
  const { model, dt, kGrace } = validateCcwInput(input);
  const n = input.time.length;
  const cloneRows = buildCloneRows(input, dt, kGrace);
  requireBothStrategies(cloneRows.nA, cloneRows.nB, input.grace);
  const cens = fitCensoringWeights(input, cloneRows, model, dt, null, null);
  const rows = cloneRows.rows;
  const m = rows.n;
  const clones = { n: m, start: rows.start, stop: rows.stop, event: rows.event, weight: cens.rowWeight, strategyA: rows.strategyA, patient: rows.patient };
  let weights = summarizeWeights(clones.weight);
  let truncation: CcwTruncation | null = null;
  if (input.truncate) {
    const before = weights;
    const t = truncateCloneWeights(clones.weight, input.truncate, null);
    weights = summarizeWeights(clones.weight);
    truncation = { percentiles: [input.truncate[0], input.truncate[1]], bounds: t.bounds, truncated: t.truncated, before };
  }
  const y = { n: m, start: clones.start, stop: clones.stop, event: clones.event };
  const km = kaplanMeier(y, { codes: Int32Array.from(rows.strategyA, (a) => (a ? 0 : 1)), names: STRATEGY_NAMES.slice() }, { weights: clones.weight, times: input.times });
  const survival = km.strata.map((c) => Float64Array.from(input.times, (_, k) => c.at!.surv[k]));
  const armsOut = [0, 1].map((g) => ({
    name: STRATEGY_NAMES[g], clones: g === 0 ? n : cloneRows.nB, censoredAtDeviation: g === 0 ? cloneRows.devA : cloneRows.devB, events: g === 0 ? cloneRows.eventsA : cloneRows.eventsB,
    curve: km.strata[g], survival: survival[g],
  })) as [CcwArm, CcwArm];
  const x: DesignMatrix = { n: m, p: 1, columns: [Float64Array.from(rows.strategyA)], names: ['strategyA'], assign: Int32Array.of(0), termLabels: ['strategyA'] };
  const fit = coxph(x, y, { weights: clones.weight, cluster: clones.patient, robust: true });
  const b = fit.coefficients[0];
  const se = fit.robustSe ? fit.robustSe[0] : fit.se[0];
  const zq = normalQuantile(1 - (1 - (input.confLevel ?? 0.95)) / 2);
  return {
    times: input.times.slice(),
    arms: armsOut,
    survivalDifference: Float64Array.from(input.times, (_, k) => survival[0][k] - survival[1][k]),
    hazardRatio: { estimate: Math.exp(b), logHr: b, robustSe: se, lower: Math.exp(b - zq * se), upper: Math.exp(b + zq * se), p: 2 * normalCdf(-Math.abs(b / se)) },
    weights,
    truncation,
    censoringModel: cens.summary,
    clones,
  };
}

/**
 * Clone–censor–weight, its inputs and their checks (validation, one job of the analysis in
 * clone-censor-weight.ts).
 *
 * Inputs:  CloneCensorWeightInput (see clone-censor-weight.ts's header).
 * Outputs: validateCcwInput: the censoring model, the interval length dt and the grace period
 *          in intervals K = G / dt, or a typed error: InputError naming the 1-based row, column
 *          and value for bad data (time not positive and finite, exposure after the end of
 *          follow-up, covariate not finite, lengths that differ); SpecificationError for bad
 *          settings (grace or interval not positive, G not a whole number of intervals,
 *          truncation quantiles outside 0 <= lower < upper <= 1, unknown model).
 *          toCcwData: the serialisable part of the input that a bootstrap worker receives.
 */
import { InputError, SpecificationError } from '../core/errors.js';
import type { DesignMatrix } from '../stats/types.js';
import type { Progress } from '../core/progress.js';

export type CensoringModel = 'pooled-logistic' | 'cox';

export interface CloneCensorWeightInput {
  time: Float64Array;
  event: Uint8Array;
  /** Treatment start; NaN = never treated during follow-up. */
  exposureTime: Float64Array;
  /** Grace period G for strategy A. */
  grace: number;
  /** Baseline covariates for the censoring model (no intercept; may have p = 0). */
  covariates: DesignMatrix;
  model?: CensoringModel;
  intervalLength?: number;
  /** Times at which survival and its difference are reported. */
  times: number[];
  bootstrap?: { replicates: number; seed: number; workers?: number; progress?: Progress } | null;
  /** Winsorize the final clone-row weights at these quantile probabilities (see step 3); null/absent = none. */
  truncate?: [number, number] | null;
  confLevel?: number;
  /** File name, for error messages. */
  source?: string;
}

/** The serialisable inputs a bootstrap worker needs (sent to each worker once). */
export interface CcwData {
  time: Float64Array;
  event: Uint8Array;
  exposureTime: Float64Array;
  grace: number;
  covariates: DesignMatrix;
  model: CensoringModel;
  intervalLength: number;
  times: number[];
  truncate?: [number, number] | null;
}

export function toCcwData(input: CloneCensorWeightInput): CcwData {
  return {
    time: input.time, event: input.event, exposureTime: input.exposureTime, grace: input.grace, covariates: input.covariates,
    model: input.model ?? 'pooled-logistic', intervalLength: input.intervalLength ?? 1, times: input.times,
    truncate: input.truncate ?? null,
  };
}

/** The checks of the header; returns the settings every later step uses. */
export function validateCcwInput(input: CloneCensorWeightInput): { model: CensoringModel; dt: number; kGrace: number } {
  const { time, event, exposureTime, grace } = input;
  const n = time.length;
  const model = input.model ?? 'pooled-logistic';
  const dt = input.intervalLength ?? 1;
  const z = input.covariates;
  if (event.length !== n || exposureTime.length !== n || z.n !== n) throw new InputError(`clone-censor-weight: time (${n}), event (${event.length}), exposureTime (${exposureTime.length}) and covariates (${z.n}) must have the same length`);
  if (!(grace > 0) || !Number.isFinite(grace)) throw new SpecificationError('clone-censor-weight: grace period must be a positive number', { value: String(grace) });
  if (!(dt > 0) || !Number.isFinite(dt)) throw new SpecificationError('clone-censor-weight: intervalLength must be a positive number', { value: String(dt) });
  const kGrace = Math.round(grace / dt);
  if (Math.abs(kGrace * dt - grace) > 1e-9 * grace) throw new SpecificationError(`clone-censor-weight: the grace period (${grace}) must be a whole number of intervals of length ${dt}`, { value: String(grace) });
  const tr = input.truncate;
  if (tr !== null && tr !== undefined) {
    if (!Array.isArray(tr) || tr.length !== 2 || !(tr[0] >= 0 && tr[1] <= 1 && tr[0] < tr[1])) throw new SpecificationError(`clone-censor-weight: truncation quantiles must satisfy 0 <= lower < upper <= 1, not ${String(tr)}`, { value: String(tr) });
  }
  if (model !== 'pooled-logistic' && model !== 'cox') throw new SpecificationError(`clone-censor-weight: unknown censoring model "${String(model)}" (pooled-logistic or cox)`, { value: String(model) });
  for (let i = 0; i < n; i++) {
    if (!(time[i] > 0) || !Number.isFinite(time[i])) throw new InputError('follow-up time must be a positive finite number', { file: input.source, row: i + 1, column: 'time', value: String(time[i]) });
    if (exposureTime[i] > time[i]) throw new InputError(`exposure time is after the end of follow-up (${time[i]})`, { file: input.source, row: i + 1, column: 'exposureTime', value: String(exposureTime[i]) });
    for (let j = 0; j < z.p; j++) {
      if (!Number.isFinite(z.columns[j][i])) throw new InputError('covariate must be a finite number', { file: input.source, row: i + 1, column: z.names[j], value: String(z.columns[j][i]) });
    }
  }
  return { model, dt, kGrace };
}

/**
 * Simon–Makuch survival curves for a time-dependent exposure (Simon & Makuch 1984, Stat Med
 * 3:35): patients contribute to the "unexposed" curve until their exposure starts and to the
 * "exposed" curve afterwards, so nobody's pre-exposure (immortal) time is credited to the
 * exposed group.
 *
 * Inputs: time, event, exposureTime (NaN = never) per patient, optional exposure type codes and
 *   Kaplan–Meier options (confidence type/level, times).
 * Outputs: the split counting-process data (see time-split.ts for the tmerge conventions) and
 *   the Kaplan–Meier fit with two curves, `exposed=0` and `exposed=1`.
 * Method: split follow-up at the exposure time, then the counting-process Kaplan–Meier
 *   estimator with risk sets start < t <= stop, grouped by the CURRENT exposure of each row.
 *   The exposed curve's risk set grows as patients become exposed. This is exactly R's
 *   survfit(Surv(tstart, tstop, event) ~ exposed, data = tmerge(...)), which
 *   reference/r/simon-makuch.R computes for the tests.
 */
import { splitAtExposure, type ExposureSplit } from './time-split.js';
import { kaplanMeier, type KaplanMeierFit, type KaplanMeierOptions } from '../stats/kaplan-meier.js';
import { EstimationError } from '../core/errors.js';

export interface SimonMakuchInput {
  time: Float64Array;
  event: Uint8Array;
  exposureTime: Float64Array;
  exposureType?: Int32Array;
  source?: string;
}

export interface SimonMakuchResult {
  split: ExposureSplit;
  fit: KaplanMeierFit;
}

/** Kaplan–Meier curves by current exposure status on (start, stop] split data. */
export function simonMakuch(input: SimonMakuchInput, options: Omit<KaplanMeierOptions, 'weights'> = {}): SimonMakuchResult {
  const split = splitAtExposure({ time: input.time, event: input.event, exposureTime: input.exposureTime, exposureType: input.exposureType, source: input.source });
  let nExposed = 0;
  for (let k = 0; k < split.n; k++) nExposed += split.exposed[k];
  if (nExposed === 0) throw new EstimationError('Simon–Makuch: nobody is exposed during follow-up');
  if (nExposed === split.n) throw new EstimationError('Simon–Makuch: everybody is exposed from the start; there is no unexposed time');
  const codes = Int32Array.from(split.exposed);
  const fit = kaplanMeier({ n: split.n, start: split.start, stop: split.stop, event: split.event }, { codes, names: ['exposed=0', 'exposed=1'] }, options);
  return { split, fit };
}

/**
 * Landmark analysis data (Anderson, Cain & Gelber 1983, J Clin Oncol 1:710): classify patients
 * by their exposure status at a fixed landmark time L and restart the clock at L, which removes
 * the immortal-time bias of comparing "ever exposed" with "never exposed".
 *
 * Inputs: `time`, `event` (end of follow-up and status), `exposureTime` (NaN = never), `landmark` L.
 * Outputs: for the kept patients only, `time` reset to time - L, `event`, `exposed`, and the
 *   0-based source indices `rows` (to pull covariates with).
 *
 * Conventions (the usual R idiom `subset(d, time > L)` then `exposed <- exposureTime <= L`):
 *  - kept if time > L: alive AND still in follow-up at L. A patient who dies or is censored at
 *    exactly L has no follow-up after the landmark and is dropped (as in R).
 *  - exposed if exposureTime <= L: treatment on the landmark day itself counts as "by L".
 *    Exposures after L are ignored (the patient stays in the unexposed group: intention to
 *    treat from the landmark).
 *  - exposureTime > time is impossible and is an InputError naming the 1-based row.
 */
import { InputError, SpecificationError } from '../core/errors.js';

export interface LandmarkInput {
  time: Float64Array;
  event: Uint8Array;
  exposureTime: Float64Array;
  landmark: number;
  source?: string;
}

export interface LandmarkData {
  n: number;
  landmark: number;
  time: Float64Array;
  event: Uint8Array;
  exposed: Uint8Array;
  /** 0-based indices of the kept patients in the input. */
  rows: Int32Array;
}

/** Patients alive and in follow-up after `landmark`, classified by exposure by then. */
export function landmark(input: LandmarkInput): LandmarkData {
  const { time, event, exposureTime } = input;
  const L = input.landmark;
  if (!Number.isFinite(L) || L < 0) throw new SpecificationError('landmark time must be a finite number >= 0', { value: String(L) });
  const n = time.length;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (exposureTime[i] > time[i]) {
      throw new InputError(`exposure time is after the end of follow-up (${time[i]})`, { file: input.source, row: i + 1, column: 'exposureTime', value: String(exposureTime[i]) });
    }
    if (time[i] > L) kept++;
  }
  const out: LandmarkData = {
    n: kept,
    landmark: L,
    time: new Float64Array(kept),
    event: new Uint8Array(kept),
    exposed: new Uint8Array(kept),
    rows: new Int32Array(kept),
  };
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (!(time[i] > L)) continue;
    out.time[k] = time[i] - L;
    out.event[k] = event[i] ? 1 : 0;
    out.exposed[k] = exposureTime[i] <= L ? 1 : 0; // NaN <= L is false: never exposed
    out.rows[k] = i;
    k++;
  }
  return out;
}

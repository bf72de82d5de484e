/**
 * Split each patient's follow-up at the time an exposure starts, giving counting-process
 * `(start, stop]` rows with a time-varying exposure indicator (R `survival::tmerge` with `tdc()`,
 * or `survSplit` at a per-patient cut point).
 *
 * Inputs (one entry per patient, all the same length n):
 *  - `time`, `event`: end of follow-up and its status (1 = event at `time`).
 *  - `exposureTime`: when the exposure starts, measured on the same clock; NaN = never exposed.
 *  - `exposureType` (optional): a positive integer code per patient naming WHICH exposure it is
 *    (e.g. 1 = resection, 2 = transplant). Exposed rows carry it; unexposed rows carry 0.
 *  - `id` (optional): patient identifiers copied to the output (default 1..n).
 *  - `covariates` (optional): baseline columns copied onto every row of the patient.
 * Outputs: columns of the split data; `row` is the 0-based source row of each output row.
 *
 * Conventions (checked against R 4.x survival 3.5.3 `tmerge(..., ex = tdc(exposureTime))`):
 *  - exposureTime <= 0: exposed for the whole follow-up, one row (0, time], exposed = 1.
 *  - 0 < exposureTime < time: two rows, (0, e] unexposed with event 0 and (e, time] exposed
 *    carrying the event. The event stays on the row that contains `time`.
 *  - exposureTime == time: tmerge makes no split (the change happens when follow-up ends), so
 *    the patient is unexposed for the whole follow-up. We do the same.
 *  - exposureTime > time: impossible in a registry (treatment recorded after the last contact),
 *    so an InputError naming the 1-based row and value, rather than silently ignoring it.
 */
import { InputError } from '../core/errors.js';

export interface ExposureSplitInput {
  id?: Int32Array;
  time: Float64Array;
  event: Uint8Array;
  /** NaN = never exposed. */
  exposureTime: Float64Array;
  /** Positive code of the exposure type per patient (ignored where exposureTime is NaN). */
  exposureType?: Int32Array;
  covariates?: Record<string, Float64Array>;
  /** File name for error messages. */
  source?: string;
}

export interface ExposureSplit {
  n: number;
  id: Int32Array;
  start: Float64Array;
  stop: Float64Array;
  event: Uint8Array;
  /** 1 on rows after the exposure started. */
  exposed: Uint8Array;
  /** Exposure type code on exposed rows (1 if no types were given), 0 on unexposed rows. */
  exposureType: Int32Array;
  /** 0-based source row. */
  row: Int32Array;
  covariates: Record<string, Float64Array>;
}

/** Splits follow-up at the exposure time; see the module header for the tmerge conventions. */
export function splitAtExposure(input: ExposureSplitInput): ExposureSplit {
  const { time, event, exposureTime } = input;
  const n = time.length;
  if (event.length !== n || exposureTime.length !== n) {
    throw new InputError(`splitAtExposure: time (${n}), event (${event.length}) and exposureTime (${exposureTime.length}) must have the same length`);
  }
  // First pass: validate and count output rows, so every output is one typed array.
  let total = 0;
  for (let i = 0; i < n; i++) {
    const t = time[i];
    const e = exposureTime[i];
    if (!(t > 0) || !Number.isFinite(t)) {
      throw new InputError('follow-up time must be a positive finite number', { file: input.source, row: i + 1, column: 'time', value: String(t) });
    }
    if (e > t) {
      throw new InputError(`exposure time is after the end of follow-up (${t})`, { file: input.source, row: i + 1, column: 'exposureTime', value: String(e) });
    }
    if (input.exposureType !== undefined && !Number.isNaN(e) && !(input.exposureType[i] > 0)) {
      throw new InputError('exposure type code must be a positive integer for an exposed patient', { file: input.source, row: i + 1, column: 'exposureType', value: String(input.exposureType[i]) });
    }
    total += e > 0 && e < t ? 2 : 1;
  }
  const out: ExposureSplit = {
    n: total,
    id: new Int32Array(total),
    start: new Float64Array(total),
    stop: new Float64Array(total),
    event: new Uint8Array(total),
    exposed: new Uint8Array(total),
    exposureType: new Int32Array(total),
    row: new Int32Array(total),
    covariates: {},
  };
  const covNames = Object.keys(input.covariates ?? {});
  for (const name of covNames) out.covariates[name] = new Float64Array(total);
  let k = 0;
  const put = (i: number, start: number, stop: number, ev: number, exposed: number): void => {
    out.id[k] = input.id ? input.id[i] : i + 1;
    out.start[k] = start;
    out.stop[k] = stop;
    out.event[k] = ev;
    out.exposed[k] = exposed;
    out.exposureType[k] = exposed ? (input.exposureType ? input.exposureType[i] : 1) : 0;
    out.row[k] = i;
    for (const name of covNames) out.covariates[name][k] = input.covariates![name][i];
    k++;
  };
  for (let i = 0; i < n; i++) {
    const t = time[i];
    const e = exposureTime[i];
    const ev = event[i] ? 1 : 0;
    if (Number.isNaN(e) || e >= t) put(i, 0, t, ev, 0);
    else if (e <= 0) put(i, 0, t, ev, 1);
    else {
      put(i, 0, e, 0, 0);
      put(i, e, t, ev, 1);
    }
  }
  return out;
}

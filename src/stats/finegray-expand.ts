/**
 * The Fine–Gray model by R's other route: survival::finegray() expands the data with
 * time-dependent censoring weights, then a weighted (start, stop] Cox model is fitted:
 * coxph(Surv(fgstart, fgstop, fgstatus) ~ x, weights = fgwt [, cluster = id]).
 *
 * Inputs:  a CompetingRisksOutcome, the cause code (1..k); for the fit also the DesignMatrix,
 *          CoxOptions (ties; `cluster: 'id'` clusters the expanded rows by subject).
 * Outputs: FineGrayExpansion: for every new row its original row, (start, stop], status (1 = the
 *          cause) and weight, in finegray's order (each subject's rows together, subjects in
 *          data order); fineGrayCox: the CoxFit on the expanded data.
 * Method:  finegray(), no strata, no delayed entry: times get R's aeqSurv; the censoring
 *          distribution G is the Kaplan–Meier estimate of censoring with every event moved
 *          just before the censorings at its time (finegray's "- 0.2" on the time index), so a
 *          subject with an event at t is not in the censoring risk set at t. A subject with a
 *          competing event at T keeps one row (0, c] with weight 1 up to the first censoring
 *          time c >= T, then one row per later censoring interval (c_{j-1}, c_j] that contains
 *          an event of the cause, with weight G(c_j-)/G(c-). The first start is 0 (or
 *          2 min(T) - 1 when a time is 0).
 * Variances (why they differ from crr's): coxph reports the sandwich treating the weights as
 *          fixed; without a cluster each expanded row counts as independent (coxph's default
 *          for non-integer weights), with cluster = id the rows of a subject are summed first.
 *          Neither includes crr's psi term for estimating G (fine-gray.ts), and `naiveVariance`
 *          is the inverse weighted information. Estimates also differ slightly from crr's when
 *          events and censorings are tied, because crr's G counts the tied events as at risk
 *          for censoring (survfit(Surv(ftime, cenind))), and by ties = "efron" (crr: Breslow).
 * Reference: R survival 3.5 finegray() and src/finegray.c; Therneau, Crowson & Atkinson,
 *          "Multi-state models and competing risks" (survival vignette), section 4; Geskus
 *          (2011), Biometrics 67:39-49.
 */
import { lowerBound } from '../core/binary-search.js';
import { coxph, type CoxFit, type CoxOptions } from './cox.js';
import { SpecificationError } from '../core/errors.js';
import { timefix } from './timefix.js';
import type { CompetingRisksOutcome } from './competing-risks-frame.js';
import type { DesignMatrix } from './types.js';

export interface FineGrayExpansion {
  /** Original row (0-based) of each new row. */
  row: Int32Array;
  start: Float64Array;
  stop: Float64Array;
  status: Uint8Array;
  weight: Float64Array;
}

/** survival::finegray(Surv(time, factor(status)) ~ ., etype = cause). */
export function finegrayExpand(y: CompetingRisksOutcome, causeCode: number): FineGrayExpansion {
  if (!(causeCode >= 1 && causeCode <= y.causes.length)) throw new SpecificationError(`cause code ${causeCode} is not one of 1..${y.causes.length}`);
  const n = y.n;
  const time = timefix(y.time, null).stop;
  let minTime = Infinity;
  let maxTime = -Infinity;
  for (let i = 0; i < n; i++) {
    minTime = Math.min(minTime, time[i]!);
    maxTime = Math.max(maxTime, time[i]!);
  }
  const zero = minTime > 0 ? 0 : 2 * minTime - 1;
  // Censoring Kaplan–Meier with events before censorings at the same time.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a]! - time[b]!);
  const ctime: number[] = [];
  const cprob: number[] = [];
  let g = 1;
  for (let i = 0; i < n; ) {
    const t = time[order[i]!]!;
    let j = i;
    let censored = 0;
    let events = 0;
    while (j < n && time[order[j]!] === t) {
      if (y.cause[order[j]!] === 0) censored++;
      else events++;
      j++;
    }
    if (censored > 0) {
      const atRisk = n - i - events;
      g *= 1 - censored / atRisk;
      ctime.push(t);
      cprob.push(g);
    }
    i = j;
  }
  const ct2 = Float64Array.from([...ctime, maxTime]);
  const cp2 = Float64Array.from([1, ...cprob]);
  const ncut = ct2.length;
  // keep[j]: the interval (ct2[j-1], ct2[j]] holds an event of the cause
  const keep = new Uint8Array(ncut);
  keep[0] = 1;
  for (let i = 0; i < n; i++) {
    if (y.cause[i] !== causeCode) continue;
    const j = lowerBound(ct2, time[i]!);
    if (j >= 1 && j < ncut) keep[j] = 1;
  }
  const row: number[] = [];
  const start: number[] = [];
  const stop: number[] = [];
  const status: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = y.cause[i]!;
    const expand = c !== 0 && c !== causeCode;
    let j = 0;
    if (expand) j = lowerBound(ct2, time[i]!); // first ct2 >= time
    row.push(i);
    start.push(zero);
    stop.push(expand ? ct2[j]! : time[i]!);
    status.push(c === causeCode ? 1 : 0);
    weight.push(1);
    if (!expand) continue;
    const base = cp2[j]!;
    for (let jj = j + 1; jj < ncut; jj++) {
      if (!keep[jj]) continue;
      row.push(i);
      start.push(ct2[jj - 1]!);
      stop.push(ct2[jj]!);
      status.push(0);
      weight.push(cp2[jj]! / base);
    }
  }
  return { row: Int32Array.from(row), start: Float64Array.from(start), stop: Float64Array.from(stop), status: Uint8Array.from(status), weight: Float64Array.from(weight) };
}

export interface FineGrayCoxOptions {
  ties?: CoxOptions['ties'];
  /** 'id': robust variance clustered by subject; 'row' (default, as coxph without cluster): each expanded row its own cluster. */
  cluster?: 'id' | 'row';
}

/** coxph(Surv(fgstart, fgstop, fgstatus) ~ x, weights = fgwt [, cluster = id], data = finegray(...)). */
export function fineGrayCox(x: DesignMatrix, y: CompetingRisksOutcome, causeCode: number, options: FineGrayCoxOptions = {}): { fit: CoxFit; expansion: FineGrayExpansion } {
  if (x.n !== y.n) throw new SpecificationError(`design has ${x.n} rows, outcome ${y.n}`);
  const e = finegrayExpand(y, causeCode);
  const m = e.row.length;
  const columns = x.columns.map((col) => Float64Array.from(e.row, (r) => col[r]!));
  const design: DesignMatrix = { ...x, n: m, columns };
  const cluster = options.cluster === 'id' ? Int32Array.from(e.row) : null;
  const fit = coxph(design, { n: m, start: e.start, stop: e.stop, event: e.status }, { ties: options.ties ?? 'efron', weights: e.weight, cluster });
  return { fit, expansion: e };
}

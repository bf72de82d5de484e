/**
 * The survival comparisons of the hcc-conversion design:
 *  - naive: surgery as a baseline group (KM, log-rank, Cox) — subject to immortal-time bias;
 *  - time-dependent Cox (MAIN): surgery as a time-varying exposure on counting-process rows,
 *    robust SEs clustered on patient; unadjusted, adjusted, and resection/transplant separately;
 *  - landmark analyses at each protocol landmark (KM from L, log-rank, adjusted Cox);
 *  - Simon–Makuch curves (KM on the counting-process rows by current exposure);
 *  - RMST at each tau in the main landmark cohort.
 * Reference: Suissa S, Am J Epidemiol 2008;167:492 (immortal time); Anderson JR, Cain KC,
 * Gelber RD, J Clin Oncol 1983;1:710 (landmark); Simon R, Makuch RW, Stat Med 1984;3:35.
 */
import { landmark } from '../../causal/landmark.js';
import { splitAtExposure } from '../../causal/time-split.js';
import { takeRows, withNumberColumns, numberColumn } from '../../data/table-ops.js';
import { rmst } from '../../stats/rmst.js';
import type { DataTable } from '../../core/types.js';
import type { Protocol } from '../protocol.js';
import { breaksUpTo, coefficientTable, fitCox, hrEntry, kmWithRiskTable, orSkip, type HrEntry, type KmJson, type Skipped } from './common.js';

export const OS = 'Surv(os_months, death)';
export const OS_TD = 'Surv(tstart, tstop, death)';
export const OS_LM = 'Surv(lm_time, death)';

const rhs = (terms: string[]): string => terms.join(' + ');

export interface CountingProcess {
  table: DataTable;
  /** Patients whose surgery was recorded at or after last contact (months rounding): unexposed in the model. */
  surgeryAtLastContact: number;
}

/** Counting-process rows: follow-up split at surgery, with surgery_td, resection_td, transplant_td. */
export function countingProcess(data: DataTable): CountingProcess {
  const time = numberColumn(data, 'os_months');
  const surg = numberColumn(data, 'surgery_months');
  const groupCol = data.columns.get('group');
  const group = groupCol?.kind === 'string' ? groupCol.values : [];
  let atEnd = 0;
  const exposure = Float64Array.from(surg, (s, i) => {
    if (Number.isNaN(s)) return NaN;
    if (s >= time[i]!) { atEnd++; return time[i]!; } // tmerge: a change at the end of follow-up makes no split
    return s;
  });
  const type = Int32Array.from(group, (g) => (g === 'transplant' ? 2 : 1));
  const split = splitAtExposure({ time, event: Uint8Array.from(numberColumn(data, 'death')), exposureTime: exposure, exposureType: type, source: 'analysis dataset' });
  const base = takeRows(data, split.row);
  const table = withNumberColumns(base, {
    tstart: split.start,
    tstop: split.stop,
    death: Float64Array.from(split.event),
    surgery_td: Float64Array.from(split.exposed),
    resection_td: Float64Array.from(split.exposureType, (t, k) => (split.exposed[k] === 1 && t === 1 ? 1 : 0)),
    transplant_td: Float64Array.from(split.exposureType, (t, k) => (split.exposed[k] === 1 && t === 2 ? 1 : 0)),
  });
  return { table, surgeryAtLastContact: atEnd };
}

export interface SurvivalResults {
  naive_cox: { unadjusted: HrEntry | Skipped; adjusted: HrEntry | Skipped; label: string };
  naive_km: KmJson;
  time_dependent_cox: (HrEntry & { coefficients: ReturnType<typeof coefficientTable>; main: true }) | Skipped;
  time_dependent_cox_unadjusted: HrEntry | Skipped;
  time_dependent_cox_by_type: { resection: HrEntry; transplant: HrEntry } | Skipped;
  landmark: ({ landmark_months: number; n: number; exposed: number; km: KmJson | Skipped; cox_unadjusted: HrEntry | Skipped; cox_adjusted: HrEntry | Skipped } )[];
  simon_makuch: KmJson | Skipped;
  rmst: ({ tau: number } & (ReturnType<typeof rmstJson> | Skipped))[];
}

function rmstJson(r: ReturnType<typeof rmst>) {
  return {
    groups: r.groups.map((g) => ({ name: g.name, n: g.n, events: g.events, rmst: g.rmst, se: g.se, lower: g.lower, upper: g.upper, rmtl: g.rmtl, rmtl_se: g.rmtlSe })),
    difference: r.difference,
    ratio: r.ratio,
    rmtl_ratio: r.rmtlRatio,
  };
}

/** The landmark cohort at L: time reset to L, exposure = surgery by L (surgery_lm). */
export function landmarkTable(data: DataTable, L: number): DataTable {
  const lm = landmark({ time: numberColumn(data, 'os_months'), event: Uint8Array.from(numberColumn(data, 'death')), exposureTime: Float64Array.from(numberColumn(data, 'surgery_months'), (s, i) => Math.min(s, numberColumn(data, 'os_months')[i]!)), landmark: L, source: 'analysis dataset' });
  return withNumberColumns(takeRows(data, lm.rows), { lm_time: lm.time, surgery_lm: Float64Array.from(lm.exposed) });
}

export function survivalAnalyses(data: DataTable, cp: CountingProcess, protocol: Protocol): SurvivalResults {
  const covs = protocol.covariates.adjusted;
  const ties = protocol.analyses.cox_ties;
  const breaks = breaksUpTo(protocol.analyses.km_break_months, protocol.analyses.km_max_months);
  const survTimes = [6, 12, 24, 36];
  const nPatients = data.nrow;

  const naiveUn = orSkip(() => hrEntry(fitCox(data, `${OS} ~ surgery`, { ties }), 'surgery', []));
  const naiveAdj = orSkip(() => hrEntry(fitCox(data, `${OS} ~ ${rhs(['surgery', ...covs])}`, { ties }), 'surgery', covs));
  const naiveKm = kmWithRiskTable(data, `${OS} ~ group`, breaks, survTimes);

  const tdMain = orSkip(() => {
    const m = fitCox(cp.table, `${OS_TD} ~ ${rhs(['surgery_td', ...covs, 'cluster(id)'])}`, { ties });
    return { ...hrEntry(m, 'surgery_td', covs, nPatients), coefficients: coefficientTable(m), main: true as const };
  });
  const tdUn = orSkip(() => hrEntry(fitCox(cp.table, `${OS_TD} ~ surgery_td + cluster(id)`, { ties }), 'surgery_td', [], nPatients));
  const tdType = orSkip(() => {
    const m = fitCox(cp.table, `${OS_TD} ~ ${rhs(['resection_td', 'transplant_td', ...covs, 'cluster(id)'])}`, { ties });
    return { resection: hrEntry(m, 'resection_td', covs, nPatients), transplant: hrEntry(m, 'transplant_td', covs, nPatients) };
  });

  const landmarks = protocol.analyses.landmark.months.map((L) => {
    const lm = landmarkTable(data, L);
    const exposed = numberColumn(lm, 'surgery_lm').reduce((a, b) => a + b, 0);
    const lmWithGroup: DataTable = { ...lm, columns: new Map(lm.columns).set('surgery_by_landmark', { kind: 'string', values: Array.from(numberColumn(lm, 'surgery_lm'), (v) => (v === 1 ? 'Surgery' : 'No surgery')), levels: ['No surgery', 'Surgery'] }) };
    return {
      landmark_months: L,
      n: lm.nrow,
      exposed,
      km: orSkip(() => kmWithRiskTable(lmWithGroup, `${OS_LM} ~ surgery_by_landmark`, breaks, survTimes)),
      cox_unadjusted: orSkip(() => hrEntry(fitCox(lm, `${OS_LM} ~ surgery_lm`, { ties }), 'surgery_lm', [])),
      cox_adjusted: orSkip(() => hrEntry(fitCox(lm, `${OS_LM} ~ ${rhs(['surgery_lm', ...covs])}`, { ties }), 'surgery_lm', covs)),
    };
  });

  const cpGrouped: DataTable = { ...cp.table, columns: new Map(cp.table.columns).set('current_exposure', { kind: 'string', values: Array.from(numberColumn(cp.table, 'surgery_td'), (v) => (v === 1 ? 'After surgery' : 'No surgery (yet)')), levels: ['No surgery (yet)', 'After surgery'] }) };
  const simonMakuch = orSkip(() => kmWithRiskTable(cpGrouped, `${OS_TD} ~ current_exposure`, breaks, survTimes, { logrank: false }));

  const mainLm = landmarkTable(data, protocol.analyses.landmark.main);
  const rmstResults = protocol.analyses.rmst_tau_months.map((tau) => ({
    tau,
    ...orSkip(() => {
      const y = { n: mainLm.nrow, start: null, stop: numberColumn(mainLm, 'lm_time'), event: Uint8Array.from(numberColumn(mainLm, 'death')) };
      const g = numberColumn(mainLm, 'surgery_lm');
      return rmstJson(rmst(y, { codes: Int32Array.from(g), names: ['No surgery', 'Surgery'] }, tau));
    }),
  }));

  return {
    naive_cox: { unadjusted: naiveUn, adjusted: naiveAdj, label: 'Subject to immortal-time bias: surgery treated as known at time zero' },
    naive_km: naiveKm,
    time_dependent_cox: tdMain,
    time_dependent_cox_unadjusted: tdUn,
    time_dependent_cox_by_type: tdType,
    landmark: landmarks,
    simon_makuch: simonMakuch,
    rmst: rmstResults,
  };
}

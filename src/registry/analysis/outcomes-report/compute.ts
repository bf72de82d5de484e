/**
 * The registry's outcome analyses (the statistician's report of the study design, "Analyses the
 * registry produces"), computed from an analysis export and the operational counts. Pure: no I/O,
 * no formatting; the result is results.json and the report's sections are built from it.
 *
 * Inputs:  ExportData (export-data.ts), RegistryOperations (services/operations.ts: counts only),
 *          options (minimum events per model level).
 * Outputs: OutcomesResults (typed numbers; `results.json`):
 *   - flow: screened -> eligible -> enrolled -> on ICI (os_days known) -> transplanted / resected /
 *     not operated -> follow-up status;
 *   - washout (days, operated patients): summary, histogram in 15-day bins, groups < 30, 30-89, >= 90;
 *   - Kaplan–Meier (R survfit, log CI, Greenwood): ITT OS from the first ICI dose (os_*), OS after
 *     surgery (post_surgery_os_*), RFS after surgery (rfs_*);
 *   - rejection among transplant recipients (rejection_days, rejection_status 1 = rejection, 2 = death
 *     first): cumulative incidence by washout group (cmprsk cuminc curves and variances, and at days
 *     90/180/365/730), Gray's test; Fine–Gray (crr) and cause-specific Cox (coxph, Efron) of
 *     rejection on washout in weeks (washout_days / 7), unadjusted and adjusted for regimen and
 *     immunosuppression as the design asks;
 *   - complete pathological response rate with the Wilson 95% CI (R: prop.test(x, n, correct = FALSE));
 *   - irAE grade table (events and patients by CTCAE grade, patients by worst grade).
 * Sparse covariates: a model adjusts for a factor only where its data support it. Rows missing the
 *   factor are left out of the adjusted model (complete case, as R's na.omit). The most frequent
 *   level is the reference; levels with fewer than `minEventsPerLevel` (default 5) rejections are
 *   pooled into one level "pooled", joined by the smallest other levels until the pool has that many;
 *   if it cannot reach it, or fewer than two levels remain, the factor is not adjusted for and `covariates[].reason` says why (the report states it)
 *   rather than fitting a model with a degenerate coefficient. The level mapping is recorded so
 *   reproduce.R fits the very same design.
 * Reference: study design docs (registry/ici-transplant.md); Aalen & Johansen (1978); Gray (1988);
 *   Fine & Gray (1999); Wilson (1927) JASA 22:209-212.
 */
import { kaplanMeier, type KaplanMeierCurve } from '../../../stats/kaplan-meier.js';
import { cumincCurves, cumincAt } from '../../../stats/cuminc-cmprsk.js';
import { grayTest } from '../../../stats/gray-test.js';
import { fineGray, fineGraySummaryRows } from '../../../stats/fine-gray.js';
import { causeSpecificCox } from '../../../stats/cause-specific-cox.js';
import { coxSummaryRows } from '../../../stats/cox.js';
import { quantiles } from '../../../stats/quantile.js';
import { normalQuantile } from '../../../stats/distributions.js';
import type { CompetingRisksOutcome } from '../../../stats/competing-risks-frame.js';
import type { DesignMatrix, Grouping } from '../../../stats/types.js';
import type { ExportData, PatientRow } from './export-data.js';

/** The operational counts the report shows (services/operations.ts returns this shape). */
export interface OperationsCounts {
  today: string;
  synthetic: boolean;
  sites: { code: string; name: string }[];
  enrolmentByMonth: { site: string; month: string; enrolled: number }[];
  screening: { site: string; records: number; screened: number; eligible: number; enrolled: number }[];
  completeness: { site: string; formId: string; formLabel: string; records: number; complete: number; incomplete: number }[];
  visits: { site: string; done: number; open: number; overdue: number; recordsOverdue: number }[];
  queries: { site: string; open: number; answered: number }[];
}

export interface KmResult {
  label: string;
  /** Column names in patients.csv. */
  time: string;
  event: string;
  n: number;
  events: number;
  median: number | null;
  median_lower: number | null;
  median_upper: number | null;
  /** survfit's step function at every distinct time. */
  curve: { time: number[]; n_risk: number[]; n_event: number[]; n_censor: number[]; surv: number[]; std_err: number[]; lower: (number | null)[]; upper: (number | null)[] };
  /** Numbers at risk at the report's x breaks (days). */
  risk_table: { time: number[]; n_risk: number[] };
}

export interface ModelTerm { term: string; coef: number; se: number; hr: number; lower: number; upper: number; p: number }
export interface ModelResult {
  label: string;
  adjusted_for: string[];
  n: number;
  events: number;
  converged: boolean;
  terms: ModelTerm[];
  /** The washout-per-week term (first term). */
  washout_per_week: ModelTerm;
}

export interface CovariateDecision {
  name: 'regimen' | 'immunosuppression';
  included: boolean;
  reference: string | null;
  /** Data level -> model level (the reference keeps its name; sparse levels become "pooled"). */
  mapping: Record<string, string>;
  levels: { level: string; n: number; rejections: number }[];
  missing: number;
  reason: string | null;
}

export type Skipped = { skipped: string };

export interface OutcomesResults {
  format: 'oncosurv-registry-outcomes';
  version: 1;
  synthetic: boolean;
  definition: { id: string; version: string };
  export_created: string;
  data_cut: string;
  suppress_below: number;
  suppression: boolean;
  operations: OperationsCounts;
  flow: {
    screened: number; eligible: number; enrolled: number; exported: number; on_ici: number;
    operated: number; transplanted: number; resected: number; not_operated: number;
    followup: { alive: number; dead: number; withdrawn: number; lost: number; unknown: number };
  };
  washout: { n: number; mean: number; median: number; q1: number; q3: number; min: number; max: number; histogram: { from: number; to: number; n: number }[]; groups: { group: string; n: number }[] } | Skipped;
  km: { itt_os: KmResult | Skipped; post_surgery_os: KmResult | Skipped; rfs: KmResult | Skipped };
  rejection: {
    n: number; rejections: number; deaths: number; censored: number;
    groups: { group: string; label: string; n: number; rejections: number; deaths: number }[];
    cuminc: { group: string; cause: number; time: number[]; est: number[]; var: number[] }[];
    at: { times: number[]; rows: { group: string; cause: number; est: (number | null)[]; var: (number | null)[] }[] };
    gray: { cause: number; statistic: number; df: number; p: number }[] | Skipped;
    covariates: CovariateDecision[];
    fine_gray: ModelResult | Skipped;
    cause_specific: ModelResult | Skipped;
    fine_gray_unadjusted: ModelResult | Skipped;
    cause_specific_unadjusted: ModelResult | Skipped;
  } | Skipped;
  pathology: { n: number; complete_response: number; rate: number | null; lower: number | null; upper: number | null; method: 'Wilson score (prop.test, correct = FALSE)' };
  irae: { patients: number; patients_with_irae: number; events: number; by_grade: { grade: number; events: number; patients: number; worst: number }[] };
}

export interface ComputeOptions {
  suppressBelow?: number;
  suppression?: boolean;
  minEventsPerLevel?: number;
}

export const WASHOUT_GROUPS = [
  { group: 'lt30', label: '< 30 days', test: (d: number) => d < 30 },
  { group: '30to89', label: '30–89 days', test: (d: number) => d >= 30 && d < 90 },
  { group: 'ge90', label: '≥ 90 days', test: (d: number) => d >= 90 },
] as const;
export const CUMINC_TIMES = [90, 180, 365, 730];
export const KM_BREAKS_DAYS = [0, 365, 730, 1095, 1461, 1826];
const POOLED = 'pooled';

const known = (x: number): boolean => !Number.isNaN(x);
const nul = (x: number): number | null => (Number.isFinite(x) ? x : null);

function kmResult(rows: PatientRow[], label: string, time: string, event: string, get: (p: PatientRow) => [number, number]): KmResult | Skipped {
  const used = rows.map(get).filter(([t, e]) => known(t) && known(e));
  if (used.length === 0) return { skipped: `no patient has ${time} and ${event}` };
  const fit = kaplanMeier({ n: used.length, start: null, stop: Float64Array.from(used, (u) => u[0]), event: Uint8Array.from(used, (u) => u[1]) }, null);
  const c: KaplanMeierCurve = fit.strata[0]!;
  const arr = (a: Float64Array): number[] => Array.from(a);
  const nRiskAt = (t: number): number => used.filter(([u]) => u >= t).length;
  return {
    label, time, event, n: c.n, events: c.events, median: c.median, median_lower: c.medianLower, median_upper: c.medianUpper,
    curve: { time: arr(c.time), n_risk: arr(c.nRisk), n_event: arr(c.nEvent), n_censor: arr(c.nCensor), surv: arr(c.surv), std_err: arr(c.stdErr), lower: Array.from(c.lower, nul), upper: Array.from(c.upper, nul) },
    risk_table: { time: [...KM_BREAKS_DAYS], n_risk: KM_BREAKS_DAYS.map(nRiskAt) },
  };
}

function outcome(time: number[], status: number[]): CompetingRisksOutcome {
  const causes = [...new Set(status.filter((s) => s > 0))].sort((a, b) => a - b);
  return { n: time.length, time: Float64Array.from(time), cause: Int32Array.from(status, (s) => (s === 0 ? 0 : causes.indexOf(s) + 1)), causes };
}

/** Decides how (and whether) a factor enters the adjusted models; see the header. */
export function covariateDecision(name: CovariateDecision['name'], values: (string | null)[], rejected: boolean[], minEvents: number): CovariateDecision {
  const counts = new Map<string, { n: number; rejections: number }>();
  let missing = 0;
  values.forEach((v, i) => {
    if (v === null) { missing++; return; }
    const c = counts.get(v) ?? { n: 0, rejections: 0 };
    c.n++;
    if (rejected[i]) c.rejections++;
    counts.set(v, c);
  });
  const levels = [...counts.entries()].map(([level, c]) => ({ level, ...c })).sort((a, b) => b.n - a.n || a.level.localeCompare(b.level));
  const base = { name, levels, missing, mapping: {} as Record<string, string>, reference: null as string | null };
  if (levels.length < 2) return { ...base, included: false, reason: levels.length === 0 ? 'no patient in the analysis has a value' : `every patient has the same value (${levels[0]!.level})` };
  const reference = levels[0]!;
  if (reference.rejections < minEvents) return { ...base, included: false, reason: `the most frequent level (${reference.level}) has ${reference.rejections} rejections, fewer than ${minEvents}` };
  const sparse = levels.slice(1).filter((l) => l.rejections < minEvents);
  // Kept levels, smallest last: while the pool is too small, the smallest kept level joins it.
  const kept = levels.slice(1).filter((l) => l.rejections >= minEvents);
  const pooledEvents = (): number => sparse.reduce((s, l) => s + l.rejections, 0);
  while (sparse.length > 0 && pooledEvents() < minEvents && kept.length > 0) sparse.push(kept.pop()!);
  if (sparse.length > 0 && pooledEvents() < minEvents) {
    return { ...base, reference: reference.level, included: false, reason: `the levels other than ${reference.level} (${sparse.map((l) => l.level).join(', ')}) have ${pooledEvents()} rejections together, fewer than ${minEvents}: too sparse to estimate an effect` };
  }
  const mapping: Record<string, string> = { [reference.level]: reference.level };
  for (const l of kept) mapping[l.level] = l.level;
  for (const l of sparse) mapping[l.level] = POOLED;
  const reason = sparse.length > 0 ? `levels ${sparse.map((l) => l.level).join(', ')} are pooled into one level "${POOLED}" (a level with fewer than ${minEvents} rejections cannot carry its own coefficient; the smallest other levels join the pool until it has ${minEvents})` : null;
  return { ...base, reference: reference.level, mapping, included: true, reason };
}

/** Model levels of an included factor, reference first: the reference, kept levels, then "pooled". */
export function modelLevels(d: CovariateDecision): string[] {
  const out: string[] = [];
  for (const l of d.levels) {
    const m = d.mapping[l.level]!;
    if (!out.includes(m)) out.push(m);
  }
  return [...out.filter((l) => l !== POOLED), ...(out.includes(POOLED) ? [POOLED] : [])];
}

function design(washoutWeeks: number[], factors: { decision: CovariateDecision; values: (string | null)[] }[]): DesignMatrix {
  const columns: Float64Array[] = [Float64Array.from(washoutWeeks)];
  const names = ['washout_weeks'];
  const assign = [0];
  const termLabels = ['washout_weeks'];
  factors.forEach(({ decision, values }, t) => {
    const levels = modelLevels(decision);
    termLabels.push(decision.name);
    for (const level of levels.slice(1)) {
      columns.push(Float64Array.from(values, (v) => (decision.mapping[v!] === level ? 1 : 0)));
      names.push(`${decision.name}${level}`);
      assign.push(t + 1);
    }
  });
  return { n: washoutWeeks.length, p: columns.length, columns, names, assign: Int32Array.from(assign), termLabels };
}

function models(rows: PatientRow[], factors: CovariateDecision[]): { fg: ModelResult | Skipped; cs: ModelResult | Skipped } {
  const included = factors.filter((f) => f.included);
  const use = rows.filter((p) => included.every((f) => (f.name === 'regimen' ? p.regimen : p.immunosuppression) !== null));
  const y = outcome(use.map((p) => p.rejectionDays), use.map((p) => p.rejectionStatus));
  const x = design(use.map((p) => p.washoutDays / 7), included.map((decision) => ({ decision, values: use.map((p) => (decision.name === 'regimen' ? p.regimen : p.immunosuppression)) })));
  const events = use.filter((p) => p.rejectionStatus === 1).length;
  const adjustedFor = included.map((f) => f.name);
  const label = adjustedFor.length === 0 ? 'unadjusted' : `adjusted for ${adjustedFor.join(' and ')}`;
  const code = y.causes.indexOf(1) + 1;
  if (code === 0) return { fg: { skipped: 'no rejection among transplant recipients' }, cs: { skipped: 'no rejection among transplant recipients' } };
  const z = normalQuantile(0.975);
  let fg: ModelResult | Skipped;
  try {
    const fit = fineGray(x, y, code);
    const terms = fineGraySummaryRows(fit).map((r) => ({ term: r.term, coef: r.coef, se: r.se, hr: r.hr, lower: r.hrLower, upper: r.hrUpper, p: r.p }));
    fg = fit.converged ? { label, adjusted_for: adjustedFor, n: fit.n, events, converged: true, terms, washout_per_week: terms[0]! } : { skipped: `the Fine–Gray model did not converge in ${fit.iterations} iterations` };
  } catch (err) {
    fg = { skipped: `Fine–Gray model not estimable: ${(err as Error).message}` };
  }
  let cs: ModelResult | Skipped;
  try {
    const fit = causeSpecificCox(x, y, code);
    const terms = coxSummaryRows(fit).map((r) => ({ term: r.term, coef: r.coef, se: r.se, hr: r.hr, lower: Math.exp(r.coef - z * r.se), upper: Math.exp(r.coef + z * r.se), p: r.p }));
    cs = fit.converged ? { label, adjusted_for: adjustedFor, n: use.length, events, converged: true, terms, washout_per_week: terms[0]! } : { skipped: 'the cause-specific Cox model did not converge' };
  } catch (err) {
    cs = { skipped: `cause-specific Cox model not estimable: ${(err as Error).message}` };
  }
  return { fg, cs };
}

function rejectionAnalysis(patients: PatientRow[], minEvents: number): OutcomesResults['rejection'] {
  const rows = patients.filter((p) => p.transplanted === 1 && known(p.rejectionDays) && known(p.rejectionStatus) && known(p.washoutDays));
  if (rows.length === 0) return { skipped: 'no transplant recipient has rejection follow-up and a washout' };
  const group = (p: PatientRow): number => WASHOUT_GROUPS.findIndex((g) => g.test(p.washoutDays));
  const groups = WASHOUT_GROUPS.map((g, i) => {
    const m = rows.filter((p) => group(p) === i);
    return { group: g.group, label: g.label, n: m.length, rejections: m.filter((p) => p.rejectionStatus === 1).length, deaths: m.filter((p) => p.rejectionStatus === 2).length };
  });
  // Groups with nobody are left out of the curves and the test (cmprsk sees only the levels present).
  const present = groups.map((g, i) => ({ g, i })).filter((x) => x.g.n > 0);
  const y = outcome(rows.map((p) => p.rejectionDays), rows.map((p) => p.rejectionStatus));
  const grouping: Grouping = { codes: Int32Array.from(rows, (p) => present.findIndex((x) => x.i === group(p))), names: present.map((x) => x.g.group) };
  const curves = cumincCurves(y, grouping);
  const cuminc = curves.map((c) => ({ group: c.group, cause: c.cause, time: Array.from(c.time), est: Array.from(c.est), var: Array.from(c.variance) }));
  const atRows = curves.map((c) => {
    const at = cumincAt(c, CUMINC_TIMES);
    return { group: c.group, cause: c.cause, est: Array.from(at.est, nul), var: Array.from(at.variance, nul) };
  });
  let gray: { cause: number; statistic: number; df: number; p: number }[] | Skipped;
  if (present.length < 2) gray = { skipped: 'fewer than two washout groups have patients' };
  else gray = grayTest(y, grouping).map((t) => ({ cause: t.cause, statistic: t.statistic, df: t.df, p: t.p }));
  const rejected = rows.map((p) => p.rejectionStatus === 1);
  const covariates = [
    covariateDecision('regimen', rows.map((p) => p.regimen), rejected, minEvents),
    covariateDecision('immunosuppression', rows.map((p) => p.immunosuppression), rejected, minEvents),
  ];
  const adjusted = models(rows, covariates);
  const unadjusted = models(rows, []);
  return {
    n: rows.length, rejections: rejected.filter(Boolean).length, deaths: rows.filter((p) => p.rejectionStatus === 2).length, censored: rows.filter((p) => p.rejectionStatus === 0).length,
    groups, cuminc, at: { times: [...CUMINC_TIMES], rows: atRows }, gray, covariates,
    fine_gray: adjusted.fg, cause_specific: adjusted.cs, fine_gray_unadjusted: unadjusted.fg, cause_specific_unadjusted: unadjusted.cs,
  };
}

/** Wilson score interval (prop.test(x, n, correct = FALSE)$conf.int). */
export function wilsonInterval(x: number, n: number, level = 0.95): { lower: number; upper: number } {
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = x / n;
  const denom = 1 + (z * z) / n;
  const centre = p + (z * z) / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return { lower: Math.max(0, (centre - half) / denom), upper: Math.min(1, (centre + half) / denom) };
}

function washoutSummary(patients: PatientRow[]): OutcomesResults['washout'] {
  const w = patients.map((p) => p.washoutDays).filter(known);
  if (w.length === 0) return { skipped: 'no operated patient has a washout' };
  const [min, q1, median, q3, max] = quantiles(w, [0, 0.25, 0.5, 0.75, 1]) as [number, number, number, number, number];
  const width = 15;
  const histogram: { from: number; to: number; n: number }[] = [];
  for (let from = 0; from <= max; from += width) histogram.push({ from, to: from + width, n: w.filter((d) => d >= from && d < from + width).length });
  return {
    n: w.length, mean: w.reduce((s, d) => s + d, 0) / w.length, median, q1, q3, min, max, histogram,
    groups: WASHOUT_GROUPS.map((g) => ({ group: g.label, n: w.filter(g.test).length })),
  };
}

export function computeOutcomes(data: ExportData, operations: OperationsCounts, options: ComputeOptions = {}): OutcomesResults {
  const p = data.patients;
  const sum = (k: 'screened' | 'eligible' | 'enrolled'): number => operations.screening.reduce((s, x) => s + x[k], 0);
  const fu = { alive: 0, dead: 0, withdrawn: 0, lost: 0, unknown: 0 };
  for (const r of p) fu[r.followupStatus ?? 'unknown']++;
  const transplanted = p.filter((r) => r.transplanted === 1).length;
  const resected = p.filter((r) => r.resected === 1).length;
  const operated = p.filter((r) => known(r.surgeryDay)).length;
  const operatedRows = p.filter((r) => known(r.surgeryDay));
  const path = p.filter((r) => known(r.completePathologicalResponse));
  const cpr = path.filter((r) => r.completePathologicalResponse === 1).length;
  const ci = path.length > 0 ? wilsonInterval(cpr, path.length) : null;
  const grades = [1, 2, 3, 4, 5].map((grade) => {
    const ev = data.irae.filter((e) => e.grade === grade);
    const worst = new Map<string, number>();
    for (const e of data.irae) worst.set(e.studyId, Math.max(worst.get(e.studyId) ?? 0, e.grade));
    return { grade, events: ev.length, patients: new Set(ev.map((e) => e.studyId)).size, worst: [...worst.values()].filter((g) => g === grade).length };
  });
  return {
    format: 'oncosurv-registry-outcomes',
    version: 1,
    synthetic: data.synthetic || operations.synthetic,
    definition: data.definition,
    export_created: data.created,
    data_cut: operations.today,
    suppress_below: options.suppressBelow ?? 10,
    suppression: options.suppression ?? true,
    operations,
    flow: {
      screened: sum('screened'), eligible: sum('eligible'), enrolled: sum('enrolled'), exported: p.length,
      on_ici: p.filter((r) => known(r.osDays)).length, operated, transplanted, resected, not_operated: p.length - operated, followup: fu,
    },
    washout: washoutSummary(operatedRows),
    km: {
      itt_os: kmResult(p, 'Overall survival from the first ICI dose (intention to treat)', 'os_days', 'os_event', (r) => [r.osDays, r.osEvent]),
      post_surgery_os: kmResult(operatedRows, 'Overall survival after surgery', 'post_surgery_os_days', 'post_surgery_os_event', (r) => [r.postSurgeryOsDays, r.postSurgeryOsEvent]),
      rfs: kmResult(operatedRows, 'Recurrence-free survival after surgery', 'rfs_days', 'rfs_event', (r) => [r.rfsDays, r.rfsEvent]),
    },
    rejection: rejectionAnalysis(p, options.minEventsPerLevel ?? 5),
    pathology: { n: path.length, complete_response: cpr, rate: path.length > 0 ? cpr / path.length : null, lower: ci?.lower ?? null, upper: ci?.upper ?? null, method: 'Wilson score (prop.test, correct = FALSE)' },
    irae: { patients: p.length, patients_with_irae: new Set(data.irae.map((e) => e.studyId)).size, events: data.irae.length, by_grade: grades },
  };
}

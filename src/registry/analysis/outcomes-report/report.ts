/**
 * The registry's outcomes report (issue 12 §3): OutcomesResults (results.json) in, one
 * self-contained HTML document (plus figures as SVG/PNG and tables as CSV) out, built with the study
 * report's modules (report/: figures, tables, suppression, html).
 *
 * Inputs:  OutcomesResults from compute.ts. Output: `buildOutcomesReport` -> { html, figures, tables }
 *          (pure); `writeOutcomesReport` writes report.html, figures/, tables/, results.json and
 *          reproduce.R into a folder that already holds export/.
 * Sections: summary; enrolment by site and month; flow; washout; survival (KM with numbers at risk:
 *          ITT OS, post-surgery OS, RFS); rejection (cumulative incidence by washout group with Gray's
 *          p, Fine–Gray and cause-specific HRs per week, covariate decisions); explant response; irAE
 *          grades; data completeness, overdue visits and open queries by site; methods.
 * Suppression: every count 1..T-1 (T = results.suppress_below, default 10) is shown as '<T', in
 *          tables, risk tables, the flow diagram, figure labels and sentences; a percentage is hidden
 *          with its count or a small complement (report/suppress.ts). With suppression on and T >= 10
 *          the finished document is audited with assertNoSmallCells: the build fails rather than
 *          disclose a small cell. The threshold is stated in the report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml } from '../../../report/escape.js';
import { buildHtmlDocument, paragraph } from '../../../report/html.js';
import { assertNoSmallCells, formatCount, suppressCount, suppressPercent } from '../../../report/suppress.js';
import { tableToCsv, type ReportTable, type TableColumn } from '../../../report/table.js';
import { renderPngAsync } from '../../../report/vega-render.js';
import { kmPlotSpec, type KmCurve } from '../../../report/figures/km-plot.js';
import { flowDiagramSvg } from '../../../report/figures/flow-diagram.js';
import { forestPlotSpec } from '../../../report/figures/forest-plot.js';
import { ReportParts, type SectionHtml, type ReportFigure, type NamedTable } from '../../../report/sections/parts.js';
import { formatP, formatRatioCi } from '../../../report/format.js';
import type { KmResult, ModelResult, OutcomesResults, Skipped } from './compute.js';
import { CUMINC_TIMES, WASHOUT_GROUPS } from './compute.js';
import { cumulativeIncidenceSpec, washoutHistogramSpec } from './figures.js';
import { reproduceScript } from './reproduce-r.js';

export interface OutcomesReport { html: string; figures: ReportFigure[]; tables: NamedTable[] }

const isSkipped = (x: unknown): x is Skipped => typeof x === 'object' && x !== null && 'skipped' in x;

/** Counts as shown under the report's threshold. */
class Counts {
  constructor(readonly suppress: boolean, readonly threshold: number) {}
  shown(n: number): number | string { return this.suppress ? suppressCount(n, this.threshold) : n; }
  text(n: number): string { return formatCount(n, this.threshold, this.suppress); }
  hidden(n: number): boolean { return this.suppress && n > 0 && n < this.threshold; }
  /** 'n (p%)' with the percentage hidden with its count or a small complement. */
  percent(n: number, total: number, digits = 1): string {
    const c = this.text(n);
    if (this.hidden(n)) return c;
    const p = this.suppress ? suppressPercent(n, total, this.threshold) : total > 0 ? (100 * n) / total : null;
    return p === null ? c : `${c} (${p.toFixed(digits)}%)`;
  }
}

function notEstimable(what: string, reason: string): string {
  return `<p class="not-estimable"><strong>${escapeHtml(what)}: not estimable.</strong> ${escapeHtml(reason)}</p>`;
}

const col = (key: string, label: string, count = false, align?: 'left' | 'right'): TableColumn => ({ key, label, ...(count ? { count: true } : {}), ...(align ? { align } : {}) });
const years = (d: number): number => d / 365.25;

function kmCurve(km: KmResult, name: string): KmCurve {
  const keep: number[] = [];
  const c = km.curve;
  for (let i = 0; i < c.time.length; i++) if (c.n_event[i]! > 0 || i === c.time.length - 1) keep.push(i);
  const censorTimes: number[] = [];
  const censorSurv: number[] = [];
  c.time.forEach((t, i) => { if (c.n_censor[i]! > 0) { censorTimes.push(years(t)); censorSurv.push(c.surv[i]!); } });
  const nan = (v: number | null): number => (v === null ? NaN : v);
  return {
    name, time: keep.map((i) => years(c.time[i]!)), surv: keep.map((i) => c.surv[i]!), lower: keep.map((i) => nan(c.lower[i]!)), upper: keep.map((i) => nan(c.upper[i]!)),
    censorTimes, censorSurv, median: km.median === null ? null : years(km.median),
  };
}

function medianText(km: KmResult): string {
  if (km.median === null) return 'median not reached';
  const ci = km.median_lower === null ? '' : ` (95% CI ${(km.median_lower / 30.4375).toFixed(1)}–${km.median_upper === null ? 'NR' : (km.median_upper / 30.4375).toFixed(1)})`;
  return `median ${(km.median / 30.4375).toFixed(1)} months${ci}`;
}

async function kmFigure(parts: ReportParts, counts: Counts, synthetic: boolean, name: string, km: KmResult | Skipped, title: string, xLabel: string, yLabel: string, caption: string): Promise<string> {
  if (isSkipped(km)) return notEstimable(title, km.skipped);
  const curveName = 'All patients';
  const breaks = km.risk_table.time.map((t) => Math.round(years(t)));
  const spec = kmPlotSpec({
    title, curves: [kmCurve(km, curveName)], pValue: null, xLabel, yLabel, breaks,
    riskTable: { times: breaks, rows: [{ name: curveName, nRisk: km.risk_table.n_risk.map((n) => counts.shown(n)) }] },
    synthetic, suppress: false, widthInches: 7,
  });
  return paragraph(`${counts.text(km.n)} patients, ${counts.text(km.events)} events; ${medianText(km)}.`)
    + await parts.figure(name, spec, 7, caption);
}

function modelRow(label: string, m: ModelResult | Skipped, counts: Counts): Record<string, string | number> {
  if (isSkipped(m)) return { model: label, n: '', events: '', hr: 'not estimable', p: m.skipped };
  const w = m.washout_per_week;
  return { model: `${label} (${m.label})`, n: counts.shown(m.n), events: counts.shown(m.events), hr: formatRatioCi(w.hr, w.lower, w.upper, 3), p: formatP(w.p) };
}

/** Enrolment by site and calendar period: `period` maps 'YYYY-MM' to the row label (the month itself, or its year). */
function enrolmentTable(r: OutcomesResults, counts: Counts, period: (month: string) => string, label: string, caption: string): ReportTable {
  const sites = r.operations.sites.map((s) => s.code);
  const cells = new Map<string, number>();
  for (const e of r.operations.enrolmentByMonth) {
    const key = `${period(e.month)}\t${e.site}`;
    cells.set(key, (cells.get(key) ?? 0) + e.enrolled);
  }
  const periods = [...new Set(r.operations.enrolmentByMonth.map((e) => period(e.month)))].sort();
  const row = (name: string, n: (site: string) => number): Record<string, string | number> => {
    const out: Record<string, string | number> = { period: name };
    let total = 0;
    for (const s of sites) { const v = n(s); out[s] = counts.shown(v); total += v; }
    out.total = counts.shown(total);
    return out;
  };
  const rows = periods.map((p) => row(p, (s) => cells.get(`${p}\t${s}`) ?? 0));
  rows.push(row('All', (s) => r.operations.enrolmentByMonth.filter((e) => e.site === s).reduce((a, e) => a + e.enrolled, 0)));
  return {
    caption,
    columns: [col('period', label), ...sites.map((s) => col(s, s, true)), col('total', 'All sites', true)],
    rows, suppress: false,
    footnote: counts.suppress ? `Counts from 1 to ${counts.threshold - 1} are shown as <${counts.threshold}.` : undefined,
  };
}

function completenessTable(r: OutcomesResults, counts: Counts): ReportTable {
  const sites = r.operations.sites.map((s) => s.code);
  const forms = [...new Map(r.operations.completeness.map((c) => [c.formId, c.formLabel])).entries()];
  const rows = forms.map(([formId, label]) => {
    const row: Record<string, string | number> = { form: label };
    for (const s of sites) {
      const c = r.operations.completeness.find((x) => x.formId === formId && x.site === s);
      row[`${s}_records`] = counts.shown(c?.records ?? 0);
      row[`${s}_complete`] = c === undefined || c.records === 0 ? '' : counts.percent(c.complete, c.records, 0);
    }
    return row;
  });
  return {
    caption: 'Data completeness by site and form: records holding the form, and of those the records whose every instance is complete (complete, verified or locked), n (%).',
    columns: [col('form', 'Form'), ...sites.flatMap((s) => [col(`${s}_records`, `${s}: records`, true), col(`${s}_complete`, `${s}: complete`, false, 'right')])],
    rows, suppress: false,
  };
}

function siteOperationsTable(r: OutcomesResults, counts: Counts): ReportTable {
  return {
    caption: `Follow-up visits and queries by site on ${r.data_cut}: scheduled visits done, open (inside their window), overdue (past their window, not entered), records with an overdue visit, and queries not yet closed.`,
    columns: [col('site', 'Site'), col('done', 'Visits done', true), col('open', 'Visits open', true), col('overdue', 'Visits overdue', true), col('records', 'Records with an overdue visit', true), col('qopen', 'Open queries', true), col('qanswered', 'Answered, not closed', true)],
    rows: r.operations.sites.map((s) => {
      const v = r.operations.visits.find((x) => x.site === s.code)!;
      const q = r.operations.queries.find((x) => x.site === s.code)!;
      return { site: `${s.code} — ${s.name}`, done: counts.shown(v.done), open: counts.shown(v.open), overdue: counts.shown(v.overdue), records: counts.shown(v.recordsOverdue), qopen: counts.shown(q.open), qanswered: counts.shown(q.answered) };
    }),
    suppress: false,
  };
}

async function rejectionSection(r: OutcomesResults, parts: ReportParts, counts: Counts): Promise<string> {
  const rej = r.rejection;
  if (isSkipped(rej)) return notEstimable('Rejection analyses', rej.skipped);
  let html = paragraph(`${counts.text(rej.n)} transplant recipients with follow-up for rejection: ${counts.text(rej.rejections)} first biopsy-proven acute rejections, ${counts.text(rej.deaths)} deaths without rejection (the competing event) and ${counts.text(rej.censored)} censored.`);
  const grayP = isSkipped(rej.gray) ? null : rej.gray.find((g) => g.cause === 1) ?? null;
  const pLabel = grayP === null ? '' : `Gray's test ${formatP(grayP.p)}`;
  const label = (g: string): string => WASHOUT_GROUPS.find((w) => w.group === g)?.label ?? g;
  const curves = rej.cuminc.filter((c) => c.cause === 1).map((c) => ({ name: `Washout ${label(c.group)}`, time: c.time, est: c.est }));
  html += await parts.figure('cuminc-rejection', cumulativeIncidenceSpec({ curves, title: 'Biopsy-proven acute rejection by washout group', xLabel: 'Years since transplant', xMaxYears: 2, pLabel, synthetic: r.synthetic }), 7,
    "Cumulative incidence of first biopsy-proven acute rejection after transplant by washout (last ICI dose to transplant), with death without rejection as a competing risk (Aalen–Johansen; cmprsk::cuminc). Gray's test compares the three curves.");
  html += parts.table('rejection-by-washout', {
    caption: `Rejection by washout group: patients, first rejections, deaths without rejection, and the cumulative incidence of rejection (95% CI, cmprsk variance) at ${CUMINC_TIMES.join(', ')} days.`,
    columns: [col('group', 'Washout'), col('n', 'Patients', true), col('rej', 'Rejections', true), col('death', 'Deaths first', true), ...CUMINC_TIMES.map((t) => col(`at${t}`, `Day ${t}`, false, 'right'))],
    rows: rej.groups.map((g) => {
      const row: Record<string, string | number> = { group: g.label, n: counts.shown(g.n), rej: counts.shown(g.rejections), death: counts.shown(g.deaths) };
      const at = rej.at.rows.find((a) => a.group === g.group && a.cause === 1);
      CUMINC_TIMES.forEach((t, k) => {
        const est = at?.est[k] ?? null;
        const v = at?.var[k] ?? null;
        row[`at${t}`] = est === null || v === null ? '' : `${(100 * est).toFixed(1)}% (${(100 * Math.max(0, est - 1.959964 * Math.sqrt(v))).toFixed(1)}–${(100 * Math.min(1, est + 1.959964 * Math.sqrt(v))).toFixed(1)})`;
      });
      return row;
    }),
    suppress: false,
    footnote: grayP === null ? undefined : `Gray's test for rejection: chi-square ${grayP.statistic.toFixed(2)} on ${grayP.df} df, ${formatP(grayP.p)}.`,
  });
  html += '<h3>Hazard ratios per week of washout</h3>';
  const models: [string, ModelResult | Skipped][] = [['Cause-specific Cox', rej.cause_specific], ['Fine–Gray', rej.fine_gray], ['Cause-specific Cox', rej.cause_specific_unadjusted], ['Fine–Gray', rej.fine_gray_unadjusted]];
  html += parts.table('washout-hazard-ratios', {
    caption: 'Rejection on washout in weeks: cause-specific hazard ratio (Cox, Efron ties; death censored) and subdistribution hazard ratio (Fine–Gray, cmprsk::crr), per extra week of washout, with 95% CIs.',
    columns: [col('model', 'Model'), col('n', 'Patients', true), col('events', 'Rejections', true), col('hr', 'HR per week (95% CI)', false, 'right'), col('p', 'p', false, 'right')],
    rows: models.map(([l, m]) => modelRow(l, m, counts)), suppress: false,
  });
  const forest = models.filter((m): m is [string, ModelResult] => !isSkipped(m[1]));
  if (forest.length > 0) {
    html += await parts.figure('forest-washout', forestPlotSpec({
      title: 'Hazard ratio of rejection per extra week of washout', xLabel: 'Hazard ratio per week (log scale)',
      rows: forest.map(([l, m]) => ({ label: `${l}, ${m.label}`, hr: m.washout_per_week.hr, lower: m.washout_per_week.lower, upper: m.washout_per_week.upper, n: counts.shown(m.n), events: counts.shown(m.events), p: m.washout_per_week.p })),
      estimateLabel: 'HR per week (95% CI)', synthetic: r.synthetic, suppress: false,
    }), 7, 'Hazard ratios per week of washout with 95% CIs (log scale). A ratio below 1 means a longer washout lowers the rejection hazard.');
  }
  const decisions = rej.covariates.map((c) => `<li><strong>${escapeHtml(c.name)}</strong>: ${c.included ? `adjusted for, reference ${escapeHtml(c.reference ?? '')}` : 'not adjusted for'}${c.reason ? ` — ${escapeHtml(c.reason)}` : ''}${c.missing > 0 ? `; ${escapeHtml(counts.text(c.missing))} patients without a value are left out of the adjusted models` : ''}.</li>`).join('');
  html += `<p>Adjustment (study design: regimen and immunosuppression):</p><ul class="covariates">${decisions}</ul>`;
  const adj = [rej.cause_specific, rej.fine_gray].filter((m): m is ModelResult => !isSkipped(m));
  for (const m of adj) {
    if (m.terms.length <= 1) continue;
    const name = m === rej.cause_specific ? 'cause-specific' : 'fine-gray';
    html += parts.table(`${name}-terms`, {
      caption: `${m === rej.cause_specific ? 'Cause-specific Cox' : 'Fine–Gray'} model, ${m.label}: every term.`,
      columns: [col('term', 'Term'), col('coef', 'Coefficient', false, 'right'), col('se', 'SE', false, 'right'), col('hr', 'HR (95% CI)', false, 'right'), col('p', 'p', false, 'right')],
      rows: m.terms.map((t) => ({ term: t.term, coef: t.coef.toFixed(4), se: t.se.toFixed(4), hr: formatRatioCi(t.hr, t.lower, t.upper, 3), p: formatP(t.p) })), suppress: false,
    });
  }
  return html;
}

/** Builds the whole report from results.json, without reading or writing files. */
export async function buildOutcomesReport(r: OutcomesResults): Promise<OutcomesReport> {
  const counts = new Counts(r.suppression, r.suppress_below);
  const parts = new ReportParts();
  const sections: SectionHtml[] = [];
  const f = r.flow;
  const rej = r.rejection;
  const cs = isSkipped(rej) ? null : isSkipped(rej.cause_specific) ? null : rej.cause_specific.washout_per_week;
  sections.push({
    id: 'summary', title: 'Summary',
    html: paragraph(`Data cut ${r.data_cut}; export of ${r.export_created || 'unknown time'} (study definition ${r.definition.id} ${r.definition.version}). ${counts.text(f.exported)} enrolled patients at ${r.operations.sites.length} sites; ${counts.text(f.transplanted)} transplanted and ${counts.text(f.resected)} resected.`)
      + (cs === null ? '' : paragraph(`Each extra week of washout multiplied the cause-specific hazard of biopsy-proven acute rejection by ${formatRatioCi(cs.hr, cs.lower, cs.upper, 3)} (95% CI; ${formatP(cs.p)}).`))
      + paragraph(counts.suppress ? `Small-cell suppression is on: every count from 1 to ${counts.threshold - 1} is shown as <${counts.threshold}, and a percentage is hidden with its count (threshold ${counts.threshold}, option --suppress-below).` : 'Small-cell suppression is OFF for this build: every count is shown. Do not distribute.'),
  });

  sections.push({
    id: 'enrolment', title: 'Enrolment by site and month',
    html: parts.table('enrolment-by-year', enrolmentTable(r, counts, (m) => m.slice(0, 4), 'Year', 'Patients enrolled by site and calendar year of enrolment (screening form).'))
      + parts.table('enrolment-by-month', enrolmentTable(r, counts, (m) => m, 'Month', 'Patients enrolled by site and calendar month of enrolment (screening form).')),
  });

  const flowSvg = flowDiagramSvg({
    steps: [
      { description: 'Records with a screening form', remaining: counts.shown(f.screened), excluded: 0 },
      { description: 'Meeting every eligibility criterion', remaining: counts.shown(f.eligible), excluded: counts.shown(f.screened - f.eligible), exclusionReason: 'Not eligible' },
      { description: 'Enrolled (enrolment date recorded)', remaining: counts.shown(f.enrolled), excluded: counts.shown(f.eligible - f.enrolled), exclusionReason: 'Not (yet) enrolled' },
      { description: 'In the analysis export, on ICI (first dose recorded)', remaining: counts.shown(f.on_ici), excluded: counts.shown(Math.max(0, f.enrolled - f.on_ici)), exclusionReason: 'No first ICI dose recorded' },
    ],
    groups: [{ name: 'Transplanted', n: counts.shown(f.transplanted) }, { name: 'Resected', n: counts.shown(f.resected) }, { name: 'Not operated', n: counts.shown(f.not_operated) }],
    suppress: false, synthetic: r.synthetic,
  });
  let flowHtml = await parts.figure('flow', flowSvg, 7, 'Patient flow: screened, eligible, enrolled, treated with ICI, then transplanted, resected or not operated (intention to treat: patients never operated on stay in follow-up).');
  flowHtml += parts.table('followup-status', {
    caption: `Follow-up status at the data cut (${r.data_cut}).`,
    columns: [col('status', 'Status'), col('n', 'Patients', true)],
    rows: [['Alive, in follow-up', f.followup.alive], ['Dead', f.followup.dead], ['Withdrawn', f.followup.withdrawn], ['Lost to follow-up', f.followup.lost], ['Unknown', f.followup.unknown]].map(([status, n]) => ({ status: status as string, n: counts.shown(n as number) })),
    suppress: false,
  });
  sections.push({ id: 'flow', title: 'Patient flow', html: flowHtml });

  const w = r.washout;
  let washoutHtml: string;
  if (isSkipped(w)) washoutHtml = notEstimable('Washout', w.skipped);
  else {
    washoutHtml = paragraph(`Washout (last ICI dose to surgery) in ${counts.text(w.n)} operated patients: median ${w.median} days (interquartile range ${w.q1}–${w.q3}), mean ${w.mean.toFixed(1)} days.`);
    washoutHtml += await parts.figure('washout', washoutHistogramSpec({ bins: w.histogram.map((b) => ({ ...b, n: counts.shown(b.n) })), synthetic: r.synthetic }), 6, 'Washout distribution in 15-day bins; dashed lines at 30 and 90 days, the bounds of the washout groups. Suppressed bins have no bar.');
    washoutHtml += parts.table('washout-groups', { caption: 'Operated patients by washout group.', columns: [col('group', 'Washout'), col('n', 'Patients', true)], rows: w.groups.map((g) => ({ group: g.group, n: counts.shown(g.n) })), suppress: false });
  }
  sections.push({ id: 'washout', title: 'Washout', html: washoutHtml });

  let survival = await kmFigure(parts, counts, r.synthetic, 'km-itt-os', r.km.itt_os, 'Overall survival from the first ICI dose (intention to treat)', 'Years since the first ICI dose', 'Overall survival probability', 'Kaplan–Meier estimate of overall survival from the first ICI dose in every enrolled patient, operated or not (intention to treat), with the 95% confidence band (log); + marks censoring; numbers at risk below.');
  survival += await kmFigure(parts, counts, r.synthetic, 'km-post-surgery-os', r.km.post_surgery_os, 'Overall survival after transplant or resection', 'Years since surgery', 'Overall survival probability', 'Kaplan–Meier estimate of overall survival from the date of transplant or resection, with the 95% confidence band; numbers at risk below.');
  survival += await kmFigure(parts, counts, r.synthetic, 'km-rfs', r.km.rfs, 'Recurrence-free survival after surgery', 'Years since surgery', 'Recurrence-free survival probability', 'Kaplan–Meier estimate of recurrence-free survival (recurrence or death) from surgery, with the 95% confidence band; numbers at risk below.');
  sections.push({ id: 'survival', title: 'Survival', html: survival });

  sections.push({ id: 'rejection', title: 'Rejection and washout', html: await rejectionSection(r, parts, counts) });

  const p = r.pathology;
  sections.push({
    id: 'pathology', title: 'Explant and resection pathology',
    html: p.n === 0 ? notEstimable('Complete pathological response', 'no operated patient has a pathology result')
      : paragraph(counts.hidden(p.complete_response) || counts.hidden(p.n - p.complete_response)
        ? `Complete pathological response (no viable tumour): ${counts.text(p.complete_response)} of ${counts.text(p.n)} patients with pathology; the rate is not shown because a count is below ${counts.threshold}.`
        : `Complete pathological response (no viable tumour): ${counts.text(p.complete_response)} of ${counts.text(p.n)} patients with pathology, ${(100 * p.rate!).toFixed(1)}% (95% CI ${(100 * p.lower!).toFixed(1)}–${(100 * p.upper!).toFixed(1)}%, Wilson score interval).`),
  });

  const irae = r.irae;
  sections.push({
    id: 'irae', title: 'Immune-related adverse events',
    html: paragraph(`${counts.percent(irae.patients_with_irae, irae.patients)} of ${counts.text(irae.patients)} patients had at least one immune-related adverse event (${counts.text(irae.events)} events).`)
      + parts.table('irae-grades', {
        caption: 'Immune-related adverse events by CTCAE v5 grade: events, patients with an event of the grade, and patients by their worst grade.',
        columns: [col('grade', 'CTCAE grade'), col('events', 'Events', true), col('patients', 'Patients with an event of this grade', true), col('worst', 'Patients by worst grade', true)],
        rows: irae.by_grade.map((g) => ({ grade: `Grade ${g.grade}`, events: counts.shown(g.events), patients: counts.shown(g.patients), worst: counts.shown(g.worst) })), suppress: false,
      }),
  });

  sections.push({ id: 'data-quality', title: 'Data completeness, overdue visits and queries', html: parts.table('completeness', completenessTable(r, counts)) + parts.table('site-operations', siteOperationsTable(r, counts)) });

  sections.push({
    id: 'methods', title: 'Methods',
    html: paragraph('Built from the de-identified analysis export in export/ (patients.csv and the long form files; data-dictionary.md defines every derived variable) and from counts of the registry database (enrolment month, screening, completeness, visits, queries), which the export cannot carry. Time zero is the first ICI dose; post-surgery outcomes count from the surgery date. Washout is derived (last ICI dose to surgery).')
      + paragraph('Kaplan–Meier curves with log-transformed 95% CIs and Greenwood standard errors (R survival::survfit). Rejection: cumulative incidence of the first biopsy-proven acute rejection with death without rejection as a competing risk, by the Aalen–Johansen estimator with cmprsk::cuminc variances, compared between washout groups by Gray\'s test; the Fine–Gray subdistribution hazards model (cmprsk::crr, its sandwich variance) and the cause-specific Cox model (survival::coxph, Efron ties; death censored) of rejection on washout in weeks. A factor enters the adjusted models only where it has at least 5 rejections per level; sparser levels are pooled, and a factor that cannot be supported is left out — the list above says which. Complete pathological response: Wilson score 95% CI.')
      + paragraph('reproduce.R in this folder refits the Kaplan–Meier curves, cuminc, Gray\'s test, crr and the cause-specific coxph from export/patients.csv with R and writes reproduce-results.json, comparable number by number with results.json.'),
  });

  const html = buildHtmlDocument({
    title: 'ICI before liver transplant or resection: registry outcomes report',
    subtitle: `Study ${r.definition.id} ${r.definition.version} — data cut ${r.data_cut}`,
    synthetic: r.synthetic,
    suppressed: r.suppression,
    sections,
  });
  if (r.suppression && r.suppress_below >= 10) assertNoSmallCells(html);
  return { html, figures: parts.figures, tables: parts.tables };
}

/** Writes report.html, figures/ (SVG + 300-dpi PNG), tables/ (CSV), results.json and reproduce.R into `outDir`. */
export async function writeOutcomesReport(outDir: string, results: OutcomesResults): Promise<OutcomesReport> {
  const report = await buildOutcomesReport(results);
  mkdirSync(join(outDir, 'figures'), { recursive: true });
  mkdirSync(join(outDir, 'tables'), { recursive: true });
  writeFileSync(join(outDir, 'report.html'), report.html);
  await Promise.all(report.figures.map(async (fig) => {
    writeFileSync(join(outDir, 'figures', `${fig.name}.svg`), fig.svg);
    writeFileSync(join(outDir, 'figures', `${fig.name}.png`), await renderPngAsync(fig.svg, { dpi: 300, widthInches: fig.widthInches }));
  }));
  for (const t of report.tables) writeFileSync(join(outDir, 'tables', `${t.name}.csv`), tableToCsv(t.table));
  writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(outDir, 'reproduce.R'), reproduceScript(results));
  return report;
}

/**
 * The publication-ready study report: results.json in, one self-contained HTML document (plus
 * every figure as SVG/PNG and every table as CSV) out.
 *
 * Inputs: StudyResults (results.json of `oncosurv study hcc-conversion`) and { suppress }.
 * Output: `buildStudyReport` -> { html, figures, tables } (pure: nothing is read or written);
 * `writeStudyReport` writes DIR/report.html, DIR/figures/NAME.svg, DIR/figures/NAME.png (300 dpi
 * at the figure's journal column width) and DIR/tables/NAME.csv.
 * Sections, in order: title block; key results; cohort flow; Table 1; who gets surgery;
 * survival curves; hazard ratios across analyses; balance; RMST, PH checks and perioperative
 * mortality; methods; limitations; NCDB acknowledgement. Each section module (sections/*.ts)
 * maps one part of results.json to figure/table inputs; this file only assembles them.
 * An analysis recorded as { skipped: reason } is named with its reason where its figure or
 * table would be, and in a list under the key results.
 * Suppression: counts 1..T-1 (T = protocol.reporting.suppress_below) become '<T' everywhere;
 * with suppression on, the finished document is audited with assertNoSmallCells and the build
 * fails rather than write a report that discloses a small cell.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml } from './escape.js';
import { buildHtmlDocument, paragraph } from './html.js';
import { assertNoSmallCells } from './suppress.js';
import { tableToCsv, type ReportTable } from './table.js';
import { renderPng } from './vega-render.js';
import { kmPlotSpec } from './figures/km-plot.js';
import { forestPlotSpec } from './figures/forest-plot.js';
import { lovePlotSpec } from './figures/love-plot.js';
import { barChartSpec } from './figures/bar-chart.js';
import { flowDiagramSvg } from './figures/flow-diagram.js';
import { createReportContext, type ReportContext } from './report-context.js';
import { isSkipped, type StudyResults } from './study-results.js';
import { ReportParts, type SectionHtml } from './sections/parts.js';
import { dataQualityHtml } from './sections/data-quality.js';
import { titleBlockHtml } from './sections/title.js';
import { keyResultsHtml } from './sections/key-results.js';
import { flowInput } from './sections/cohort.js';
import { tableOne } from './sections/table-one.js';
import { oddsRatioForestInput, surgeryBarInput } from './sections/surgery.js';
import { kmInput } from './sections/km-figures.js';
import { hazardRatioForestInput, hazardRatioRows, hazardRatioTable } from './sections/hazard-ratios.js';
import { balanceSets, balanceTable, loveInput } from './sections/balance.js';
import { mortalityTable, phTable, rmstTable } from './sections/outcomes.js';
import { methodsHtml } from './sections/methods.js';
import { acknowledgementHtml, limitationsHtml } from './sections/limitations.js';

export interface StudyReport {
  html: string;
  figures: { name: string; svg: string; widthInches: number; caption: string }[];
  tables: { name: string; table: ReportTable }[];
}

/** Names and reasons of every analysis recorded as { skipped } (depth-first, JSON paths). */
export function skippedAnalyses(results: StudyResults): { analysis: string; reason: string }[] {
  const out: { analysis: string; reason: string }[] = [];
  const walk = (x: unknown, path: string): void => {
    if (isSkipped(x)) { out.push({ analysis: path, reason: x.skipped }); return; }
    if (Array.isArray(x)) x.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (typeof x === 'object' && x !== null) {
      for (const [k, v] of Object.entries(x)) if (typeof v === 'object' && v !== null && !['time', 'surv', 'lower', 'upper', 'n_risk', 'n_event', 'n_censor', 'curves', 'rows', 'coefficients'].includes(k)) walk(v, path === '' ? k : `${path}.${k}`);
    }
  };
  walk(results.analyses, '');
  return out;
}

function notEstimable(what: string, reason: string): string {
  return `<p class="not-estimable"><strong>${escapeHtml(what)}: not estimable.</strong> ${escapeHtml(reason)}</p>`;
}

async function survivalSection(ctx: ReportContext, parts: ReportParts): Promise<string> {
  const a = ctx.results.analyses;
  const html: string[] = [];
  const km = isSkipped(a.km) ? a.km : a.km.naive;
  const xLabel = 'Months since start of immunotherapy';
  if (isSkipped(km)) html.push(notEstimable('Naive Kaplan–Meier curves', km.skipped));
  else {
    html.push(await parts.figure('km-naive', kmPlotSpec(kmInput(km, ctx, { title: 'Overall survival by eventual treatment (naive)', xLabel, note: 'Subject to immortal-time bias: surgical patients had to survive until surgery' })), 7,
      'Naive Kaplan–Meier estimates of overall survival by group, from the start of immunotherapy, with 95% confidence bands; + marks censoring, dashed lines the medians. Subject to immortal-time bias: shown only to illustrate it.'));
  }
  const sm = a.simon_makuch;
  if (isSkipped(sm)) html.push(notEstimable('Simon–Makuch curves', sm.skipped));
  else {
    html.push(await parts.figure('km-simon-makuch', kmPlotSpec(kmInput(sm, ctx, { title: 'Overall survival by current surgery status (Simon–Makuch)', xLabel })), 7,
      'Simon–Makuch estimates: patients contribute to "no surgery (yet)" until surgery and to "after surgery" from then on. Numbers at risk count patients currently in each state; no log-rank test applies to these curves.'));
  }
  if (isSkipped(a.landmark)) html.push(notEstimable('Landmark analyses', a.landmark.skipped));
  else {
    for (const lm of a.landmark) {
      const L = lm.landmark_months;
      if (isSkipped(lm.km)) { html.push(notEstimable(`${L}-month landmark Kaplan–Meier curves`, lm.km.skipped)); continue; }
      html.push(await parts.figure(`km-landmark-${String(L).replace(/\./g, '-')}`, kmPlotSpec(kmInput(lm.km, ctx, { title: `Overall survival from the ${L}-month landmark`, xLabel: `Months since the ${L}-month landmark` })), 7,
        `Landmark analysis at ${L} months: ${ctx.count(lm.n)} patients alive and in follow-up at ${L} months, grouped by surgery before the landmark (${ctx.count(lm.exposed)} operated), with 95% confidence bands and log-rank p.`));
    }
  }
  return html.join('');
}

/** Builds the complete report from results.json, without reading or writing files. */
export async function buildStudyReport(results: StudyResults, options: { suppress: boolean }): Promise<StudyReport> {
  const ctx = createReportContext(results, options);
  const parts = new ReportParts();
  const a = results.analyses;
  const sections: SectionHtml[] = [];

  const skipped = skippedAnalyses(results);
  sections.push({ id: 'study', title: 'Study', html: titleBlockHtml(ctx) });
  sections.push({
    id: 'key-results', title: 'Key results',
    html: keyResultsHtml(ctx) + (skipped.length === 0 ? '' : `<p class="not-estimable"><strong>Analyses that could not be run (${skipped.length}):</strong></p><ul class="skipped">${skipped.map((s) => `<li><code>${escapeHtml(s.analysis)}</code>: ${escapeHtml(s.reason)}</li>`).join('')}</ul>`),
  });

  sections.push({ id: 'cohort', title: 'Cohort', html: await parts.figure('flow-diagram', flowDiagramSvg(flowInput(ctx)), 7, 'Cohort selection: patients remaining after each inclusion step, patients excluded at it, and the three analysis groups.') });
  sections.push({ id: 'data-quality', title: 'Data quality', html: dataQualityHtml(ctx) });

  const t1 = a.table1;
  sections.push({ id: 'table-1', title: 'Patient characteristics', html: isSkipped(t1) ? notEstimable('Table 1', t1.skipped) : parts.table('table1', tableOne(t1, ctx)) });

  const pred = a.predictors_of_surgery;
  let surgeryHtml = '';
  if (isSkipped(pred)) surgeryHtml = notEstimable('Who gets surgery', pred.skipped);
  else {
    surgeryHtml += paragraph(`Overall, ${ctx.countPercent(pred.overall.surgery, pred.overall.n)} of ${ctx.count(pred.overall.n)} patients underwent resection or transplant after immunotherapy.`);
    surgeryHtml += await parts.figure('surgery-by-facility', barChartSpec(surgeryBarInput(pred, ctx)), 5.5, 'Proportion of patients operated after immunotherapy, by facility type (CoC program category). Categories with a suppressed count have no bar.');
    if (isSkipped(pred.model)) surgeryHtml += notEstimable('Logistic model of surgery', pred.model.skipped);
    else surgeryHtml += await parts.figure('surgery-predictors', forestPlotSpec(oddsRatioForestInput(pred.model, ctx)), 7, 'Adjusted odds ratios of surgery after immunotherapy (logistic regression, Wald 95% CIs, log scale). Each categorical term is compared with its first level in Table 1.');
  }
  sections.push({ id: 'surgery', title: 'Who gets surgery', html: surgeryHtml });

  sections.push({ id: 'survival', title: 'Survival', html: await survivalSection(ctx, parts) });

  const hrRows = hazardRatioRows(ctx);
  sections.push({
    id: 'hazard-ratios', title: 'Hazard ratios across analyses',
    html: await parts.figure('forest-hazard-ratios', forestPlotSpec(hazardRatioForestInput(hrRows, ctx)), 7, 'Hazard ratios for death, surgery vs no surgery, with 95% confidence intervals (log scale), from every analysis. ★ marks the main analysis (time-dependent Cox, adjusted). Naive estimates are biased by immortal time.')
      + parts.table('hazard-ratios', hazardRatioTable(hrRows, ctx)),
  });

  const { sets, skipped: balanceSkipped } = balanceSets(ctx);
  let balanceHtml = balanceSkipped.map((s) => notEstimable(s.label, s.reason)).join('');
  if (sets.length > 0) {
    balanceHtml += parts.table('balance', balanceTable(sets, ctx));
    for (const s of sets) balanceHtml += await parts.figure(`love-${s.key}`, lovePlotSpec(loveInput(s, ctx)), 3.5, `Love plot, ${s.label}: absolute standardized mean differences before (hollow) and after (filled) adjustment; dashed line at 0.1.`);
  }
  sections.push({ id: 'balance', title: 'Covariate balance (propensity scores)', html: balanceHtml });

  let outcomes = '<h3>Restricted mean survival time</h3>';
  outcomes += isSkipped(a.rmst) ? notEstimable('RMST', a.rmst.skipped) : parts.table('rmst', rmstTable(a.rmst, ctx));
  outcomes += '<h3>Proportional-hazards checks</h3>';
  outcomes += isSkipped(a.ph_checks) ? notEstimable('PH checks', a.ph_checks.skipped) : parts.table('ph-checks', phTable(a.ph_checks, ctx));
  outcomes += '<h3>Mortality after surgery</h3>';
  const periop = a.perioperative_mortality;
  outcomes += isSkipped(periop) ? notEstimable('30/90-day mortality', periop.skipped) : parts.table('perioperative-mortality', mortalityTable(periop, ctx));
  sections.push({ id: 'outcomes', title: 'RMST, model checks and perioperative mortality', html: outcomes });

  sections.push({ id: 'methods', title: 'Methods', html: methodsHtml(ctx) });
  sections.push({ id: 'limitations', title: 'Limitations', html: limitationsHtml(ctx) });
  sections.push({ id: 'acknowledgement', title: 'Acknowledgement', html: acknowledgementHtml() });

  const html = buildHtmlDocument({
    title: results.protocol.title,
    subtitle: `Study report — protocol "${results.protocol.name}"`,
    synthetic: ctx.synthetic,
    suppressed: ctx.suppress,
    sections,
    generatedAt: results.created,
  });
  // The audit looks for 1-9; a protocol threshold below 10 legitimately shows some of them.
  if (ctx.suppress && ctx.threshold >= 10) assertNoSmallCells(html);
  return { html, figures: parts.figures, tables: parts.tables };
}

/** Builds the report and writes report.html, figures/ (SVG + 300-dpi PNG) and tables/ (CSV) into `outDir`. */
export async function writeStudyReport(outDir: string, results: StudyResults, options: { suppress: boolean }): Promise<StudyReport & { path: string }> {
  const report = await buildStudyReport(results, options);
  mkdirSync(join(outDir, 'figures'), { recursive: true });
  mkdirSync(join(outDir, 'tables'), { recursive: true });
  const path = join(outDir, 'report.html');
  writeFileSync(path, report.html);
  for (const f of report.figures) {
    writeFileSync(join(outDir, 'figures', `${f.name}.svg`), f.svg);
    writeFileSync(join(outDir, 'figures', `${f.name}.png`), renderPng(f.svg, { dpi: 300, widthInches: f.widthInches }));
  }
  for (const t of report.tables) writeFileSync(join(outDir, 'tables', `${t.name}.csv`), tableToCsv(t.table));
  return { ...report, path };
}

/**
 * A complete sample report built from the fixed synthetic inputs in figures/sample-data.ts:
 * every figure type, a table and sentences, with suppression on. It is the fixture of the
 * HTML and browser tests and a worked example of how the pieces fit together (the real
 * results.json -> report mapping lives in hcc-conversion-report.ts).
 */

import { buildHtmlDocument, paragraph, renderFigure } from './html.js';
import { renderTable, type ReportTable } from './table.js';
import { renderSvg } from './vega-render.js';
import { kmPlotSpec, type KmPlotInput } from './figures/km-plot.js';
import { forestPlotSpec } from './figures/forest-plot.js';
import { lovePlotSpec } from './figures/love-plot.js';
import { barChartSpec } from './figures/bar-chart.js';
import { flowDiagramSvg } from './figures/flow-diagram.js';
import { sampleBarInput, sampleFlowInput, sampleForestInput, sampleKmInput, sampleLoveInput } from './figures/sample-data.js';
import { formatCount } from './suppress.js';

export interface SampleReport {
  html: string;
  km: KmPlotInput;
  table: ReportTable;
  /** Number of figures (each one <svg>). */
  figures: number;
}

export function sampleTable(): ReportTable {
  return {
    caption: 'Table 1. Patient characteristics by immunotherapy',
    footnote: 'Counts from 1 to 9 are shown as <10.',
    columns: [
      { key: 'characteristic', label: 'Characteristic' },
      { key: 'io', label: 'Immunotherapy, n', count: true },
      { key: 'no', label: 'No immunotherapy, n', count: true },
      { key: 'smd', label: 'SMD', align: 'right' },
    ],
    rows: [
      { characteristic: 'Patients', io: 12004, no: 32992, smd: null },
      { characteristic: 'Age >= 80 years', io: 1410, no: 6120, smd: '0.21' },
      { characteristic: 'Male', io: 6610, no: 17800, smd: '0.03' },
      { characteristic: 'Stage IV, no facility type', io: 4, no: 31, smd: '0.02' },
      { characteristic: 'Charlson-Deyo 3+ & "other"', io: 0, no: 12, smd: '0.05' },
    ],
  };
}

export async function buildSampleReport(options: { suppressed?: boolean } = {}): Promise<SampleReport> {
  const suppressed = options.suppressed ?? true;
  const km = sampleKmInput();
  km.suppress = suppressed;
  const table = { ...sampleTable(), suppress: suppressed };
  const flow = { ...sampleFlowInput(), suppress: suppressed };
  const forest = { ...sampleForestInput(), suppress: suppressed };
  const bar = { ...sampleBarInput(), suppress: suppressed };
  const [kmSvg, forestSvg, loveSvg, barSvg] = await Promise.all([
    renderSvg(kmPlotSpec(km)), renderSvg(forestPlotSpec(forest)), renderSvg(lovePlotSpec(sampleLoveInput())), renderSvg(barChartSpec(bar)),
  ]);
  const excludedFollowUp = flow.steps[3].excluded;
  const html = buildHtmlDocument({
    title: 'Immunotherapy and overall survival in advanced NSCLC',
    subtitle: 'Sample report built from fixed synthetic inputs',
    synthetic: true,
    suppressed,
    sections: [
      {
        id: 'cohort', title: 'Cohort',
        html: paragraph(`After excluding ${formatCount(excludedFollowUp, 10, suppressed)} patients without follow-up, the cohort held ${formatCount(44996)} patients.`)
          + renderFigure({ id: 'fig-flow', label: 'Figure 1', svg: flowDiagramSvg(flow), caption: 'Cohort selection (STROBE).' })
          + renderTable(table),
      },
      { id: 'survival', title: 'Overall survival', html: renderFigure({ id: 'fig-km', label: 'Figure 2', svg: kmSvg, caption: 'Kaplan–Meier estimates of overall survival with 95% confidence bands; + marks censored patients.' }) },
      { id: 'models', title: 'Hazard ratios', html: renderFigure({ id: 'fig-forest', label: 'Figure 3', svg: forestSvg, caption: 'Hazard ratios for death with 95% confidence intervals (log scale).' }) },
      { id: 'balance', title: 'Covariate balance', html: renderFigure({ id: 'fig-love', label: 'Figure 4', svg: loveSvg, caption: 'Absolute standardized mean differences before and after matching; dashed line at 0.1.' }) },
      { id: 'surgery', title: 'Surgery by facility type', html: renderFigure({ id: 'fig-bar', label: 'Figure 5', svg: barSvg, caption: 'Proportion of patients receiving surgery; bars of categories with fewer than 10 patients (or fewer than 10 not operated) are not shown.' }) },
    ],
  });
  return { html, km, table, figures: 5 };
}

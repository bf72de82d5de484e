/**
 * Fixed synthetic inputs for the report figures, used by the tests, the browser harness and as
 * worked examples of each input type. The KM curves are exact Kaplan–Meier estimates of two
 * small hand-made samples (computed here by the product-limit formula, with Greenwood log-scale
 * ("log", R's default conf.type) 95% limits) so every number in the figures is reproducible.
 */

import type { KmCurve, KmPlotInput } from './km-plot.js';

/** Product-limit estimate of (time, status) with R survfit's default log-scale 95% CI. */
export function kaplanMeierForSample(name: string, time: readonly number[], status: readonly number[]): KmCurve {
  const order = time.map((_, i) => i).sort((a, b) => time[a] - time[b]);
  const out: KmCurve = { name, time: [], surv: [], lower: [], upper: [], censorTimes: [], censorSurv: [], median: null };
  let s = 1;
  let greenwood = 0;
  let atRisk = time.length;
  let i = 0;
  while (i < order.length) {
    const t = time[order[i]];
    let d = 0;
    let n = 0;
    while (i < order.length && time[order[i]] === t) {
      d += status[order[i]];
      n++;
      i++;
    }
    if (d > 0) {
      s *= 1 - d / atRisk;
      greenwood += atRisk > d ? d / (atRisk * (atRisk - d)) : Infinity;
    }
    const se = Math.sqrt(greenwood);
    out.time.push(t);
    out.surv.push(s);
    out.lower.push(s > 0 ? s * Math.exp(-1.959963984540054 * se) : NaN);
    out.upper.push(s > 0 ? Math.min(1, s * Math.exp(1.959963984540054 * se)) : NaN);
    if (n > d) {
      out.censorTimes.push(t);
      out.censorSurv.push(s);
    }
    if (out.median === null && s <= 0.5) out.median = t;
    atRisk -= n;
  }
  return out;
}

/** Number at risk (time >= t) at each of `times`. */
export function numberAtRisk(time: readonly number[], times: readonly number[]): number[] {
  return times.map((t) => time.filter((u) => u >= t).length);
}

const ARM_A_TIME = [1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 24, 25, 26, 28, 30, 31, 33, 34, 36, 38, 40, 42, 44, 45, 47, 50, 52, 55, 58, 60, 62, 65, 68, 70, 72, 75, 80];
const ARM_A_STATUS = [1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0];
const ARM_B_TIME = [0.5, 1, 1.5, 2, 2, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 8, 9, 9.5, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 22, 23, 24, 26, 28, 30, 33, 36, 40, 44, 48, 54, 60];
const ARM_B_STATUS = [1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0];

/** Two-arm synthetic KM input with a suppressed late risk-table cell. */
export function sampleKmInput(): KmPlotInput {
  const breaks = [0, 12, 24, 36, 48, 60, 72];
  const a = kaplanMeierForSample('Immunotherapy', ARM_A_TIME, ARM_A_STATUS);
  const b = kaplanMeierForSample('No immunotherapy', ARM_B_TIME, ARM_B_STATUS);
  return {
    title: 'Overall survival by immunotherapy',
    curves: [a, b],
    pValue: 0.0031,
    xLabel: 'Months since diagnosis',
    yLabel: 'Overall survival',
    breaks,
    riskTable: {
      times: breaks,
      rows: [
        { name: a.name, nRisk: numberAtRisk(ARM_A_TIME, breaks) },
        { name: b.name, nRisk: numberAtRisk(ARM_B_TIME, breaks) },
      ],
    },
    synthetic: true,
    note: 'Subject to immortal-time bias',
  };
}

/** Forest-plot rows with a group header, a suppressed count and a skipped analysis. */
export function sampleForestInput(): import('./forest-plot.js').ForestPlotInput {
  return {
    title: 'Hazard ratios for death, immunotherapy vs none',
    synthetic: true,
    rows: [
      { group: 'Landmark Cox (6 months)', label: 'Unadjusted', hr: 0.62, lower: 0.45, upper: 0.86, n: 1234, events: 612, p: 0.004 },
      { group: 'Landmark Cox (6 months)', label: 'Adjusted', hr: 0.71, lower: 0.52, upper: 0.97, n: 1234, events: 612, p: 0.031 },
      { group: 'Time-dependent Cox', label: 'Adjusted', hr: 0.78, lower: 0.61, upper: 1.01, n: 1480, events: 790, p: 0.06 },
      { group: 'Propensity-matched', label: 'Matched pairs', hr: 0.69, lower: 0.5, upper: 0.95, n: 820, events: 401, p: 0.022 },
      { group: 'Subgroups', label: 'Age >= 80', hr: 1.35, lower: 0.4, upper: 4.6, n: 7, events: 4, p: 0.63 },
      { group: 'Subgroups', label: 'Stage IV, academic centres', hr: NaN, lower: NaN, upper: NaN, n: 0, events: 0, note: 'not estimable (no events)' },
    ],
  };
}

/** Love-plot rows (SMDs before/after matching). */
export function sampleLoveInput(): import('./love-plot.js').LovePlotInput {
  return {
    title: 'Covariate balance',
    synthetic: true,
    rows: [
      { variable: 'Age at diagnosis', smdBefore: 0.42, smdAfter: 0.03 },
      { variable: 'Charlson-Deyo score', smdBefore: -0.18, smdAfter: 0.05 },
      { variable: 'Academic facility', smdBefore: 0.31, smdAfter: -0.02 },
      { variable: 'Medicaid/uninsured', smdBefore: -0.09, smdAfter: 0.01 },
      { variable: 'Stage IV', smdBefore: 0.25, smdAfter: 0.12 },
      { variable: 'Female', smdBefore: 0.04, smdAfter: -0.01 },
    ],
  };
}

/** Bar-chart rows with one suppressed count and one suppressed complement. */
export function sampleBarInput(): import('./bar-chart.js').BarChartInput {
  return {
    title: 'Surgery by facility type',
    xLabel: 'Patients receiving surgery',
    synthetic: true,
    rows: [
      { category: 'Community', count: 120, total: 410 },
      { category: 'Comprehensive community', count: 388, total: 905 },
      { category: 'Academic/research', count: 512, total: 860 },
      { category: 'Integrated network', count: 6, total: 95 },
      { category: 'Unknown', count: 37, total: 42 },
    ],
  };
}

/** A STROBE-style cohort flow with one suppressed exclusion. */
export function sampleFlowInput(): import('./flow-diagram.js').FlowDiagramInput {
  return {
    title: 'Cohort selection',
    synthetic: true,
    steps: [
      { description: 'Patients with NSCLC in the NCDB PUF, 2004-2020', remaining: 152340, excluded: 0 },
      { description: 'Diagnosed 2015-2020, stage III-IV', remaining: 48210, excluded: 104130, exclusionReason: 'Diagnosed before 2015 or stage I-II' },
      { description: 'Known immunotherapy status and vital status', remaining: 45002, excluded: 3208, exclusionReason: 'Unknown immunotherapy or vital status' },
      { description: 'Follow-up recorded', remaining: 44996, excluded: 6, exclusionReason: 'Missing follow-up time' },
    ],
    groups: [
      { name: 'Immunotherapy', n: 12004 },
      { name: 'No immunotherapy', n: 32992 },
    ],
  };
}

/**
 * Section 2 of the study report: five key-result sentences generated from the numbers —
 * cohort size; surgery rate and academic share; the naive HR (labelled as biased); the main
 * time-dependent HR with its CI; and whether the landmark, propensity-matched and
 * clone–censor–weight estimates agree with it.
 *
 * Inputs: ReportContext. Output: the sentences (plain text; counts 1..T-1 already '<T').
 * Agreement rule: estimates agree when every HR lies on the same side of 1 as the main HR and
 * every 95% CI overlaps the main CI; otherwise the sentence says which way they differ.
 */

import { escapeHtml } from '../escape.js';
import { formatRatioCi } from '../format.js';
import type { ReportContext } from '../report-context.js';
import { finite, isSkipped } from '../read-results.js';
import { groupCountTexts } from './cohort.js';
import { facilityCellsHiddenInTable1 } from './surgery.js';

interface Estimate { hr: number; lower: number; upper: number }

function estimate(x: unknown): Estimate | null {
  if (isSkipped(x) || typeof x !== 'object' || x === null) return null;
  const e = x as Record<string, unknown>;
  const hr = finite(e.hr), lower = finite(e.lower), upper = finite(e.upper);
  return hr !== null && lower !== null && upper !== null && hr > 0 ? { hr, lower, upper } : null;
}

const hrText = (e: Estimate): string => `HR ${formatRatioCi(e.hr, e.lower, e.upper).replace(' (', ' (95% CI ')}`;

function skipReason(x: unknown): string {
  return isSkipped(x) ? x.skipped : 'not estimable';
}

export function keyResultSentences(ctx: ReportContext): string[] {
  const r = ctx.results;
  const a = r.analyses;
  const n = r.attrition[r.attrition.length - 1]!.remaining;
  const years = r.diagnosis_years ? `${r.diagnosis_years.from}–${r.diagnosis_years.to}` : '';
  const out: string[] = [];
  out.push(`The cohort comprised ${ctx.count(n)} patients with advanced hepatocellular carcinoma who started first-course immunotherapy${years ? ` (diagnosed ${years})` : ''}.`);

  const res = r.groups.resection ?? 0, tx = r.groups.transplant ?? 0, surg = res + tx;
  // Group sizes under complementary suppression: resection + transplant = the surgery total.
  const g = groupCountTexts(ctx);
  const surgText = g.any_surgery === ctx.count(surg) ? ctx.countPercent(surg, n) : g.any_surgery === 'suppressed' ? 'A suppressed number of patients' : g.any_surgery;
  let s2 = `${surgText} underwent curative surgery after immunotherapy (resection ${g.resection}, transplant ${g.transplant})`;
  const pred = a.predictors_of_surgery;
  if (!isSkipped(pred) && surg > 0) {
    const share = pred.academic_share_of_surgery;
    // Consistent with Table 1: if it hides the academic row's counts, so does this sentence.
    const hidden = facilityCellsHiddenInTable1(ctx).get('Academic/research') === true && !ctx.hidden(share.at_academic);
    s2 += hidden ? '; the number operated at academic/research programs is suppressed (small cells in Table 1)' : `; ${ctx.countPercent(share.at_academic, share.surgery)} of the operations took place at academic/research programs`;
  }
  out.push(`${s2}.`);

  const naive = isSkipped(a.naive_cox) ? null : estimate(a.naive_cox.adjusted);
  out.push(naive
    ? `A naive Cox model that treats surgery as known at time zero gave an adjusted ${hrText(naive)}; this estimate is biased by immortal time (patients had to survive until surgery) and is shown for comparison only.`
    : `The naive Cox model (biased by immortal time) could not be estimated: ${skipReason(isSkipped(a.naive_cox) ? a.naive_cox : a.naive_cox.adjusted)}.`);

  const main = estimate(a.time_dependent_cox);
  out.push(main
    ? `In the main analysis, a Cox model with surgery as a time-dependent exposure adjusted for ${ctx.results.protocol.covariates.adjusted.length} covariates, surgery was associated with ${main.hr < 1 ? 'lower' : 'higher'} mortality: ${hrText(main)}.`
    : `The main time-dependent Cox model could not be estimated: ${skipReason(a.time_dependent_cox)}.`);

  const L = r.protocol.analyses.landmark.main;
  const lm = isSkipped(a.landmark) ? null : a.landmark.find((x) => x.landmark_months === L);
  const others: [string, Estimate | null, unknown][] = [
    [`${L}-month landmark`, lm ? estimate(lm.cox_adjusted) : null, lm ? lm.cox_adjusted : a.landmark],
    ['propensity-matched', isSkipped(a.psm) ? null : estimate(a.psm.hr), a.psm],
    ['clone–censor–weight', isSkipped(a.clone_censor_weight) ? null : estimate(a.clone_censor_weight.hr), a.clone_censor_weight],
  ];
  const available = others.filter((o) => o[1] !== null) as [string, Estimate, unknown][];
  const missing = others.filter((o) => o[1] === null).map((o) => o[0]);
  const list = available.map(([name, e]) => `${name} ${hrText(e)}`).join('; ');
  let s5: string;
  if (available.length === 0) s5 = 'No sensitivity analysis (landmark, propensity score, clone–censor–weight) could be estimated.';
  else if (main) {
    const sameSide = available.every(([, e]) => (e.hr < 1) === (main.hr < 1));
    const overlap = available.every(([, e]) => e.lower <= main.upper && e.upper >= main.lower);
    const verdict = sameSide && overlap ? 'were consistent with the main estimate' : sameSide ? 'pointed the same way as the main estimate, but not every confidence interval overlapped it' : 'did not all point the same way as the main estimate';
    s5 = `Sensitivity analyses that also avoid immortal-time bias ${verdict} (${list}).`;
  } else s5 = `Sensitivity analyses: ${list}.`;
  if (missing.length > 0) s5 += ` Not estimable: ${missing.join(', ')}.`;
  out.push(s5);
  return out;
}

export function keyResultsHtml(ctx: ReportContext): string {
  return `<ol class="key-results">${keyResultSentences(ctx).map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ol>`;
}

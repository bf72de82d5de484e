/** The short summary printed after a study run (and by the demo, next to the generator's truth). */
import { formatRatioCi } from '../report/format.js';
import { isSkipped } from '../report/read-results.js';
import type { StudyResults } from '../study/results.js';

interface HrLike { hr: number; lower: number; upper: number; p: number; warnings?: string[] }
const isHr = (x: unknown): x is HrLike => typeof x === 'object' && x !== null && 'hr' in x;

export function hrText(x: unknown): string {
  if (isHr(x)) {
    const text = formatRatioCi(x.hr, x.lower, x.upper);
    // R's "coefficient may be infinite" warning: the printed ratio is not a usable estimate.
    return x.warnings !== undefined && x.warnings.length > 0 ? `${text}  [warning: ${x.warnings[0]}]` : text;
  }
  if (typeof x === 'object' && x !== null && 'skipped' in x) return `not estimable (${(x as { skipped: string }).skipped})`;
  return 'n/a';
}

export interface StudySummaryLine { label: string; value: string; truth?: string }

export function studySummaryLines(results: StudyResults): StudySummaryLine[] {
  const a = results.analyses;
  const cohort = results.attrition[results.attrition.length - 1]!.remaining;
  const main = results.protocol.analyses.landmark.main;
  const lmMain = isSkipped(a.landmark) ? a.landmark : a.landmark.find((l) => l.landmark_months === main)?.cox_adjusted;
  const surgery = a.predictors_of_surgery;
  const percent = (x: number | null | undefined): string => (typeof x === 'number' && Number.isFinite(x) ? `${x.toFixed(1)}%` : 'n/a');
  const g = results.groups;
  return [
    { label: 'Cohort', value: `${cohort} patients (immunotherapy alone ${g.immunotherapy_alone}, resection ${g.resection}, transplant ${g.transplant})` },
    { label: 'Surgery after immunotherapy', value: isSkipped(surgery) ? hrText(surgery) : percent(surgery.overall.percent) },
    { label: 'Surgery at academic centres', value: isSkipped(surgery) ? hrText(surgery) : percent(surgery.academic_share_of_surgery.percent) },
    { label: 'Naive HR (biased by immortal time)', value: hrText(isSkipped(a.naive_cox) ? a.naive_cox : a.naive_cox.unadjusted) },
    { label: 'MAIN time-dependent HR (adjusted)', value: hrText(a.time_dependent_cox) },
    { label: `${main}-month landmark HR (adjusted)`, value: hrText(lmMain) },
    { label: 'Clone–censor–weight HR', value: hrText(isSkipped(a.clone_censor_weight) ? a.clone_censor_weight : a.clone_censor_weight.hr) },
  ];
}

export function printStudySummary(results: StudyResults, outDir: string, truth?: Record<string, string>): void {
  const lines = studySummaryLines(results);
  const width = Math.max(...lines.map((l) => l.label.length));
  const out: string[] = [];
  for (const l of lines) {
    const t = truth?.[l.label];
    out.push(`  ${l.label.padEnd(width)}  ${l.value}${t !== undefined ? `   [truth: ${t}]` : ''}`);
  }
  process.stdout.write(`\nhcc-conversion study\n${out.join('\n')}\n\nOutputs in ${outDir}/\n`);
}

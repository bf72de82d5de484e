/** The short summary printed after a study run (and by the demo, next to the generator's truth). */
import { formatRatioCi } from '../report/format.js';

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

export function studySummaryLines(results: Record<string, unknown>): StudySummaryLine[] {
  const r = results as {
    attrition: { remaining: number }[];
    groups: Record<string, number>;
    analyses: {
      predictors_of_surgery: { overall: { percent: number }; academic_share_of_surgery: { percent: number } };
      naive_cox: { unadjusted: unknown; adjusted: unknown };
      time_dependent_cox: unknown;
      landmark: { landmark_months: number; cox_adjusted: unknown }[];
      clone_censor_weight: unknown;
    };
    protocol: { analyses: { landmark: { main: number } } };
  };
  const a = r.analyses;
  const cohort = r.attrition[r.attrition.length - 1]!.remaining;
  const lmMain = a.landmark.find((l) => l.landmark_months === r.protocol.analyses.landmark.main);
  const ccw = a.clone_censor_weight as { hr?: unknown } | { skipped: string };
  return [
    { label: 'Cohort', value: `${cohort} patients (immunotherapy alone ${r.groups.immunotherapy_alone}, resection ${r.groups.resection}, transplant ${r.groups.transplant})` },
    { label: 'Surgery after immunotherapy', value: `${a.predictors_of_surgery.overall.percent.toFixed(1)}%` },
    { label: 'Surgery at academic centres', value: Number.isFinite(a.predictors_of_surgery.academic_share_of_surgery.percent) ? `${a.predictors_of_surgery.academic_share_of_surgery.percent.toFixed(1)}%` : 'n/a' },
    { label: 'Naive HR (biased by immortal time)', value: hrText(a.naive_cox.unadjusted) },
    { label: 'MAIN time-dependent HR (adjusted)', value: hrText(a.time_dependent_cox) },
    { label: `${r.protocol.analyses.landmark.main}-month landmark HR (adjusted)`, value: hrText(lmMain?.cox_adjusted) },
    { label: 'Clone–censor–weight HR', value: 'skipped' in ccw ? hrText(ccw) : hrText((ccw as { hr: unknown }).hr) },
  ];
}

export function printStudySummary(results: Record<string, unknown>, outDir: string, truth?: Record<string, string>): void {
  const lines = studySummaryLines(results);
  const width = Math.max(...lines.map((l) => l.label.length));
  const out: string[] = [];
  for (const l of lines) {
    const t = truth?.[l.label];
    out.push(`  ${l.label.padEnd(width)}  ${l.value}${t !== undefined ? `   [truth: ${t}]` : ''}`);
  }
  process.stdout.write(`\nhcc-conversion study\n${out.join('\n')}\n\nOutputs in ${outDir}/\n`);
}

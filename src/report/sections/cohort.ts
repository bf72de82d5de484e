/**
 * Section 3 of the study report: the cohort flow diagram — the source file, every attrition
 * step with the patients remaining and excluded (and the step's note, e.g. the stage fallback),
 * ending in the three exposure groups.
 *
 * Inputs: ReportContext (results.attrition, results.groups). Output: FlowDiagramInput for
 * flowDiagramSvg; counts arrive already suppressed with the protocol threshold, and small
 * counts written inside step texts ('3 patients ...') are replaced by '<T' too.
 */

import type { FlowDiagramInput } from '../figures/flow-diagram.js';
import { PRESUPPRESSED, type ReportContext } from '../report-context.js';

/** Replaces counts 1..T-1 written in free text before 'patients'/'cases'/'records'. */
export function suppressCountsInText(text: string, ctx: ReportContext): string {
  if (!ctx.suppress) return text;
  return text.replace(/\b(\d[\d,]*)(?=\s+(patients?|cases?|records?)\b)/g, (m) => {
    const n = Number(m.replace(/,/g, ''));
    return ctx.hidden(n) ? `<${ctx.threshold}` : m;
  });
}

export function flowInput(ctx: ReportContext): FlowDiagramInput {
  const r = ctx.results;
  const first = r.attrition[0]!;
  const sourceRows = first.remaining + first.excluded;
  const steps: FlowDiagramInput['steps'] = [
    { description: `Records in ${r.input.file}`, remaining: ctx.shown(sourceRows), excluded: 0 },
    ...r.attrition.map((s) => ({
      description: suppressCountsInText(s.note ? `${s.description} (${s.note})` : s.description, ctx),
      remaining: ctx.shown(s.remaining),
      excluded: ctx.shown(s.excluded),
      exclusionReason: `Excluded at step ${s.step}`,
    })),
  ];
  const groups = ['immunotherapy_alone', 'resection', 'transplant'].map((k) => ({ name: ctx.groupLabel(k), n: ctx.shown(r.groups[k] ?? 0) }));
  return { title: 'Cohort selection', steps, groups, suppress: PRESUPPRESSED, synthetic: ctx.synthetic, widthInches: 7, compact: steps.length >= 8 };
}

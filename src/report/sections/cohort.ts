/**
 * Section 3 of the study report: the cohort flow diagram — the source file, every attrition
 * step with the patients remaining and excluded (and the step's note, e.g. the stage fallback),
 * ending in the three exposure groups.
 *
 * Inputs: ReportContext (results.attrition, results.groups). Output: FlowDiagramInput for
 * flowDiagramSvg; counts arrive already suppressed with the protocol threshold, and small
 * counts written inside step texts ('3 patients ...') are replaced by '<T' too.
 * Complementary suppression: a step that excludes a small number would give it back as the
 * difference of the two boxes around it, so such a step is merged with the next one (the last
 * step with the one before) into one box whose exclusion is the sum — repeated while the sum is
 * still small. The three groups add up to the final box, so they follow Table 1's rule
 * (alone + resection + transplant = cohort; resection + transplant = any surgery).
 */

import type { FlowDiagramInput } from '../figures/flow-diagram.js';
import { PRESUPPRESSED, type ReportContext } from '../report-context.js';
import type { AttritionStep } from '../../cohort/hcc-cohort.js';
import { hiddenCells } from './table-one.js';

/** Replaces counts 1..T-1 written in free text before 'patients'/'cases'/'records'. */
export function suppressCountsInText(text: string, ctx: ReportContext): string {
  if (!ctx.suppress) return text;
  return text.replace(/\b(\d[\d,]*)(?=\s+(patients?|cases?|records?)\b)/g, (m) => {
    const n = Number(m.replace(/,/g, ''));
    return ctx.hidden(n) ? `<${ctx.threshold}` : m;
  });
}

export interface AttritionBox { steps: number[]; description: string; remaining: number; excluded: number }

/** Attrition steps as flow boxes, merging any step whose exclusion count is hidden (see header). */
export function mergeSmallExclusions(attrition: readonly AttritionStep[], hidden: (n: number) => boolean, text: (s: AttritionStep) => string = (s) => s.description): AttritionBox[] {
  const boxes: AttritionBox[] = attrition.map((s) => ({ steps: [s.step], description: text(s), remaining: s.remaining, excluded: s.excluded }));
  for (let i = 0; i < boxes.length;) {
    if (!hidden(boxes[i]!.excluded) || boxes.length === 1) { i++; continue; }
    const j = i + 1 < boxes.length ? i : i - 1;
    const [a, b] = [boxes[j]!, boxes[j + 1]!];
    boxes.splice(j, 2, { steps: [...a.steps, ...b.steps], description: `${a.description}; ${b.description}`, remaining: b.remaining, excluded: a.excluded + b.excluded });
    i = j;
  }
  return boxes;
}

/**
 * Display texts of the group sizes (alone, resection, transplant, any surgery, overall) under
 * primary and complementary suppression: a number, '<T', or 'suppressed'.
 */
export function groupCountTexts(ctx: ReportContext): Record<'immunotherapy_alone' | 'resection' | 'transplant' | 'any_surgery' | 'overall', string> {
  const g = ctx.results.groups;
  const io = g.immunotherapy_alone ?? 0, res = g.resection ?? 0, tx = g.transplant ?? 0;
  const counts = [io, res, tx, res + tx, io + res + tx];
  const hide = ctx.suppress ? hiddenCells([counts], ctx.threshold)[0]! : counts.map(() => null);
  const text = counts.map((n, j) => (hide[j] === 'primary' ? `<${ctx.threshold}` : hide[j] === 'complementary' ? 'suppressed' : ctx.count(n)));
  return { immunotherapy_alone: text[0]!, resection: text[1]!, transplant: text[2]!, any_surgery: text[3]!, overall: text[4]! };
}

export function flowInput(ctx: ReportContext): FlowDiagramInput {
  const r = ctx.results;
  const first = r.attrition[0]!;
  const sourceRows = first.remaining + first.excluded;
  const boxes = mergeSmallExclusions(r.attrition, (n) => ctx.hidden(n), (s) => suppressCountsInText(s.note ? `${s.description} (${s.note})` : s.description, ctx));
  const steps: FlowDiagramInput['steps'] = [
    { description: `Records in ${r.input.file}`, remaining: ctx.shown(sourceRows), excluded: 0 },
    ...boxes.map((b) => ({
      description: b.description,
      remaining: ctx.shown(b.remaining),
      excluded: ctx.shown(b.excluded),
      exclusionReason: b.steps.length === 1 ? `Excluded at step ${b.steps[0]}` : `Excluded at steps ${b.steps[0]}–${b.steps[b.steps.length - 1]}`,
    })),
  ];
  const counts = groupCountTexts(ctx);
  const groups = (['immunotherapy_alone', 'resection', 'transplant'] as const).map((k) => ({ name: ctx.groupLabel(k), n: counts[k] }));
  return { title: 'Cohort selection', steps, groups, suppress: PRESUPPRESSED, synthetic: ctx.synthetic, widthInches: 7, compact: steps.length >= 8 };
}

/**
 * Section 4 of the study report: Table 1 — patient characteristics by group (immunotherapy
 * alone, resection, transplant, any surgery, overall) with n (%) or median [IQR], the SMD
 * (any surgery vs immunotherapy alone) and the p-value, whose test is named in a footnote.
 *
 * Inputs: the study's Table 1 result and ReportContext. Output: a ReportTable of display
 * strings. Unknowns are their own rows, as the study computed them.
 * Suppression: primary (counts 1..T-1 -> '<T', their percentages hidden) and complementary, so
 * that no hidden cell can be recovered by subtraction: within a column the levels add up to
 * the column total; within a row, overall = alone + resection + transplant and any surgery =
 * resection + transplant. Whenever one of these sums has exactly one hidden cell, the smallest
 * other non-zero cell of the sum is hidden too, repeated until nothing changes (the usual
 * iterative secondary-suppression rule; CMS Cell Size Suppression Policy).
 */

import { formatP } from '../format.js';
import { PRESUPPRESSED, type ReportContext } from '../report-context.js';
import type { ReportTable, TableCell } from '../table.js';
import type { Table1 } from '../../study/results.js';

/** Column order of the study's Table 1 result. */
const KEYS = ['immunotherapy_alone', 'resection', 'transplant', 'any_surgery', 'overall'];
/** Sums that a reader can form within one row (indices into KEYS). */
const ROW_SUMS = [[0, 1, 2, 4], [1, 2, 3]];

/** Why a cell is hidden: a small count itself, or a larger one that would give a small one back. */
export type CellSuppression = 'primary' | 'complementary' | null;

/** Mark for complementary cells: they are not small, so '<T' would misstate them. */
export const COMPLEMENTARY_MARK = '†';

/**
 * Which cells of a levels x columns count matrix (columns in the study's order: alone,
 * resection, transplant, any surgery, overall) to hide, and why.
 */
export function hiddenCells(counts: number[][], threshold: number): CellSuppression[][] {
  const hide: CellSuppression[][] = counts.map((row) => row.map((n) => (n > 0 && n < threshold ? 'primary' : null)));
  const sets: [number, number][][] = [];
  const nCol = counts[0]?.length ?? 0;
  for (let j = 0; j < nCol; j++) sets.push(counts.map((_, i) => [i, j] as [number, number]));
  for (let i = 0; i < counts.length; i++) for (const s of ROW_SUMS) if (s.every((j) => j < nCol)) sets.push(s.map((j) => [i, j] as [number, number]));
  for (let changed = true; changed;) {
    changed = false;
    for (const set of sets) {
      const hidden = set.filter(([i, j]) => hide[i]![j]);
      if (hidden.length !== 1) continue;
      let best: [number, number] | null = null;
      for (const [i, j] of set) {
        if (hide[i]![j] || counts[i]![j]! === 0) continue;
        if (best === null || counts[i]![j]! < counts[best[0]]![best[1]]!) best = [i, j];
      }
      if (best !== null) { hide[best[0]]![best[1]] = 'complementary'; changed = true; }
    }
  }
  return hide;
}

const TEST_MARK: Record<string, string> = { 'chi-square': 'ᵃ', 'Kruskal–Wallis': 'ᵇ', 'Fisher exact': 'ᶜ' };
const TEST_NOTE: Record<string, string> = { 'ᵃ': 'Pearson chi-square test', 'ᵇ': 'Kruskal–Wallis rank-sum test', 'ᶜ': "Fisher's exact test" };
/** Non-collapsing indent for level rows; a blank (not '—') for cells that do not apply. */
const INDENT = '\u2003';
const BLANK = ' ';

const num = (x: number | null | undefined, digits = 0): string => (x === null || x === undefined || !Number.isFinite(x) ? 'NA' : x.toFixed(digits));

/** Level text that cannot be mistaken for a count: '1' -> 'Charlson-Deyo score 1'. */
function levelText(variableLabel: string, level: string): string {
  return /^\d\+?$/.test(level) ? `${variableLabel} ${level}` : level;
}

export function tableOne(t1: Table1, ctx: ReportContext): ReportTable {
  const cols = KEYS.map((k) => t1.columns.find((c) => c.key === k)).filter((c) => c !== undefined);
  const colN = cols.map((c) => c.n);
  const usedMarks = new Set<string>();
  const rows: Record<string, TableCell>[] = [];
  const pText = (p: number | null, test: string): string => {
    const s = formatP(p, 'p').replace(/^p = /, '').replace(/^p /, '');
    if (s === '') return '';
    const mark = TEST_MARK[test] ?? '';
    if (mark) usedMarks.add(mark);
    return `${s}${mark}`;
  };
  // Group sizes add up like the cells (overall = the three groups; any surgery = two of them).
  const colHide = ctx.suppress && cols.length === KEYS.length ? hiddenCells([colN], ctx.threshold)[0]! : colN.map((n) => (ctx.hidden(n) ? 'primary' as const : null));
  const colHidden = colHide.map((h) => h !== null);
  const colText = colN.map((n, j) => (colHide[j] === 'primary' ? `<${ctx.threshold}` : colHide[j] === 'complementary' ? COMPLEMENTARY_MARK : ctx.count(n)));
  for (const r of t1.rows) {
    const smd = r.smd === null || r.smd === undefined ? '' : num(Math.abs(r.smd), 2);
    if (r.type === 'continuous' && r.summary) {
      const cells = cols.map((c) => r.summary![c.key]);
      rows.push({
        characteristic: `${r.label}, median [IQR]`,
        ...Object.fromEntries(cols.map((c, j) => {
          const s = cells[j];
          // A median of fewer than T patients describes a small cell: hide it with the count.
          const shown = s !== undefined && s.n > 0 && !ctx.hidden(s.n) && !colHidden[j];
          return [c.key, shown ? `${num(s.median, s.median % 1 === 0 ? 0 : 1)} [${num(s.q1, s.q1 % 1 === 0 ? 0 : 1)}–${num(s.q3, s.q3 % 1 === 0 ? 0 : 1)}]` : s && s.n > 0 ? `<${ctx.threshold} patients` : '—'];
        })),
        smd,
        p: pText(r.p, r.test),
      });
      const missing = cells.map((s) => s?.missing ?? 0);
      if (missing.some((m) => m > 0)) {
        const hide = ctx.suppress ? hiddenCells([missing], ctx.threshold)[0]! : missing.map(() => null);
        rows.push({ characteristic: `${INDENT}Missing`, ...Object.fromEntries(cols.map((c, j) => [c.key, cellText(missing[j]!, colN[j]!, hide[j]!, ctx)])), smd: BLANK, p: BLANK });
      }
      continue;
    }
    rows.push({ characteristic: r.label, ...Object.fromEntries(cols.map((c) => [c.key, BLANK])), smd, p: pText(r.p, r.test) });
    const levels = r.levels ?? [];
    const counts = levels.map((l) => cols.map((c) => l.counts[c.key] ?? 0));
    const hide = ctx.suppress ? hiddenCells(counts, ctx.threshold) : counts.map((row) => row.map(() => null));
    levels.forEach((l, i) => {
      rows.push({
        characteristic: `${INDENT}${levelText(r.label, l.level)}`,
        ...Object.fromEntries(cols.map((c, j) => [c.key, cellText(counts[i]![j]!, colN[j]!, hide[i]![j]!, ctx)])),
        smd: BLANK,
        p: BLANK,
      });
    });
  }
  const notes = [
    'Values are n (%) or median [interquartile range]. SMD: absolute standardized mean difference, any surgery vs immunotherapy alone.',
    `p-values compare immunotherapy alone, resection and transplant: ${[...usedMarks].sort().map((m) => `${m} ${TEST_NOTE[m]}`).join('; ')}.`,
    ctx.suppress ? `Counts from 1 to ${ctx.threshold - 1} are shown as <${ctx.threshold}, without percentages; ${COMPLEMENTARY_MARK} marks a larger count hidden because a suppressed count could otherwise be recovered by subtraction from the totals.` : 'Small-cell suppression is OFF.',
  ];
  return {
    caption: 'Patient characteristics by group',
    footnote: notes.join(' '),
    columns: [
      { key: 'characteristic', label: 'Characteristic' },
      ...cols.map((c, j) => ({ key: c.key, label: `${ctx.groupLabel(c.key)} (n\u00a0=\u00a0${colText[j]})`, count: true })),
      { key: 'smd', label: 'SMD', align: 'right' as const },
      { key: 'p', label: 'p', align: 'right' as const },
    ],
    rows,
    suppress: PRESUPPRESSED,
  };
}

function cellText(n: number, total: number, hidden: CellSuppression, ctx: ReportContext): string {
  if (hidden === 'primary') return `<${ctx.threshold}`;
  if (hidden === 'complementary') return COMPLEMENTARY_MARK;
  if (total === 0) return String(n);
  return `${n.toLocaleString('en-US')} (${((100 * n) / total).toFixed(1)})`;
}

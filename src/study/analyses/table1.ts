/**
 * Table 1: patient characteristics by exposure group.
 *
 * Inputs: the analysis dataset, the variables to describe, the group column.
 * Output: per variable, n (%) per level (categorical, unknowns as their own level) or median
 * [IQR] (continuous, R's type-7 quantiles), the SMD between any surgery and none (Yang &
 * Dalton, as tableone), and a p-value across the three groups: chi-square (R chisq.test),
 * Fisher's exact test when the table is 2 x 2 with an expected count below 5, Kruskal–Wallis
 * for continuous variables. The test used is named in each row.
 */
import { chiSquareTest, fisherExact2x2, kruskalWallis, minExpectedCount } from '../../stats/contingency.js';
import { quantiles } from '../../stats/quantile.js';
import { smdCategorical, smdContinuous } from '../../stats/smd.js';
import type { DataTable } from '../../core/types.js';

export interface Table1Variable { name: string; label: string; type: 'continuous' | 'categorical' }

export interface Table1Row {
  variable: string;
  label: string;
  type: 'continuous' | 'categorical';
  /** Categorical: one entry per level, counts per group column. */
  levels?: { level: string; counts: Record<string, number>; percents: Record<string, number> }[];
  /** Continuous: per group column. */
  summary?: Record<string, { n: number; missing: number; median: number; q1: number; q3: number }>;
  smd: number | null;
  p: number | null;
  test: string;
}

export interface Table1 {
  /** Column order: the groups, then "any_surgery" and "overall". */
  columns: { key: string; label: string; n: number }[];
  rows: Table1Row[];
  smd_between: string;
}

export function table1(data: DataTable, variables: Table1Variable[], groupColumn: string, groupLevels: string[], groupLabels: Record<string, string>): Table1 {
  const gcol = data.columns.get(groupColumn);
  if (gcol === undefined || gcol.kind !== 'string') throw new Error(`table1: no categorical column ${groupColumn}`);
  const n = data.nrow;
  const gcode = Int32Array.from(gcol.values, (v) => groupLevels.indexOf(v ?? ''));
  const anySurgery = Uint8Array.from(gcode, (g) => (g > 0 ? 1 : 0));
  const keys = [...groupLevels, 'any_surgery', 'overall'];
  const colN = keys.map((k, j) => (j < groupLevels.length ? gcode.filter((g) => g === j).length : k === 'any_surgery' ? anySurgery.reduce((a, b) => a + b, 0) : n));
  const inColumn = (j: number, i: number): boolean => (j < groupLevels.length ? gcode[i] === j : keys[j] === 'any_surgery' ? anySurgery[i] === 1 : true);
  const rows: Table1Row[] = [];
  for (const v of variables) {
    const col = data.columns.get(v.name);
    if (col === undefined) continue;
    if (v.type === 'continuous') {
      if (col.kind === 'string') continue;
      const x = col.values;
      const summary: Table1Row['summary'] = {};
      keys.forEach((k, j) => {
        const vals: number[] = [];
        let missing = 0;
        for (let i = 0; i < n; i++) {
          if (!inColumn(j, i)) continue;
          if (Number.isNaN(x[i]!)) missing++;
          else vals.push(x[i]!);
        }
        const [q1, med, q3] = quantiles(vals, [0.25, 0.5, 0.75]);
        summary[k] = { n: vals.length, missing, median: med!, q1: q1!, q3: q3! };
      });
      const surg: number[] = [], none: number[] = [];
      for (let i = 0; i < n; i++) (anySurgery[i] ? surg : none).push(x[i]!);
      const kw = kruskalWallis(x, gcode, groupLevels.length);
      rows.push({ variable: v.name, label: v.label, type: 'continuous', summary, smd: finite(smdContinuous(surg, none)), p: finite(kw.p), test: 'Kruskal–Wallis' });
    } else {
      const values: string[] = col.kind === 'string' ? col.values.map((s) => s ?? 'Unknown') : Array.from(col.values, (s) => (Number.isNaN(s) ? 'Unknown' : String(s)));
      const declared = col.kind === 'string' && col.levels ? col.levels : [...new Set(values)].sort();
      const levels = declared.filter((l) => values.includes(l));
      const counts = levels.map((l) => keys.map((_, j) => { let c = 0; for (let i = 0; i < n; i++) if (values[i] === l && inColumn(j, i)) c++; return c; }));
      const byGroup = levels.map((_, li) => groupLevels.map((__, j) => counts[li]![j]!));
      let test = 'chi-square';
      let p: number;
      if (byGroup.length === 2 && groupLevels.filter((_, j) => colN[j]! > 0).length === 2 && minExpectedCount(byGroup) < 5) {
        const t = byGroup.map((r) => r.filter((_, j) => colN[j]! > 0));
        p = fisherExact2x2(t).p;
        test = 'Fisher exact';
      } else {
        p = chiSquareTest(byGroup).p;
      }
      const surgIdx = keys.indexOf('any_surgery');
      const smd = smdCategorical(levels.map((_, li) => counts[li]![surgIdx]!), levels.map((_, li) => counts[li]![0]!));
      rows.push({
        variable: v.name,
        label: v.label,
        type: 'categorical',
        levels: levels.map((l, li) => ({
          level: l,
          counts: Object.fromEntries(keys.map((k, j) => [k, counts[li]![j]!])),
          percents: Object.fromEntries(keys.map((k, j) => [k, colN[j]! > 0 ? (100 * counts[li]![j]!) / colN[j]! : NaN])),
        })),
        smd: finite(smd),
        p: finite(p),
        test,
      });
    }
  }
  return {
    columns: keys.map((k, j) => ({ key: k, label: groupLabels[k] ?? k, n: colN[j]! })),
    rows,
    smd_between: 'any surgery vs immunotherapy alone',
  };
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

import { test } from 'node:test';
import { assertClose, loadReference } from '../testing/approx.js';
import { chiSquareTest, fisherExact2x2, kruskalWallis } from './contingency.js';
import { smdCategorical, smdContinuous } from './smd.js';

interface TableCase { table: number[][]; chisq: number; df: number; p: number; fisher_p?: number }
const ref = loadReference<Record<string, unknown>>('table1.json');

test('chi-square and Fisher tests match R chisq.test / fisher.test', () => {
  for (const name of ['t22', 't22small', 't23', 't34']) {
    const c = ref[name] as TableCase;
    const r = chiSquareTest(c.table);
    assertClose(r.statistic, c.chisq, `${name} chisq`);
    assertClose(r.df, c.df, `${name} df`);
    assertClose(r.p, c.p, `${name} p`);
    if (c.fisher_p !== undefined) assertClose(fisherExact2x2(c.table).p, c.fisher_p, `${name} fisher p`);
  }
});

test('Kruskal-Wallis matches R kruskal.test (ties, NA dropped)', () => {
  const c = ref.kruskal as { x: (number | null)[]; g: number[]; statistic: number; df: number; p: number };
  const x = Float64Array.from(c.x, (v) => (v === null ? NaN : v));
  const r = kruskalWallis(x, Int32Array.from(c.g), 3);
  assertClose(r.statistic, c.statistic, 'H');
  assertClose(r.df, c.df, 'df');
  assertClose(r.p, c.p, 'p');
});

test('SMDs match the Yang-Dalton formulas computed in R', () => {
  const c = ref.smd_continuous as { a: number[]; b: number[]; smd: number };
  assertClose(smdContinuous(c.a, c.b), c.smd, 'continuous SMD');
  const k = ref.smd_categorical as { c1: number[]; c0: number[]; smd: number };
  assertClose(smdCategorical(k.c1, k.c0), k.smd, 'categorical SMD');
  // Two levels reduce to the familiar binary formula (closed form).
  const p1 = 0.3, p0 = 0.5;
  assertClose(smdCategorical([70, 30], [50, 50]), Math.abs(p1 - p0) / Math.sqrt((p1 * (1 - p1) + p0 * (1 - p0)) / 2), 'binary SMD');
});

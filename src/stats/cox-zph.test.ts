/**
 * coxZph against R survival 3.5.3 cox.zph (reference/r/zph.R -> reference/json/zph.json):
 * lung ~ age + sex + ph.ecog (Efron, Breslow, weighted), veteran ~ trt + celltype + karno
 * (a 3-column factor term, and the known karno violation), stratified right-censored and
 * counting-process data; four transforms, terms = TRUE and FALSE. The tests use R's own
 * coefficients so they check the test itself, independently of our coxph.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coxZph, type ZphTransform } from './cox-zph.js';
import { assertAllClose, assertClose, loadReference } from '../testing/approx.js';
import type { DesignMatrix, SurvivalData } from './types.js';
import { SpecificationError } from './errors.js';

export interface RefCase {
  name: string;
  ties: 'efron' | 'breslow';
  x: { n: number; p: number; names: string[]; columns: number[][]; assign: number[]; termLabels: string[] };
  start: number[] | null;
  stop: number[];
  status: number[];
  strata: number[] | null;
  weights: number[] | null;
  coefficients: number[];
  variance: number[][];
  naive_variance: number[][] | null;
  residuals: Record<string, number[] | number[][]>;
  zph: { transform: ZphTransform; terms: boolean; term: string[]; chisq: number[]; df: number[]; p: number[]; x: number[]; time: number[]; y: number[][] }[];
}

/** jsonlite writes R's NULL as {}: treat anything that is not an array as absent. */
export function arr(v: unknown): number[] | null {
  return Array.isArray(v) ? (v as number[]) : null;
}

export function caseInputs(c: RefCase): { x: DesignMatrix; y: SurvivalData; strata: Int32Array | null; weights: Float64Array | null } {
  const x: DesignMatrix = {
    n: c.x.n, p: c.x.p, names: c.x.names, columns: c.x.columns.map((col) => Float64Array.from(col)),
    assign: Int32Array.from(c.x.assign), termLabels: c.x.termLabels,
  };
  const y: SurvivalData = { n: c.stop.length, start: arr(c.start) ? Float64Array.from(arr(c.start)!) : null, stop: Float64Array.from(c.stop), event: Uint8Array.from(c.status) };
  return { x, y, strata: arr(c.strata) ? Int32Array.from(arr(c.strata)!) : null, weights: arr(c.weights) ? Float64Array.from(arr(c.weights)!) : null };
}

const ref = loadReference<{ cases: RefCase[] }>('zph.json');

for (const c of ref.cases) {
  test(`cox.zph matches R: ${c.name} (all transforms, terms TRUE/FALSE)`, () => {
    const { x, y, strata, weights } = caseInputs(c);
    let worst = 0;
    for (const z of c.zph) {
      const r = coxZph({ coefficients: c.coefficients }, x, y, { transform: z.transform, terms: z.terms, ties: c.ties, strata, weights });
      const label = `${c.name} ${z.transform} terms=${z.terms}`;
      assert.deepEqual([...r.table.map((t) => t.term), 'GLOBAL'], z.term, label);
      const chisq = [...r.table.map((t) => t.chisq), r.global.chisq];
      assertAllClose(chisq, z.chisq, `${label} chisq`);
      assert.deepEqual([...r.table.map((t) => t.df), r.global.df], z.df);
      assertAllClose([...r.table.map((t) => t.p), r.global.p], z.p, `${label} p`, 1e-6, 1e-300);
      assertAllClose(r.time, z.time, `${label} time`);
      assertAllClose(r.transformedTime, z.x, `${label} x`);
      assert.equal(r.scaledSchoenfeld.length, z.y.length);
      r.scaledSchoenfeld.forEach((col, j) => assertAllClose(col, z.y[j], `${label} y[,${j}]`));
      for (let k = 0; k < chisq.length; k++) worst = Math.max(worst, Math.abs(chisq[k] - z.chisq[k]) / Math.abs(z.chisq[k]));
    }
    assertClose(worst, 0, 'worst relative chisq difference', 1e-6, 1);
  });
}

test('cox.zph: the karno violation in veteran is detected (R: p < 0.001)', () => {
  const c = ref.cases.find((k) => k.name === 'veteran_efron')!;
  const { x, y } = caseInputs(c);
  const r = coxZph({ coefficients: c.coefficients }, x, y, {});
  const karno = r.table.find((t) => t.term === 'karno')!;
  assert.ok(karno.p < 0.001, `karno p = ${karno.p}`);
});

test('cox.zph: an unknown transform and a coefficient count mismatch are SpecificationErrors', () => {
  const c = ref.cases[0];
  const { x, y } = caseInputs(c);
  assert.throws(() => coxZph({ coefficients: c.coefficients }, x, y, { transform: 'sqrt' as ZphTransform }), SpecificationError);
  assert.throws(() => coxZph({ coefficients: [1] }, x, y, {}), SpecificationError);
});

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
import { assertAllClose, assertClose } from '../testing/approx.js';
import { loadZphCases, zphCaseInputs } from '../testing/zph-reference.js';
import { SpecificationError } from '../core/errors.js';

const ref = { cases: loadZphCases() };

for (const c of ref.cases) {
  test(`cox.zph matches R: ${c.name} (all transforms, terms TRUE/FALSE)`, () => {
    const { x, y, strata, weights } = zphCaseInputs(c);
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
  const { x, y } = zphCaseInputs(c);
  const r = coxZph({ coefficients: c.coefficients }, x, y, {});
  const karno = r.table.find((t) => t.term === 'karno')!;
  assert.ok(karno.p < 0.001, `karno p = ${karno.p}`);
});

test('cox.zph: an unknown transform and a coefficient count mismatch are SpecificationErrors', () => {
  const c = ref.cases[0];
  const { x, y } = zphCaseInputs(c);
  assert.throws(() => coxZph({ coefficients: c.coefficients }, x, y, { transform: 'sqrt' as ZphTransform }), SpecificationError);
  assert.throws(() => coxZph({ coefficients: [1] }, x, y, {}), SpecificationError);
});

test('cox.zph: one stratum code for 150k rows gives the unstratified test (and no stack overflow)', () => {
  // Invariance: strata that are all 0 are no strata. 150k rows is past where spreading every
  // row's stratum code into Math.max overflowed the call stack.
  const n = 150000;
  const xcol = new Float64Array(n);
  const stop = new Float64Array(n);
  const event = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    xcol[i] = i % 3;
    stop[i] = 1 + ((i * 7919) % 997) / 10;
    event[i] = i % 4 === 0 ? 0 : 1;
  }
  const x = { n, p: 1, columns: [xcol], names: ['g'], assign: Int32Array.of(0), termLabels: ['g'] };
  const y = { n, start: null, stop, event };
  const plain = coxZph({ coefficients: [0.1] }, x, y, { transform: 'identity' });
  const one = coxZph({ coefficients: [0.1] }, x, y, { transform: 'identity', strata: new Int32Array(n) });
  assertClose(one.global.chisq, plain.global.chisq, 'GLOBAL chisq', 1e-12);
});

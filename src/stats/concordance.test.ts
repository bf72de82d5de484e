// concordance.ts: counts and concordance against an O(n^2) enumeration of pairs written from
// the definition (right-censored and counting-process data, weights, strata). The standard
// error is checked against R through every coxph case in cox.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assertClose } from '../testing/approx.js';
import { concordance } from './concordance.js';
import type { SurvivalData } from '../core/types.js';

/** Pair counts from the definition: event row i at time t vs row j at risk at t in i's stratum. */
function bruteForce(y: SurvivalData, x: number[], w: number[], strata: number[]) {
  let conc = 0, disc = 0, tx = 0, ty = 0, txy = 0;
  for (let i = 0; i < y.n; i++) {
    if (y.event[i] !== 1) continue;
    const t = y.stop[i]!;
    for (let j = 0; j < y.n; j++) {
      if (j === i || strata[j] !== strata[i]) continue;
      if (y.start && !(y.start[j]! < t)) continue;
      const sj = y.stop[j]!;
      const ww = w[i]! * w[j]!;
      if (sj === t && y.event[j] === 1) {
        if (j < i) continue; // each tied pair once
        if (x[i] === x[j]) txy += ww;
        else ty += ww;
      } else if (sj > t || (sj === t && y.event[j] === 0)) {
        if (x[i] === x[j]) tx += ww;
        else if (x[i]! < x[j]!) conc += ww; // larger x, longer survival (reverse = FALSE)
        else disc += ww;
      }
    }
  }
  return { conc, disc, tx, ty, txy, c: (conc + tx / 2) / (conc + disc + tx) };
}

const rowArb = fc.record({
  start: fc.integer({ min: 0, max: 4 }),
  len: fc.integer({ min: 1, max: 6 }),
  event: fc.integer({ min: 0, max: 1 }),
  x: fc.integer({ min: 0, max: 5 }),
  w: fc.constantFrom(1, 0.5, 2, 3.25),
  s: fc.integer({ min: 0, max: 2 }),
});

test('concordance counts equal the pair-by-pair definition (weights, strata, ties, counting process)', () => {
  fc.assert(fc.property(fc.array(rowArb, { minLength: 2, maxLength: 30 }), fc.boolean(), fc.boolean(), (rows, counting, reverse) => {
    const n = rows.length;
    const y: SurvivalData = {
      n,
      start: counting ? Float64Array.from(rows.map((r) => r.start)) : null,
      stop: Float64Array.from(rows.map((r) => (counting ? r.start + r.len : r.len))),
      event: Uint8Array.from(rows.map((r) => r.event)),
    };
    fc.pre(rows.some((r) => r.event === 1));
    const x = rows.map((r) => r.x);
    const w = rows.map((r) => r.w);
    const s = rows.map((r) => r.s);
    const bf = bruteForce(y, x, w, s);
    fc.pre(bf.conc + bf.disc + bf.tx > 0);
    const got = concordance(y, Float64Array.from(x), { weights: Float64Array.from(w), strata: Int32Array.from(s), reverse });
    assertClose(got.concordant, reverse ? bf.disc : bf.conc, 'concordant', 1e-12);
    assertClose(got.discordant, reverse ? bf.conc : bf.disc, 'discordant', 1e-12);
    assertClose(got.tiedRisk, bf.tx, 'tied.x', 1e-12);
    assertClose(got.tiedTime, bf.ty, 'tied.y', 1e-12);
    assertClose(got.tiedBoth, bf.txy, 'tied.xy', 1e-12);
    assertClose(got.concordance, reverse ? 1 - bf.c : bf.c, 'concordance', 1e-12);
    assert.ok(got.variance >= 0);
  }), { numRuns: 200 });
});

test('hand-worked: three rows, perfectly concordant', () => {
  // times 1, 2, 3 all events, x = 1, 2, 3: larger x lives longer in every one of the 3 pairs
  const y: SurvivalData = { n: 3, start: null, stop: Float64Array.from([1, 2, 3]), event: Uint8Array.from([1, 1, 1]) };
  const got = concordance(y, Float64Array.from([1, 2, 3]));
  assert.equal(got.concordant, 3);
  assert.equal(got.discordant, 0);
  assert.equal(got.concordance, 1);
});

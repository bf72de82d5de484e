// distributions.ts against R's pnorm / qnorm / pchisq (reference/r/cox.R), far tails included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClose, loadReference } from '../testing/approx.js';
import { chiSquareSurvival, normalCdf, normalQuantile } from './distributions.js';

interface DistRef {
  pnorm: { x: number[]; p: number[] };
  qnorm: { p: number[]; q: number[] };
  pchisq: { x: number[]; df: number[]; upper: number[] };
}
const ref = loadReference<DistRef>('cox-distributions.json');

test('normalCdf matches R pnorm to 1e-12 relative, down to 1e-300', () => {
  ref.pnorm.x.forEach((x, i) => assertClose(normalCdf(x), ref.pnorm.p[i]!, `pnorm(${x})`, 1e-12, 1e-320));
});

test('normalQuantile matches R qnorm', () => {
  ref.qnorm.p.forEach((p, i) => assertClose(normalQuantile(p), ref.qnorm.q[i]!, `qnorm(${p})`, 1e-12, 1e-12));
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  assert.ok(Number.isNaN(normalQuantile(1.5)));
});

test('chiSquareSurvival matches R pchisq(lower.tail = FALSE), tiny p included', () => {
  ref.pchisq.x.forEach((x, i) => {
    const df = ref.pchisq.df[i]!;
    assertClose(chiSquareSurvival(x, df), ref.pchisq.upper[i]!, `pchisq(${x}, ${df})`, 1e-11, 1e-320);
  });
});

test('closed forms: df = 2 is exp(-x/2); symmetric normal', () => {
  for (const x of [0.3, 4, 40, 900]) assertClose(chiSquareSurvival(x, 2), Math.exp(-x / 2), `df2 ${x}`, 1e-12, 1e-320);
  for (const x of [0.2, 1.7, 3.3, 7]) assertClose(normalCdf(x) + normalCdf(-x), 1, `sym ${x}`, 1e-15);
});

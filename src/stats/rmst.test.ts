/**
 * rmst against reference/r/rmst.R (survRM2's published method written out in base R, and
 * cross-checked there against survival's summary(survfit, rmean = tau)): veteran by trt,
 * lung by sex (tau = 365 and tau exactly at an event time), veteran by celltype (4 groups).
 * Plus a hand-worked example and the tau-beyond-follow-up error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmst } from './rmst.js';
import { assertClose, loadReference } from '../testing/approx.js';
import { EstimationError } from '../core/errors.js';
import type { SurvivalData } from '../core/types.js';

interface RefGroup { name: string; n: number; rmst: number; se: number; lower: number; upper: number; rmtl: number; rmtl_se: number; rmtl_lower: number; rmtl_upper: number }
interface RefContrast { estimate: number; se?: number; log_se?: number; lower: number; upper: number; p: number }
interface RefCase {
  name: string; tau: number; time: number[]; status: number[]; group: number[]; levels: string[]; groups: RefGroup[];
  difference?: RefContrast; ratio?: RefContrast; rmtl_ratio?: RefContrast;
}

const ref = loadReference<{ cases: RefCase[] }>('rmst.json');

for (const c of ref.cases) {
  test(`rmst matches survRM2 / survfit rmean: ${c.name}`, () => {
    const y: SurvivalData = { n: c.time.length, start: null, stop: Float64Array.from(c.time), event: Uint8Array.from(c.status) };
    const r = rmst(y, { codes: Int32Array.from(c.group), names: c.levels }, c.tau);
    assert.equal(r.groups.length, c.groups.length);
    r.groups.forEach((g, k) => {
      const e = c.groups[k];
      assert.equal(g.name, e.name);
      assert.equal(g.n, e.n);
      for (const [a, b, l] of [[g.rmst, e.rmst, 'rmst'], [g.se, e.se, 'se'], [g.lower, e.lower, 'lower'], [g.upper, e.upper, 'upper'],
        [g.rmtl, e.rmtl, 'rmtl'], [g.rmtlSe, e.rmtl_se, 'rmtl se'], [g.rmtlLower, e.rmtl_lower, 'rmtl lower'], [g.rmtlUpper, e.rmtl_upper, 'rmtl upper']] as [number, number, string][]) {
        assertClose(a, b, `${c.name} ${e.name} ${l}`, 1e-9);
      }
    });
    if (c.difference) {
      const pairs: [typeof r.difference, RefContrast][] = [[r.difference, c.difference], [r.ratio, c.ratio!], [r.rmtlRatio, c.rmtl_ratio!]];
      for (const [a, e] of pairs) {
        assert.ok(a);
        assertClose(a.estimate, e.estimate, `${c.name} estimate`, 1e-9);
        assertClose(a.se, e.se ?? e.log_se!, `${c.name} se`, 1e-9);
        assertClose(a.lower, e.lower, `${c.name} lower`, 1e-9);
        assertClose(a.upper, e.upper, `${c.name} upper`, 1e-9);
        assertClose(a.p, e.p, `${c.name} p`, 1e-7);
      }
    } else {
      assert.equal(r.difference, null);
    }
  });
}

test('rmst: hand-worked example (times 1,2,3 events, 4 censored; tau = 3.5)', () => {
  // S = 1 on [0,1), 3/4 on [1,2), 1/2 on [2,3), 1/4 on [3,3.5]: RMST = 1 + .75 + .5 + .125 = 2.375.
  // Variance: A(1) = .75+.5+.125 = 1.375, d/(n(n-d)) = 1/12; A(2) = .625, 1/6; A(3) = .125, 1/2.
  const y: SurvivalData = { n: 4, start: null, stop: Float64Array.of(1, 2, 3, 4), event: Uint8Array.of(1, 1, 1, 0) };
  const r = rmst(y, null, 3.5);
  assertClose(r.groups[0].rmst, 2.375, 'rmst', 1e-12);
  assertClose(r.groups[0].se, Math.sqrt(1.375 ** 2 / 12 + 0.625 ** 2 / 6 + 0.125 ** 2 / 2), 'se', 1e-12);
  assertClose(r.groups[0].rmtl, 1.125, 'rmtl', 1e-12);
});

test('rmst: tau beyond a group\'s follow-up is an EstimationError naming the group', () => {
  const y: SurvivalData = { n: 4, start: null, stop: Float64Array.of(1, 2, 3, 10), event: Uint8Array.of(1, 1, 0, 0) };
  assert.throws(() => rmst(y, { codes: Int32Array.of(0, 0, 1, 1), names: ['arm=A', 'arm=B'] }, 5),
    (e: unknown) => e instanceof EstimationError && /group "arm=A"/.test(e.message));
});

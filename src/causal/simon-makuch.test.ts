/**
 * Simon–Makuch curves against R: survfit(Surv(tstart, tstop, death) ~ exposed) on tmerge-split
 * data (reference/r/simon-makuch.R), every time point of both curves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simonMakuch } from './simon-makuch.js';
import { assertAllClose, loadReference } from '../testing/approx.js';
import { EstimationError } from '../core/errors.js';

interface Ref {
  input: { time: number[]; event: number[]; exposure_time: (number | null)[] };
  curves: { name: string; time: number[]; n_risk: number[]; n_event: number[]; surv: number[]; std_err: number[]; lower: number[]; upper: number[] }[];
}
const ref = loadReference<Ref>('simon-makuch.json');

test('simonMakuch matches R survfit on tmerge-split data', () => {
  const r = simonMakuch({
    time: Float64Array.from(ref.input.time),
    event: Uint8Array.from(ref.input.event),
    exposureTime: Float64Array.from(ref.input.exposure_time, (v) => (v === null ? NaN : v)),
  });
  assert.equal(r.fit.strata.length, 2);
  r.fit.strata.forEach((c, k) => {
    const e = ref.curves[k];
    assert.equal(c.name, e.name);
    assertAllClose(c.time, e.time, `${e.name} time`);
    assertAllClose(c.nRisk, e.n_risk, `${e.name} n.risk`);
    assertAllClose(c.nEvent, e.n_event, `${e.name} n.event`);
    assertAllClose(c.surv, e.surv, `${e.name} surv`);
    assertAllClose(c.stdErr, e.std_err, `${e.name} std.err`);
    assertAllClose(c.lower, e.lower, `${e.name} lower`);
    assertAllClose(c.upper, e.upper, `${e.name} upper`);
  });
});

test('simonMakuch: nobody exposed is an EstimationError', () => {
  assert.throws(() => simonMakuch({ time: Float64Array.of(1, 2), event: Uint8Array.of(1, 0), exposureTime: Float64Array.of(NaN, NaN) }), EstimationError);
});

// Kaplan-Meier curves, medians, restricted means and summary(times=) against R survival 3.5.3
// (reference/r/km.R -> reference/json/km.json), plus hand-worked cases and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAllClose, assertClose, loadReference } from '../testing/approx.js';
import { kaplanMeier, type ConfType, type KaplanMeierFit } from './kaplan-meier.js';
import { EstimationError, InputError, SpecificationError } from '../core/errors.js';
import type { SurvivalData } from '../core/types.js';

type Num = number | null;
interface RCurve {
  name: string; n: number; events: number;
  time: number[]; n_risk: number[]; n_event: number[]; n_censor: number[]; surv: number[];
  std_err_raw: Num[]; std_err: Num[]; lower: Num[]; upper: Num[];
  median: Num; median_lower: Num; median_upper: Num;
  rmean_common: number; rmean_se_common: number; rmean_individual: number; rmean_se_individual: number;
  rmean_tau?: number; rmean_se_tau?: number;
  at?: { time: number[]; surv: number[]; std_err: Num[]; lower: Num[]; upper: Num[]; n_risk: number[]; n_event: number[] };
}
interface RCase {
  name: string;
  input: { time: number[]; status: number[]; start: number[] | null; group: number[]; group_names: string[]; weights: number[] | null };
  options: { conf_type: ConfType; conf_level: number; times: number[] | null; tau: number | null };
  rmean_endtime_common: number;
  /** survfitKM's choice: false when it switched to the robust SE (non-integer weights). */
  logse: boolean;
  curves: RCurve[];
}
const ref = loadReference<{ cases: RCase[] }>('km.json');

/** jsonlite writes a single number (or null for one NA) where R had a length-1 vector. */
const arr = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

function survivalData(c: RCase): SurvivalData {
  const time = arr(c.input.time);
  return {
    n: time.length,
    start: c.input.start ? Float64Array.from(arr(c.input.start)) : null,
    stop: Float64Array.from(time),
    event: Uint8Array.from(arr(c.input.status)),
  };
}

function fitCase(c: RCase, rmean?: 'common' | 'individual' | number): KaplanMeierFit {
  const y = survivalData(c);
  const names = arr(c.input.group_names);
  const groups = names.length === 1 && names[0] === 'all' ? null : { codes: Int32Array.from(arr(c.input.group)), names };
  return kaplanMeier(y, groups, {
    confType: c.options.conf_type, confLevel: c.options.conf_level,
    weights: c.input.weights ? Float64Array.from(arr(c.input.weights)) : null,
    times: c.options.times ? arr(c.options.times) : undefined,
    rmean,
  });
}

for (const c of ref.cases) {
  test(`survfit ${c.name} matches R`, () => {
    const fit = fitCase(c);
    assert.equal(fit.strata.length, c.curves.length);
    assert.equal(fit.variance, c.logse ? 'greenwood' : 'infinitesimal-jackknife', `${c.name} variance (R's logse)`);
    c.curves.forEach((r, g) => {
      const k = fit.strata[g];
      const label = `${c.name} ${r.name}`;
      assert.equal(k.name, r.name);
      assert.equal(k.n, r.n, `${label} n`);
      assertClose(k.events, r.events, `${label} events`);
      assertAllClose(k.time, arr(r.time), `${label} time`);
      assertAllClose(k.nRisk, arr(r.n_risk), `${label} n.risk`);
      assertAllClose(k.nEvent, arr(r.n_event), `${label} n.event`);
      assertAllClose(k.nCensor, arr(r.n_censor), `${label} n.censor`);
      assertAllClose(k.surv, arr(r.surv), `${label} surv`);
      // fit$std.err is on the log scale (Greenwood) when fit$logse, otherwise (R's robust SE
      // for non-integer weights) the SE of S itself; jsonlite writes Inf as null. stdErr is
      // always the SE of S, as summary.survfit prints it (std_err).
      const rawSe = Array.from(k.stdErr, (s, i) => (!c.logse ? s : k.surv[i] === 0 ? NaN : s / k.surv[i]));
      assertAllClose(rawSe.map((x) => (Number.isFinite(x) ? x : NaN)), arr(r.std_err_raw), `${label} std.err`);
      assertAllClose(k.stdErr, arr(r.std_err), `${label} summary std.err`);
      assertAllClose(k.lower, arr(r.lower), `${label} lower`);
      assertAllClose(k.upper, arr(r.upper), `${label} upper`);
      assertClose(k.median, r.median, `${label} median`);
      assertClose(k.medianLower, r.median_lower, `${label} median LCL`);
      assertClose(k.medianUpper, r.median_upper, `${label} median UCL`);
      assertClose(k.rmean, r.rmean_common, `${label} rmean`);
      assertClose(k.rmeanSe, r.rmean_se_common, `${label} se(rmean)`);
      assertClose(k.rmeanUpperLimit, c.rmean_endtime_common, `${label} rmean limit`);
      if (r.at) {
        assert.ok(k.at);
        assertAllClose(k.at.time, arr(r.at.time), `${label} at time`);
        assertAllClose(k.at.surv, arr(r.at.surv), `${label} at surv`);
        assertAllClose(k.at.stdErr, arr(r.at.std_err), `${label} at std.err`);
        assertAllClose(k.at.lower, arr(r.at.lower), `${label} at lower`);
        assertAllClose(k.at.upper, arr(r.at.upper), `${label} at upper`);
        assertAllClose(k.at.nRisk, arr(r.at.n_risk), `${label} at n.risk`);
        assertAllClose(k.at.nEvent, arr(r.at.n_event), `${label} at n.event`);
      }
    });
    const indiv = fitCase(c, 'individual');
    c.curves.forEach((r, g) => {
      assertClose(indiv.strata[g].rmean, r.rmean_individual, `${c.name} ${r.name} rmean individual`);
      assertClose(indiv.strata[g].rmeanSe, r.rmean_se_individual, `${c.name} ${r.name} se(rmean) individual`);
    });
    if (c.options.tau !== null) {
      const tau = c.options.tau;
      const fixed = fitCase(c, tau);
      c.curves.forEach((r, g) => {
        assertClose(fixed.strata[g].rmean, r.rmean_tau, `${c.name} ${r.name} rmean tau=${tau}`);
        assertClose(fixed.strata[g].rmeanSe, r.rmean_se_tau, `${c.name} ${r.name} se(rmean) tau=${tau}`);
        assert.equal(fixed.strata[g].rmeanUpperLimit, tau);
      });
    }
  });
}

test('hand-worked: 4 deaths in 4 at times 1..4 (S = 0.5 on [2, 3) gives median 2.5)', () => {
  const fit = kaplanMeier({ n: 4, start: null, stop: Float64Array.of(1, 2, 3, 4), event: Uint8Array.of(1, 1, 1, 1) }, null);
  const k = fit.strata[0];
  assert.equal(k.name, 'all');
  assertAllClose(k.surv, [0.75, 0.5, 0.25, 0], 'surv');
  // Greenwood: var log S(2) = 1/(4*3) + 1/(3*2) = 1/4, so SE of S(2) = 0.5 * 0.5.
  assertClose(k.stdErr[1], 0.25, 'se S(2)');
  assert.equal(k.median, 2.5);
  // RMST to 4 = 1 + 0.75 + 0.5 + 0.25.
  assertClose(k.rmean, 2.5, 'rmean');
  assert.ok(Number.isNaN(k.lower[3]) && Number.isNaN(k.upper[3]), 'log limits are NA at S = 0');
});

test('integer case weights equal replicated rows', () => {
  const stop = Float64Array.of(2, 3, 3, 5, 7, 8, 11);
  const event = Uint8Array.of(1, 0, 1, 1, 0, 1, 1);
  const w = Float64Array.of(2, 1, 3, 1, 2, 1, 1);
  const rs: number[] = [];
  const re: number[] = [];
  w.forEach((wi, i) => { for (let r = 0; r < wi; r++) { rs.push(stop[i]); re.push(event[i]); } });
  const a = kaplanMeier({ n: 7, start: null, stop, event }, null, { weights: w }).strata[0];
  const b = kaplanMeier({ n: rs.length, start: null, stop: Float64Array.from(rs), event: Uint8Array.from(re) }, null).strata[0];
  assertAllClose(a.surv, Array.from(b.surv), 'surv');
  assertAllClose(a.stdErr, Array.from(b.stdErr), 'se');
  assertAllClose(a.nRisk, Array.from(b.nRisk), 'n.risk');
  assert.equal(a.median, b.median);
});

test('counting-process data with every start at 0 equals right-censored data', () => {
  const stop = Float64Array.of(5, 1, 9, 4, 4, 7, 12, 3);
  const event = Uint8Array.of(1, 0, 1, 1, 0, 1, 0, 1);
  const a = kaplanMeier({ n: 8, start: new Float64Array(8), stop, event }, null).strata[0];
  const b = kaplanMeier({ n: 8, start: null, stop, event }, null).strata[0];
  assertAllClose(a.surv, Array.from(b.surv), 'surv');
  assertAllClose(a.nRisk, Array.from(b.nRisk), 'n.risk');
  assertAllClose(a.stdErr, Array.from(b.stdErr), 'se');
});

test('bad input: negative or NaN time, bad status, start >= stop, bad weight, empty group', () => {
  const y = (stop: number[], event: number[] = stop.map(() => 1)): SurvivalData => ({ n: stop.length, start: null, stop: Float64Array.from(stop), event: Uint8Array.from(event) });
  assert.throws(() => kaplanMeier(y([1, 2, -3]), null), (e: unknown) => e instanceof InputError && e.context.row === 3 && e.context.value === '-3' && e.context.column === 'time');
  assert.throws(() => kaplanMeier(y([1, NaN]), null), (e: unknown) => e instanceof InputError && e.context.row === 2 && e.context.value === 'NaN');
  assert.throws(() => kaplanMeier(y([1, 2], [1, 2]), null), (e: unknown) => e instanceof InputError && e.context.row === 2 && e.context.column === 'status');
  assert.throws(() => kaplanMeier({ ...y([1, 2]), start: Float64Array.of(0, 2) }, null), (e: unknown) => e instanceof InputError && e.context.row === 2 && e.context.column === 'start');
  assert.throws(() => kaplanMeier(y([1, 2]), null, { weights: Float64Array.of(1, -1) }), (e: unknown) => e instanceof InputError && e.context.row === 2 && e.context.column === 'weights');
  assert.throws(() => kaplanMeier(y([1, 2]), { codes: Int32Array.of(0, 0), names: ['a', 'b'] }), (e: unknown) => e instanceof EstimationError && e.context.value === 'b');
  assert.throws(() => kaplanMeier(y([1, 2]), { codes: Int32Array.of(0, 5), names: ['a', 'b'] }), (e: unknown) => e instanceof InputError && e.context.row === 2);
  assert.throws(() => kaplanMeier(y([3, 4]), null, { rmean: 1 }), SpecificationError);
});

test('infinitesimal-jackknife SE is unchanged when every non-integer weight is scaled by the same factor', () => {
  // Each row's influence is w_i / N(t) times terms in S and the hazard, all scale-free; 0.3 and
  // 0.7 keep every weight non-integer so both fits take the robust path (R's has.rwt).
  const y: SurvivalData = { n: 9, start: null, stop: Float64Array.of(1, 2, 2, 3, 4, 4, 5, 6, 7), event: Uint8Array.of(1, 1, 0, 1, 1, 1, 0, 1, 0) };
  const w = Float64Array.of(1.5, 0.5, 2.5, 1.5, 0.5, 3.5, 1.5, 2.5, 0.5);
  const a = kaplanMeier(y, null, { weights: w.map((x) => 0.3 * x) });
  const b = kaplanMeier(y, null, { weights: w.map((x) => 0.7 * x) });
  assert.equal(a.variance, 'infinitesimal-jackknife');
  assert.equal(b.variance, 'infinitesimal-jackknife');
  assertAllClose(a.strata[0].stdErr, Array.from(b.strata[0].stdErr), 'IJ se');
  // Doubling makes them integers: Greenwood, as survfitKM (weights 1, 3, 5, 7).
  assert.equal(kaplanMeier(y, null, { weights: w.map((x) => 2 * x) }).variance, 'greenwood');
});

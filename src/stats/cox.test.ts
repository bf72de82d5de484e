// coxph against R survival 3.5 (reference/r/cox.R -> reference/json/cox.json): every case to
// 1e-6 relative: coefficients, variances, robust variances, log-likelihoods, tests and their
// p-values, iteration counts, warnings, linear predictors, means, concordance and its SE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAllClose, assertClose, loadReference } from '../testing/approx.js';
import { coxph, coxSummaryRows, type CoxOptions } from './cox.js';
import { EstimationError, InputError } from '../core/errors.js';
import type { DesignMatrix } from './types.js';
import type { SurvivalData } from '../core/types.js';

export interface CoxCase {
  name: string;
  ties: 'efron' | 'breslow';
  iterMax: number;
  init: number[] | null;
  robust: boolean;
  n: number;
  nevent: number;
  names: string[];
  x: number[][];
  start: number[] | null;
  stop: number[];
  event: number[];
  strata: number[] | null;
  weights: number[] | null;
  cluster: number[] | null;
  coef: (number | null)[];
  var: number[];
  naiveVar: number[] | null;
  loglik: number[];
  score: number;
  wald: number;
  rscore: number | null;
  iter: number;
  concordance: number[];
  linearPredictors: number[];
  means: number[];
  warnings: string[] | string;
  summary: {
    coef: (number | null)[]; se: (number | null)[]; robustSe: (number | null)[] | null; z: (number | null)[]; p: (number | null)[];
    hr: (number | null)[]; lower: (number | null)[]; upper: (number | null)[];
    logtest: number[]; sctest: number[]; waldtest: number[]; robscore: number[] | null;
  };
}

/** jsonlite's auto_unbox writes length-1 vectors as scalars; turn them back into arrays. */
function arr<T>(v: T | T[] | null): T[] | null {
  if (v === null || v === undefined) return null;
  return Array.isArray(v) ? v : [v];
}

function normalize(c: CoxCase): CoxCase {
  const s = c.summary;
  return {
    ...c,
    names: arr(c.names)!, var: arr(c.var)!, naiveVar: arr(c.naiveVar), init: arr(c.init), coef: arr(c.coef)!, means: arr(c.means)!,
    x: c.x.length > 0 && !Array.isArray(c.x[0]) ? [c.x as unknown as number[]] : c.x,
    warnings: arr(c.warnings as string | string[]) ?? [],
    summary: {
      ...s, coef: arr(s.coef)!, se: arr(s.se)!, robustSe: arr(s.robustSe), z: arr(s.z)!, p: arr(s.p)!,
      hr: arr(s.hr)!, lower: arr(s.lower)!, upper: arr(s.upper)!,
    },
  };
}

export const coxCases = loadReference<CoxCase[]>('cox.json').map(normalize);

export function caseInputs(c: CoxCase): { x: DesignMatrix; y: SurvivalData; options: CoxOptions } {
  const n = c.stop.length;
  const x: DesignMatrix = {
    n, p: c.names.length,
    columns: c.x.map((col) => Float64Array.from(col)),
    names: c.names,
    assign: Int32Array.from(c.names.map((_, j) => j)),
    termLabels: c.names,
  };
  const y: SurvivalData = {
    n,
    start: c.start ? Float64Array.from(c.start) : null,
    stop: Float64Array.from(c.stop),
    event: Uint8Array.from(c.event),
  };
  const options: CoxOptions = { ties: c.ties, maxIter: c.iterMax };
  if (c.strata) options.strata = Int32Array.from(c.strata);
  if (c.weights) options.weights = Float64Array.from(c.weights);
  if (c.cluster) options.cluster = Int32Array.from(c.cluster);
  if (c.robust) options.robust = true;
  if (c.init) options.init = Float64Array.from(c.init);
  return { x, y, options };
}

/** R reports 0 rows/columns for dropped coefficients; we report NaN. */
function rVar(v: number[], coef: (number | null)[]): (number | null)[] {
  const p = coef.length;
  return v.map((val, k) => (coef[Math.floor(k / p)] === null || coef[k % p] === null ? null : val));
}

for (const c of coxCases) {
  test(`coxph matches R: ${c.name}`, () => {
    const { x, y, options } = caseInputs(c);
    const fit = coxph(x, y, options);
    const tag = c.name;
    assert.equal(fit.n, c.n, `${tag} n`);
    assert.equal(fit.nevent, c.nevent, `${tag} nevent`);
    assert.equal(fit.iterations, c.iter, `${tag} iterations`);
    assert.deepEqual(fit.warnings, c.warnings, `${tag} warnings`);
    assertAllClose(fit.coefficients, c.coef, `${tag} coef`);
    assertAllClose(fit.loglik, c.loglik, `${tag} loglik`);
    assertAllClose(fit.variance, rVar(c.var, c.coef), `${tag} var`, 1e-6, 1e-12);
    if (c.naiveVar) assertAllClose(fit.naiveVariance!, rVar(c.naiveVar, c.coef), `${tag} naive var`, 1e-6, 1e-12);
    else assert.equal(fit.naiveVariance, null);
    assertClose(fit.tests.score.statistic, c.score, `${tag} score test`);
    assertClose(fit.tests.wald.statistic, c.wald, `${tag} wald test`);
    if (c.rscore !== null) assertClose(fit.tests.robustScore?.statistic, c.rscore, `${tag} robust score`);
    else assert.equal(fit.tests.robustScore, null);
    assertAllClose(fit.linearPredictors, c.linearPredictors, `${tag} lp`, 1e-6, 1e-8);
    assertAllClose(fit.means, c.means, `${tag} means`, 1e-6, 1e-12);
    const [conc, disc, tx, ty, txy, cc, std] = c.concordance;
    assertClose(fit.concordance.concordant, conc, `${tag} concordant`);
    assertClose(fit.concordance.discordant, disc, `${tag} discordant`);
    assertClose(fit.concordance.tiedRisk, tx, `${tag} tied.x`);
    assertClose(fit.concordance.tiedTime, ty, `${tag} tied.y`);
    assertClose(fit.concordance.tiedBoth, txy, `${tag} tied.xy`);
    assertClose(fit.concordance.c, cc, `${tag} concordance`);
    assertClose(fit.concordance.se, std, `${tag} concordance std`);
    // summary.coxph: tests with df and p-values, per-coefficient table
    const s = c.summary;
    assertAllClose([fit.tests.likelihoodRatio.statistic, fit.tests.likelihoodRatio.df, fit.tests.likelihoodRatio.p], s.logtest, `${tag} logtest`, 1e-6, 1e-300);
    assertAllClose([fit.tests.score.statistic, fit.tests.score.df, fit.tests.score.p], s.sctest, `${tag} sctest`, 1e-6, 1e-300);
    // R rounds the printed Wald statistic to 2 decimals; its p-value is from the unrounded one
    assertAllClose([fit.tests.wald.df, fit.tests.wald.p], s.waldtest.slice(1), `${tag} waldtest`, 1e-6, 1e-300);
    if (s.robscore) assertAllClose([fit.tests.robustScore!.statistic, fit.tests.robustScore!.df, fit.tests.robustScore!.p], s.robscore, `${tag} robscore`, 1e-6, 1e-300);
    const rows = coxSummaryRows(fit);
    // jsonlite writes Inf (an exp overflow in R's table) as null
    const inf = (v: number): number => (v === Infinity ? NaN : v);
    assertAllClose(rows.map((r) => r.coef), s.coef, `${tag} summary coef`);
    // R shows se 0 for an NA coefficient; we say NaN (the coefficient is not estimated)
    const est = (v: (number | null)[]): (number | null)[] => v.map((e, j) => (s.coef[j] === null ? null : e));
    assertAllClose(rows.map((r) => r.se), est(s.se), `${tag} summary se`);
    if (s.robustSe) assertAllClose(rows.map((r) => r.robustSe), est(s.robustSe), `${tag} summary robust se`);
    assertAllClose(rows.map((r) => r.z), s.z, `${tag} summary z`);
    assertAllClose(rows.map((r) => r.p), s.p, `${tag} summary p`, 1e-6, 1e-300);
    assertAllClose(rows.map((r) => r.hr), s.hr, `${tag} summary hr`);
    assertAllClose(rows.map((r) => r.hrLower), s.lower, `${tag} summary lower`);
    assertAllClose(rows.map((r) => inf(r.hrUpper)), s.upper, `${tag} summary upper`);
  });
}

const tiny = (): { x: DesignMatrix; y: SurvivalData } => ({
  x: { n: 4, p: 1, columns: [Float64Array.from([1, 2, 3, 4])], names: ['age'], assign: Int32Array.from([0]), termLabels: ['age'] },
  y: { n: 4, start: null, stop: Float64Array.from([5, 3, 8, 2]), event: Uint8Array.from([1, 0, 1, 1]) },
});

test('bad input: no events is an EstimationError', () => {
  const { x, y } = tiny();
  y.event.fill(0);
  assert.throws(() => coxph(x, y), (e: unknown) => e instanceof EstimationError && /0 events/.test(e.message));
});

test('bad input: weights <= 0, NaN covariate, stop <= start name the 1-based row', () => {
  const { x, y } = tiny();
  assert.throws(() => coxph(x, y, { weights: Float64Array.from([1, 1, 0, 1]) }),
    (e: unknown) => e instanceof InputError && e.context.row === 3 && e.context.column === 'weights');
  const x2 = { ...x, columns: [Float64Array.from([1, NaN, 3, 4])] };
  assert.throws(() => coxph(x2, y), (e: unknown) => e instanceof InputError && e.context.row === 2 && e.context.column === 'age');
  const y2 = { ...y, start: Float64Array.from([0, 3, 1, 0]) };
  assert.throws(() => coxph(x, y2), (e: unknown) => e instanceof InputError && e.context.row === 2 && e.context.column === 'stop');
});

test('hand-worked: one binary covariate, no ties, Breslow = Efron closed-form score at 0', () => {
  // times 1..4 all events, x = 1,0,1,0. Score at beta=0: sum over deaths (x_i - mean of risk set)
  const x: DesignMatrix = { n: 4, p: 1, columns: [Float64Array.from([1, 0, 1, 0])], names: ['x'], assign: Int32Array.from([0]), termLabels: ['x'] };
  const y: SurvivalData = { n: 4, start: null, stop: Float64Array.from([1, 2, 3, 4]), event: Uint8Array.from([1, 1, 1, 1]) };
  const fit = coxph(x, y, { maxIter: 0 });
  // U = (1 - 2/4) + (0 - 1/3) + (1 - 1/2) + (0 - 0) = 2/3; I = 1/4 + 2/9 + 1/4 = 13/18
  assertClose(fit.tests.score.statistic, (2 / 3) ** 2 / (13 / 18), 'score test');
  assertClose(fit.loglik[0], -Math.log(4 * 3 * 2 * 1), 'loglik at 0');
});

test('timefix: times equal up to rounding noise are tied, as R aeqSurv does', () => {
  const x: DesignMatrix = { n: 6, p: 1, columns: [Float64Array.from([0.5, 1.2, -0.3, 2.0, 0.1, -1.0])], names: ['z'], assign: Int32Array.from([0]), termLabels: ['z'] };
  const exact = Float64Array.from([0.3, 0.3, 0.7, 1.1, 1.5, 2]);
  const noisy = Float64Array.from([0.1 + 0.2, 0.3, 0.7, 1.1, 1.5, 2]); // 0.30000000000000004
  const ev = Uint8Array.from([1, 1, 0, 1, 1, 0]);
  const a = coxph(x, { n: 6, start: null, stop: exact, event: ev });
  const b = coxph(x, { n: 6, start: null, stop: noisy, event: ev });
  const c = coxph(x, { n: 6, start: null, stop: noisy, event: ev }, { timefix: false });
  assert.equal(b.coefficients[0], a.coefficients[0]);
  assert.notEqual(c.coefficients[0], a.coefficients[0]);
});

test('R defaults: fractional case weights switch the robust variance on; robust=FALSE ignores a cluster with R\'s warning', () => {
  const frac = coxCases.find((c) => c.name === 'lung_weights_frac')!;
  const { x, y, options } = caseInputs(frac);
  delete options.robust;
  const fit = coxph(x, y, options);
  assert.ok(fit.robust);
  assertAllClose(fit.variance, frac.var, 'robust var by default', 1e-6, 1e-12);
  const cl = coxCases.find((c) => c.name === 'lung_cluster')!;
  const ref = coxCases.find((c) => c.name === 'lung_efron')!;
  const inp = caseInputs(cl);
  const fit2 = coxph(inp.x, inp.y, { ...inp.options, robust: false });
  assert.deepEqual(fit2.warnings, ['cluster specified with robust=FALSE, cluster ignored']);
  assert.equal(fit2.robustVariance, null);
  assertAllClose(fit2.variance, ref.var, 'naive var', 1e-6, 1e-12);
});

// Invariances of the Cox fit (fast-check): coefficients do not change under row permutation,
// shifting a covariate, or rescaling time; and with one binary covariate and no tied times the
// score test at beta = 0 equals the log-rank chi-square from a small hand-written log-rank.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { coxph, type CoxFit, type CoxOptions } from './cox.js';
import type { DesignMatrix } from './types.js';
import type { SurvivalData } from '../core/types.js';

interface Data { time: number[]; event: number[]; x1: number[]; x2: number[]; stratum: number[] }

const rowArb = fc.record({
  time: fc.integer({ min: 1, max: 12 }), // few distinct values: plenty of ties for Efron
  event: fc.integer({ min: 0, max: 1 }),
  x1: fc.double({ min: -2, max: 2, noNaN: true }),
  x2: fc.integer({ min: 0, max: 1 }),
  stratum: fc.integer({ min: 0, max: 1 }),
});
const dataArb = fc.array(rowArb, { minLength: 12, maxLength: 40 }).map((rows): Data => ({
  time: rows.map((r) => r.time), event: rows.map((r) => r.event), x1: rows.map((r) => r.x1),
  x2: rows.map((r) => r.x2), stratum: rows.map((r) => r.stratum),
}));

function build(d: Data): { x: DesignMatrix; y: SurvivalData } {
  const n = d.time.length;
  return {
    x: { n, p: 2, columns: [Float64Array.from(d.x1), Float64Array.from(d.x2)], names: ['x1', 'x2'], assign: Int32Array.from([0, 1]), termLabels: ['x1', 'x2'] },
    y: { n, start: null, stop: Float64Array.from(d.time), event: Uint8Array.from(d.event) },
  };
}

/** A fit we can compare: converged, finite, no infinite-coefficient warning. */
function fitOk(d: Data, options: CoxOptions): CoxFit | null {
  if (d.event.reduce((a, b) => a + b, 0) < 3) return null;
  const { x, y } = build(d);
  const fit = coxph(x, y, { eps: 1e-12, ...options });
  if (!fit.converged || fit.warnings.length > 0) return null;
  if (Array.from(fit.coefficients).some((b) => !Number.isFinite(b) || Math.abs(b) > 8)) return null;
  return fit;
}

function sameCoefs(a: CoxFit, b: CoxFit, label: string): void {
  for (let j = 0; j < a.coefficients.length; j++) {
    const u = a.coefficients[j]!;
    const v = b.coefficients[j]!;
    assert.ok(Math.abs(u - v) <= 1e-8 * Math.max(1, Math.abs(u)), `${label}: coef ${j} ${u} vs ${v}`);
  }
}

const permute = (d: Data, perm: number[]): Data => ({
  time: perm.map((i) => d.time[i]!), event: perm.map((i) => d.event[i]!), x1: perm.map((i) => d.x1[i]!),
  x2: perm.map((i) => d.x2[i]!), stratum: perm.map((i) => d.stratum[i]!),
});

const tiesArb = fc.constantFrom<'efron' | 'breslow'>('efron', 'breslow');

test('coefficients are unchanged by a row permutation (Efron/Breslow, with and without strata)', () => {
  fc.assert(fc.property(dataArb, fc.integer(), tiesArb, fc.boolean(), (d, seed, ties, useStrata) => {
    const n = d.time.length;
    const perm = Array.from({ length: n }, (_, i) => i);
    let s = seed >>> 0;
    for (let i = n - 1; i > 0; i--) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      const j = s % (i + 1);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    const d2 = permute(d, perm);
    const a = fitOk(d, { ties, strata: useStrata ? Int32Array.from(d.stratum) : null });
    const b = fitOk(d2, { ties, strata: useStrata ? Int32Array.from(d2.stratum) : null });
    fc.pre(a !== null && b !== null);
    sameCoefs(a!, b!, 'permutation');
    assert.ok(Math.abs(a!.loglik[1] - b!.loglik[1]) <= 1e-9 * Math.abs(a!.loglik[1]));
  }), { numRuns: 60 });
});

test('coefficients are unchanged by adding a constant to a covariate', () => {
  fc.assert(fc.property(dataArb, fc.double({ min: -50, max: 50, noNaN: true }), tiesArb, (d, shift, ties) => {
    const a = fitOk(d, { ties });
    const b = fitOk({ ...d, x1: d.x1.map((v) => v + shift) }, { ties });
    fc.pre(a !== null && b !== null);
    sameCoefs(a!, b!, 'shift');
  }), { numRuns: 60 });
});

test('coefficients are unchanged by a positive rescaling of time', () => {
  fc.assert(fc.property(dataArb, fc.constantFrom(0.5, 2, 30.4375, 365.25, 1e-3), tiesArb, (d, c, ties) => {
    const a = fitOk(d, { ties });
    const b = fitOk({ ...d, time: d.time.map((t) => t * c) }, { ties });
    fc.pre(a !== null && b !== null);
    sameCoefs(a!, b!, 'time scale');
  }), { numRuns: 60 });
});

/** Log-rank chi-square for two groups, written out by hand (hypergeometric variance). */
function logRank(time: number[], event: number[], group: number[]): number {
  const times = [...new Set(time.filter((_, i) => event[i] === 1))].sort((a, b) => a - b);
  let oMinusE = 0;
  let v = 0;
  for (const t of times) {
    let n = 0, n1 = 0, d = 0, d1 = 0;
    time.forEach((ti, i) => {
      if (ti >= t) {
        n++;
        n1 += group[i]!;
        if (ti === t && event[i] === 1) {
          d++;
          d1 += group[i]!;
        }
      }
    });
    oMinusE += d1 - (d * n1) / n;
    if (n > 1) v += (d * (n1 / n) * (1 - n1 / n) * (n - d)) / (n - 1);
  }
  return (oMinusE * oMinusE) / v;
}

test('score test with one binary covariate and distinct times equals the log-rank test', () => {
  const arb = fc.array(fc.record({ event: fc.integer({ min: 0, max: 1 }), g: fc.integer({ min: 0, max: 1 }), u: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 6, maxLength: 50 });
  fc.assert(fc.property(arb, tiesArb, (rows, ties) => {
    const n = rows.length;
    const time = rows.map((r, i) => i + 1 + r.u * 0.5); // distinct times
    const event = rows.map((r) => r.event);
    const g = rows.map((r) => r.g);
    fc.pre(event.some((e) => e === 1) && g.some((v) => v === 1) && g.some((v) => v === 0));
    const expected = logRank(time, event, g);
    fc.pre(Number.isFinite(expected));
    const fit = coxph(
      { n, p: 1, columns: [Float64Array.from(g)], names: ['g'], assign: Int32Array.from([0]), termLabels: ['g'] },
      { n, start: null, stop: Float64Array.from(time), event: Uint8Array.from(event) },
      { ties, maxIter: 0 },
    );
    const got = fit.tests.score.statistic;
    assert.ok(Math.abs(got - expected) <= 1e-9 * Math.max(1, expected), `score ${got} vs log-rank ${expected}`);
  }), { numRuns: 100 });
});

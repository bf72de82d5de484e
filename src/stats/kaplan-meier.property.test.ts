// Property tests (fast-check) for Kaplan-Meier and the log-rank test: invariants of the
// estimator, agreement with a naive O(n^2) transcription of the textbook definitions, and
// invariance of survdiff's chisq under relabelling groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { kaplanMeier } from './kaplan-meier.js';
import { logRankTest } from './survdiff.js';
import type { SurvivalData } from '../core/types.js';

/** Small data sets with many ties: times 0..20 (integers, or halves), status, 1-3 groups, weights. */
const dataArb = fc.integer({ min: 1, max: 3 }).chain((k) =>
  fc.array(fc.record({
    time: fc.integer({ min: 0, max: 40 }).map((t) => t / 2),
    event: fc.integer({ min: 0, max: 1 }),
    group: fc.integer({ min: 0, max: k - 1 }),
    weight: fc.integer({ min: 1, max: 4 }),
  }), { minLength: 1, maxLength: 60 }).map((rows) => ({ k, rows })));

function toSurv(rows: { time: number; event: number }[]): SurvivalData {
  return { n: rows.length, start: null, stop: Float64Array.from(rows, (r) => r.time), event: Uint8Array.from(rows, (r) => r.event) };
}

test('KM: S in [0, 1] and non-increasing, n.risk non-increasing, events and censorings add up', () => {
  fc.assert(fc.property(dataArb, ({ rows }) => {
    const y = toSurv(rows);
    const w = Float64Array.from(rows, (r) => r.weight);
    const k = kaplanMeier(y, null, { weights: w }).strata[0];
    let totalEvents = 0;
    let totalW = 0;
    rows.forEach((r) => { totalEvents += r.event * r.weight; totalW += r.weight; });
    let ev = 0;
    let cens = 0;
    for (let i = 0; i < k.time.length; i++) {
      assert.ok(k.surv[i] >= 0 && k.surv[i] <= 1);
      if (i > 0) {
        assert.ok(k.surv[i] <= k.surv[i - 1]);
        assert.ok(k.nRisk[i] <= k.nRisk[i - 1]);
        assert.ok(k.time[i] > k.time[i - 1]);
      }
      ev += k.nEvent[i];
      cens += k.nCensor[i];
    }
    assert.equal(ev, totalEvents);
    assert.equal(k.events, totalEvents);
    assert.equal(ev + cens, totalW);
    assert.equal(k.nRisk[0], totalW);
  }), { numRuns: 200 });
});

test('KM and Greenwood agree with a naive transcription of the definitions', () => {
  fc.assert(fc.property(dataArb, ({ rows }) => {
    const k = kaplanMeier(toSurv(rows), null).strata[0];
    const times = [...new Set(rows.map((r) => r.time))].sort((a, b) => a - b);
    let s = 1;
    let g = 0;
    times.forEach((t, i) => {
      const n = rows.filter((r) => r.time >= t).length;
      const d = rows.filter((r) => r.time === t && r.event === 1).length;
      if (d > 0) { s *= 1 - d / n; g += d / (n * (n - d)); }
      assert.ok(Math.abs(k.surv[i] - s) <= 1e-12);
      if (Number.isFinite(g) && s > 0) assert.ok(Math.abs(k.stdErr[i] - s * Math.sqrt(g)) <= 1e-12 * Math.max(1, s * Math.sqrt(g)));
    });
  }), { numRuns: 200 });
});

test('log-rank: chisq is invariant under relabelling groups; 2 groups match (O - E)^2 / V', () => {
  fc.assert(fc.property(dataArb, fc.integer({ min: 0, max: 5 }), ({ k, rows }, rot) => {
    if (k < 2) return;
    const y = toSurv(rows);
    const present = [...new Set(rows.map((r) => r.group))].sort();
    if (present.length < 2 || rows.every((r) => r.event === 0)) return;
    const remap = new Map(present.map((g, i) => [g, i]));
    const codes = Int32Array.from(rows, (r) => remap.get(r.group)!);
    const names = present.map((g) => `g${g}`);
    let res;
    try {
      res = logRankTest(y, { codes, names });
    } catch {
      return; // a singular variance (e.g. every death at a time everyone shares) is R's error too
    }
    // Relabel: rotate the codes.
    const m = present.length;
    const rotated = Int32Array.from(codes, (c) => (c + rot) % m);
    const res2 = logRankTest(y, { codes: rotated, names: names.map((_, i) => names[(i - rot + m * 6) % m]) });
    assert.ok(Math.abs(res.chisq - res2.chisq) <= 1e-9 * Math.max(1, res.chisq));
    if (m === 2 && res.df === 1) {
      // Closed form for 2 groups from the definitions, independent of survdiff's pass.
      let o = 0; let e = 0; let v = 0;
      const times = [...new Set(rows.filter((r) => r.event === 1).map((r) => r.time))];
      for (const t of times) {
        const atRisk = rows.filter((r) => r.time >= t);
        const n = atRisk.length;
        const n1 = atRisk.filter((r) => remap.get(r.group) === 1).length;
        const d = rows.filter((r) => r.time === t && r.event === 1).length;
        o += rows.filter((r) => r.time === t && r.event === 1 && remap.get(r.group) === 1).length;
        e += (d * n1) / n;
        if (n > 1) v += (d * (n1 / n) * (1 - n1 / n) * (n - d)) / (n - 1);
      }
      assert.ok(Math.abs(res.chisq - ((o - e) * (o - e)) / v) <= 1e-9 * Math.max(1, res.chisq));
    }
  }), { numRuns: 200 });
});

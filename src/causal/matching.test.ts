/** nearestNeighborMatch against MatchIt 4.5.1 (reference/r/matchit.R) on lalonde. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assertAllClose, loadReference, referenceDataPath } from '../testing/approx.js';
import { EstimationError, InputError } from '../core/errors.js';
import { nearestNeighborMatch, type MatchOptions } from './matching.js';

interface RSet { treated: number; controls: number[] | number | Record<string, never> }
interface RCase {
  name: string;
  options: { ratio: number; caliper?: number; link?: string; replace?: boolean; 'm.order'?: string; exact?: string };
  distance: number[];
  subclass: (number | null)[] | Record<string, never> | null;
  weights: number[];
  sets: RSet[];
  nMatchedTreated: number;
  nMatchedControl: number;
  caliperAbsolute: number | Record<string, never> | null;
}
interface RFile { treat: number[]; cases: RCase[]; corrected: { name: string; sets: RSet[]; weights: number[] }[] }

const ref = loadReference<RFile>('matchit.json');
const treated = Uint8Array.from(ref.treat);

/** lalonde.csv's `married` column (MatchIt's exact = ~married). */
function marriedCodes(): Int32Array {
  const lines = readFileSync(referenceDataPath('lalonde.csv'), 'utf8').trim().split('\n');
  const header = lines[0]!.split(',').map((h) => h.replace(/"/g, ''));
  const j = header.indexOf('married');
  return Int32Array.from(lines.slice(1).map((l) => Number(l.split(',')[j])));
}
const married = marriedCodes();

function controlsOf(s: RSet): number[] {
  if (Array.isArray(s.controls)) return s.controls;
  if (typeof s.controls === 'number') return [s.controls];
  return [];
}

function options(c: RCase, legacy: boolean): MatchOptions {
  return {
    distance: Float64Array.from(c.distance),
    treated,
    ratio: c.options.ratio,
    replace: c.options.replace ?? false,
    caliper: c.options.caliper ?? null,
    mOrder: (c.options['m.order'] ?? 'largest') as MatchOptions['mOrder'],
    exact: c.options.exact ? married : null,
    legacyMatchIt451: legacy,
  };
}

/** Our matched sets as R's: 1-based treated row -> 1-based control rows in match order. */
function ourSets(m: ReturnType<typeof nearestNeighborMatch>): RSet[] {
  return Array.from(m.treatedRows, (row, t) => {
    const cs: number[] = [];
    for (let r = 0; r < m.ratio; r++) {
      const c = m.matchMatrix[t * m.ratio + r]!;
      if (c >= 0) cs.push(c + 1);
    }
    return { treated: row + 1, controls: cs };
  });
}

for (const c of ref.cases) {
  test(`MatchIt 4.5.1 reproduced exactly (legacy mode): ${c.name}`, () => {
    const m = nearestNeighborMatch(options(c, true));
    assert.deepEqual(ourSets(m), c.sets.map((s) => ({ treated: s.treated, controls: controlsOf(s) })));
    assertAllClose(m.weights, c.weights, 'weights', 1e-12);
    assert.equal(m.nMatchedTreated, c.nMatchedTreated);
    assert.equal(m.nMatchedControl, c.nMatchedControl);
    if (Array.isArray(c.subclass)) assert.deepEqual(Array.from(m.subclass, (s) => (s < 0 ? null : s)), c.subclass);
    else assert.ok(m.subclass.every((s) => s === -1), 'no subclasses with replacement');
    if (typeof c.caliperAbsolute === 'number') assertAllClose([m.caliperAbsolute!], [c.caliperAbsolute], 'caliper (SD of distance x caliper)', 1e-12);
  });
}

for (const cr of ref.corrected) {
  test(`corrected nearest-neighbour matching equals the base-R re-implementation: ${cr.name}`, () => {
    const c = ref.cases.find((k) => k.name === cr.name)!;
    const m = nearestNeighborMatch(options(c, false));
    assert.deepEqual(ourSets(m), cr.sets.map((s) => ({ treated: s.treated, controls: controlsOf(s) })));
    assertAllClose(m.weights, cr.weights, 'weights', 1e-12);
  });
}

test('invariants: each first-round match is the nearest control still available, within the caliper', () => {
  const c = ref.cases.find((k) => k.name === 'ratio1_caliper')!;
  const m = nearestNeighborMatch(options(c, false));
  const d = Float64Array.from(c.distance);
  for (let t = 0; t < m.treatedRows.length; t++) {
    const ctrl = m.matchMatrix[t]!;
    if (ctrl >= 0) assert.ok(Math.abs(d[m.treatedRows[t]!]! - d[ctrl]!) <= m.caliperAbsolute!);
  }
  // Without replacement no control is used twice.
  const used = Array.from(m.matchMatrix).filter((x) => x >= 0);
  assert.equal(new Set(used).size, used.length);
});

test('hand-worked example: largest first, left wins ties, weights for 1:2', () => {
  // sorted: c0=0.1 c1=0.2 t2=0.3 c3=0.4 t4=0.6 c5=0.7 c6=0.9
  const distance = Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.9]);
  const tr = Uint8Array.from([0, 0, 1, 0, 1, 0, 0]);
  const m = nearestNeighborMatch({ distance, treated: tr, ratio: 2 });
  // Round 1: t4 (0.6) first: c5 (0.1 away) vs c3 (0.2) -> c5. t2: c1 (0.1) vs c3 (0.1): tie -> left c1.
  // Round 2: t4: c3 (0.2) vs c6 (0.3) -> c3. t2: c0 (0.2) vs c6 (0.6) -> c0.
  assert.deepEqual(Array.from(m.matchMatrix), [1, 0, 5, 3]);
  assert.deepEqual(Array.from(m.weights), [1, 1, 1, 1, 1, 1, 0].map((w, i) => (tr[i] ? 1 : w)));
  assert.deepEqual(Array.from(m.subclass), [1, 1, 1, 2, 2, 2, -1]);
});

test('a caliper that leaves no match is an EstimationError', () => {
  const distance = Float64Array.from([0.1, 0.5, 0.9]);
  const tr = Uint8Array.from([0, 1, 0]);
  assert.throws(() => nearestNeighborMatch({ distance, treated: tr, caliper: 0.0001 }), (e: unknown) => e instanceof EstimationError && e.message === 'caliper 0.0001 SD leaves no treated unit with a match');
});

test('treatment not 0/1 is an InputError naming the row', () => {
  assert.throws(() => nearestNeighborMatch({ distance: Float64Array.from([0.1, 0.2]), treated: Uint8Array.from([0, 2]) }), (e: unknown) => e instanceof InputError && e.context.row === 2);
});

test('m.order random: seeded (project Rng) and order-free when no two treated units want the same control', () => {
  // Hand-made: each treated unit's nearest control is its own, so any processing order gives
  // the same pairs as "largest"; with a shared nearest control the order matters, but the
  // same seed must give the same pairs and every control is used at most once.
  const distance = Float64Array.of(0.1, 0.5, 0.9, 0.11, 0.49, 0.92, 5, 6);
  const treatedUnits = Uint8Array.of(1, 1, 1, 0, 0, 0, 0, 0);
  const largest = nearestNeighborMatch({ distance, treated: treatedUnits, mOrder: 'largest' });
  for (const seed of [1, 2, 3]) {
    const r = nearestNeighborMatch({ distance, treated: treatedUnits, mOrder: 'random', seed });
    assert.deepEqual([...r.matchMatrix], [...largest.matchMatrix], `seed ${seed}`);
  }
  const crowded = Float64Array.of(0.5, 0.52, 0.48, 0.51, 0.9, 0.1);
  const tr = Uint8Array.of(1, 1, 1, 0, 0, 0);
  for (const seed of [1, 7, 42]) {
    const a = nearestNeighborMatch({ distance: crowded, treated: tr, mOrder: 'random', seed });
    const b = nearestNeighborMatch({ distance: crowded, treated: tr, mOrder: 'random', seed });
    assert.deepEqual([...a.matchMatrix], [...b.matchMatrix], `seed ${seed} reproducible`);
    const used = [...a.matchMatrix].filter((row) => row >= 0);
    assert.equal(new Set(used).size, used.length, `seed ${seed}: a control matched twice`);
    assert.equal(used.length, 3);
  }
});
